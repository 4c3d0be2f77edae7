import assert from 'node:assert/strict';
import { GitLab } from '../../../src/gitlab';
import { MAX_OUTPUT_CHARS, normalizeReport } from '../../../src/gitlab/tests';
import { type FakeGitLab, startFakeGitLab } from '../../fake-gitlab';
import type { SimulatedRunner } from '../../fake-gitlab/simulated-runner';
import { PROJECT, junitRunner, largeJunit, mixedJunit, runJobOf } from './junitFixtures';

/** Test reports as GitLab builds them from the JUnit files a runner uploads, read through the client. */
describe('test reports', () => {
  let fake: FakeGitLab;
  let gitlab: GitLab;
  let runner: SimulatedRunner | undefined;

  beforeEach(async () => {
    fake = await startFakeGitLab();
    gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.developer });
  });
  afterEach(async () => {
    await runner?.stop();
    await fake.close();
  });

  /** A new pipeline whose first job (build, which declares a junit report) has run and uploaded `junit`. */
  async function pipelineWithReport(junit: string): Promise<number> {
    const pipeline = await gitlab.pipelines.create(PROJECT, 'feature/login');
    runner = junitRunner(fake, () => junit);
    await runJobOf(fake, runner, pipeline.id);
    return pipeline.id;
  }

  it('serves the uploaded JUnit as suites and cases, failures first, while the pipeline still runs', async () => {
    const pipelineId = await pipelineWithReport(mixedJunit);
    const summary = await gitlab.pipelines.testReportSummary(PROJECT, pipelineId);
    assert.deepEqual(summary.test_suites.map((suite) => [suite.name, suite.total_count, suite.failed_count, suite.error_count, suite.skipped_count, suite.success_count]), [['build', 5, 2, 1, 1, 1]]);
    assert.equal(summary.test_suites[0].build_ids.length, 1);

    const report = await gitlab.testReports.report(PROJECT, pipelineId);
    assert.equal(report.truncated, false);
    assert.deepEqual(report.counts, { total: 5, success: 1, failed: 2, skipped: 1, error: 1 });
    const [suite] = report.suites;
    assert.deepEqual(suite.cases.map((testCase) => [testCase.status, testCase.name]), [
      ['error', 'crashes'],
      ['failed', 'applies a coupon'],
      ['failed', 'totals in cents'],
      ['skipped', 'skips'],
      ['success', 'adds an item'],
    ]);
    const coupon = suite.cases[1];
    assert.equal(coupon.file, 'test/cart.test.ts');
    assert.equal(coupon.classname, 'cart');
    assert.match(coupon.output, /^AssertionError: expected 90 to equal 85\n\s+at Context.<anonymous> \(\/builds\/demo-group\/demo-app\/test\/cart.test.ts:14:27\)/);
    // GitLab serves a failure without text as its attributes.
    assert.equal(suite.cases[2].output, 'message: no text');
  });

  it('gives back the same report object while GitLab answers 304, so readers tell "unchanged" with ===', async () => {
    const pipelineId = await pipelineWithReport(mixedJunit);
    const first = await gitlab.testReports.report(PROJECT, pipelineId);
    const second = await gitlab.testReports.report(PROJECT, pipelineId);
    assert.equal(second, first);
    assert.equal(fake.requests.filter((request) => request.path.endsWith('/test_report')).length, 2, 'asked twice: the second time conditionally');
  });

  it('says when a JUnit file is not XML: a suite error and no cases', async () => {
    const pipelineId = await pipelineWithReport('<testsuites><testsuite name="x"><testcase name="a"></testsuite>');
    const report = await gitlab.testReports.report(PROJECT, pipelineId);
    assert.match(report.suites[0].suiteError ?? '', /JUnit XML parsing failed/);
    assert.deepEqual(report.suites[0].cases, []);
    assert.equal(report.counts.total, 0);
  });

  it('an unknown pipeline is a 404', async () => {
    await assert.rejects(gitlab.testReports.report(PROJECT, 999_999), (error: { status?: number }) => error.status === 404);
  });

  it('keeps a 20,000-case report with a 1 MB stack trace bounded: every failure kept, the huge trace cut and said so', async () => {
    const pipelineId = await pipelineWithReport(largeJunit(20_000, 1024 * 1024));
    const report = await gitlab.testReports.report(PROJECT, pipelineId);
    assert.equal(report.counts.total, 20_000);
    assert.equal(report.counts.failed, 200);
    const cases = report.suites[0].cases;
    assert.equal(cases.length, 20_000);
    assert.ok(cases.slice(0, 200).every((testCase) => testCase.status === 'failed'));
    const huge = cases.find((testCase) => testCase.name === 'case 0');
    assert.equal(huge?.output.length, MAX_OUTPUT_CHARS);
    assert.ok((huge?.outputOmitted ?? 0) > 1_000_000 - MAX_OUTPUT_CHARS);
    assert.equal(report.truncated, true);
  });
});

describe('normalizeReport on odd answers', () => {
  it('tolerates missing and wrongly typed fields', () => {
    const report = normalizeReport({ test_suites: [{ test_cases: [{ status: 'weird', name: null, execution_time: -1 }, null as never, { status: 'failed', system_output: 42 }] }] });
    assert.equal(report.suites[0].name, '(unnamed suite)');
    assert.deepEqual(report.suites[0].cases.map((testCase) => [testCase.status, testCase.name, testCase.executionTime, testCase.output]), [
      ['failed', '(unnamed test)', 0, ''],
      ['skipped', '(unnamed test)', 0, ''],
    ]);
    assert.deepEqual(normalizeReport(null).suites, []);
  });

  it('keeps failures first when the case budget runs out, and says it cut', () => {
    const passes = Array.from({ length: 60_000 }, (_, index) => ({ status: 'success', name: `p${index}` }));
    const report = normalizeReport({ test_suites: [{ name: 'a', test_cases: passes }, { name: 'b', test_cases: [{ status: 'failed', name: 'late failure' }] }] });
    assert.equal(report.suites[1].cases[0]?.name, 'late failure');
    assert.equal(report.suites[0].casesOmitted, 10_001);
    assert.equal(report.truncated, true);
  });
});
