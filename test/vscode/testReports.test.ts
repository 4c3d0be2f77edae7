// Test reports as a user meets them: the "Tests: …" node under the current pipeline, its suites and failed
// cases, "Go to Test" landing on the failing line of the workspace's own test file, the case's output as a
// read-only document, the "GitLab CI" test controller's results located in the workspace with expected and
// actual values, and "Run" retrying the suite's job in GitLab. The pipeline runs on the fake GitLab with the
// demo project's JUnit report, whose traces point into demo/workspace's files, copied into this workspace.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ContributedNode, TreeNode } from '../../src/ui/tree/nodes';
import type { TestCaseNode } from '../../src/ui/tests/nodes';
import type { FakeGitLab } from '../fake-gitlab';
import { demoJunitReport } from '../fake-gitlab/demo-junit';
import { SimulatedRunner } from '../fake-gitlab/simulated-runner';
import { runJobOf } from '../gitlab/tests/junitFixtures';
import { takeScreenshot } from './screenshot';
import { activateExtension, signOut, startWorkspaceFakeGitLab } from './session';
import { PROJECT_PATH } from './setup';
import { labelOf } from './treeItems';
import { waitFor } from './waitFor';

const DEMO_FILES = ['src/cart.ts', 'test/cart.test.ts'];
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

describe('test reports: tree, Test Explorer, Go to Test', function () {
  let fake: FakeGitLab;
  let api: ExtensionApi;
  let runner: SimulatedRunner;
  let pipelineId: number;
  let retrying = false;
  const workspaceRoot = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? assert.fail('a workspace folder');

  before(async function () {
    this.timeout(120_000);
    fake = await startWorkspaceFakeGitLab();
    api = await activateExtension();
    for (const file of DEMO_FILES) {
      mkdirSync(path.dirname(path.join(workspaceRoot(), file)), { recursive: true });
      writeFileSync(path.join(workspaceRoot(), file), readFileSync(path.join(REPO_ROOT, 'demo', 'workspace', file)));
    }
    // The unit tests fail on the first run and pass once retried (the "Run" test below).
    runner = new SimulatedRunner({
      instanceUrl: fake.url,
      runnerToken: fake.tokens.runner,
      chunkBytes: 1 << 20,
      chunkIntervalMs: 0,
      pollIntervalMs: 50,
      junitReport: demoJunitReport,
      outcome: (job) => (job.job_info.name === 'test:unit' && !retrying ? { status: 'failed', failureReason: 'script_failure' } : { status: 'success' }),
    });
    pipelineId = fake.state.createPipelineForRef(PROJECT_PATH, 'main', { source: 'push' }).id;
    await runJobOf(fake, runner, pipelineId, 'build');
    await runJobOf(fake, runner, pipelineId, 'test:unit');
    await vscode.commands.executeCommand('gitlabCiLens.addAccount', { instanceUrl: fake.url, token: fake.tokens.maintainer });
    await vscode.commands.executeCommand('workbench.view.extension.gitlabCiLens');
  });

  after(async function () {
    await runner?.stop();
    await signOut(api?.services, fake);
    for (const file of DEMO_FILES) rmSync(path.join(workspaceRoot(), file), { force: true });
  });

  const tree = () => api.services.tree;
  const contributed = (nodes: TreeNode[]) => nodes.filter((node): node is ContributedNode => node.kind === 'contributed');

  async function testsNode(): Promise<ContributedNode> {
    return waitFor(async () => {
      await api.services.refresher.refreshNow();
      const current = (await tree().getChildren()).find((node) => node.kind === 'pipeline' && node.pipeline.id === pipelineId);
      return current ? contributed(await tree().getChildren(current)).find((node) => labelOf(node).startsWith('Tests:')) : undefined;
    }, 'the Tests node under the current pipeline');
  }

  async function failedCases(): Promise<TestCaseNode[]> {
    const suites = contributed(await tree().getChildren(await testsNode()));
    const unit = suites.find((suite) => labelOf(suite) === 'test:unit') ?? assert.fail(`a test:unit suite among ${suites.map(labelOf).join(', ')}`);
    return contributed(await tree().getChildren(unit)).filter((node): node is TestCaseNode => 'testCase' in node);
  }

  it('shows "Tests: 2 failed, 4 passed" under the current pipeline, then suites, then the failed cases with passes behind a row', async function () {
    const tests = await testsNode();
    assert.equal(labelOf(tests), 'Tests: 2 failed, 4 passed');
    const suites = contributed(await tree().getChildren(tests));
    assert.deepEqual(suites.map((suite) => [labelOf(suite), String(suite.toTreeItem().description)]), [['build', '2 passed'], ['test:unit', '2 failed, 2 passed']]);
    const unitChildren = contributed(await tree().getChildren(suites[1]));
    assert.deepEqual(unitChildren.map(labelOf), ['cart applies a 15% coupon', 'cart leaves a line with no quantity out of the total', 'Passed (2)']);
    const passed = contributed(await tree().getChildren(unitChildren[2]));
    assert.deepEqual(passed.map(labelOf), ['cart adds up the lines', 'cart applies a 50% coupon']);
    const tooltip = unitChildren[0].toTreeItem().tooltip as string;
    assert.match(tooltip, /900 !== 850/);
    assert.equal(unitChildren[0].toTreeItem().contextValue, 'testCase failed');
  });

  it('Go to Test opens the workspace test file at the failing line; the case opens as a read-only document', async function () {
    const [coupon, quantity] = await failedCases();
    const couponEditor = await vscode.commands.executeCommand<vscode.TextEditor>('gitlabCiLens.goToTest', coupon);
    assert.equal(couponEditor.document.uri.fsPath, path.join(workspaceRoot(), 'test', 'cart.test.ts'));
    assert.equal(couponEditor.selection.active.line, 9);
    assert.match(couponEditor.document.lineAt(9).text, /applyCoupon\(1000, 15\)/);
    const quantityEditor = await vscode.commands.executeCommand<vscode.TextEditor>('gitlabCiLens.goToTest', quantity);
    assert.match(quantityEditor.document.lineAt(quantityEditor.selection.active.line).text, /quantity: 0/);

    const uri = await vscode.commands.executeCommand<vscode.Uri>('gitlabCiLens.openTestCase', quantity);
    assert.equal(uri.scheme, 'gitlab-ci-test');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /^Test: {6}cart leaves a line with no quantity out of the total$/m);
    assert.match(text, /^Located: {3}test\/cart\.test\.ts:14$/m);
    assert.match(text, /^Frames: {4}src\/cart\.ts:21, src\/cart\.ts:9, test\/cart\.test\.ts:14$/m);
    assert.match(text, /RangeError: quantity of tea must be positive/);
  });

  it('publishes the results in the Test Explorer, failures located in the test file with expected and actual', async function () {
    const { testResults } = api;
    const suite = await waitFor(() => {
      const items: vscode.TestItem[] = [];
      testResults.controller.items.forEach((item) => items.push(item));
      return items.find((item) => item.label === 'test:unit');
    }, 'the test:unit suite in the Test Explorer');
    const cases = new Map<string, vscode.TestItem>();
    suite.children.forEach((item) => cases.set(item.label, item));
    const coupon = cases.get('cart applies a 15% coupon') ?? assert.fail('the coupon case');
    const testFile = vscode.Uri.file(path.join(workspaceRoot(), 'test', 'cart.test.ts')).toString();
    assert.equal(coupon.uri?.toString(), testFile);
    assert.equal(coupon.range?.start.line, 9);
    const couponResult = await waitFor(() => testResults.resultOf(coupon.id), 'the coupon result');
    assert.equal(couponResult.state, 'failed');
    assert.equal(couponResult.message?.location?.uri.toString(), testFile);
    assert.equal(couponResult.message?.location?.range.start.line, 9);
    assert.deepEqual([couponResult.message?.expectedOutput, couponResult.message?.actualOutput], ['850', '900']);

    const quantity = cases.get('cart leaves a line with no quantity out of the total') ?? assert.fail('the quantity case');
    const quantityResult = testResults.resultOf(quantity.id);
    assert.equal(quantityResult?.state, 'failed');
    assert.deepEqual(quantityResult?.message?.stackTrace?.map((frame) => [vscode.workspace.asRelativePath(frame.uri ?? vscode.Uri.file('/')), frame.position?.line]), [
      ['src/cart.ts', 20],
      ['src/cart.ts', 8],
      ['test/cart.test.ts', 13],
    ]);
    assert.equal(testResults.resultOf(cases.get('cart adds up the lines')?.id ?? '')?.state, 'passed');
  });

  it('shows a failure traced to its line (screenshot)', async function () {
    const [coupon] = await failedCases();
    await tree().view.reveal(coupon, { select: true, focus: false, expand: true });
    await vscode.commands.executeCommand('gitlabCiLens.goToTest', coupon);
    await takeScreenshot('test-failure-traced', { waitFor: 'text=cart applies a 15% coupon' });
  });

  it('Run retries the suite\'s job in GitLab and shows the new results', async function () {
    this.timeout(90_000);
    const { testResults } = api;
    const suite = testResults.controller.items.get(`${api.services.projects.list()[0]?.key}|test:unit`) ?? assert.fail('the test:unit suite item');
    const oldJob = fake.state.findJobs({ pipelineId, name: 'test:unit' }).find((job) => !job.retried) ?? assert.fail('the unit test job');
    retrying = true;
    runner.start();
    const profile = await waitFor(() => testResults.retryProfile, 'the run profile');
    const cancel = new vscode.CancellationTokenSource();
    const run = profile.runHandler(new vscode.TestRunRequest([suite]), cancel.token);
    const newJob = await waitFor(() => fake.state.findJobs({ pipelineId, name: 'test:unit' }).find((job) => !job.retried && job.id !== oldJob.id), 'a retried unit test job');
    assert.ok(newJob.id > oldJob.id);
    await waitFor(async () => {
      await api.services.refresher.refreshNow();
      const results: (string | undefined)[] = [];
      testResults.controller.items.get(suite.id)?.children.forEach((item) => results.push(testResults.resultOf(item.id)?.state));
      return results.length === 4 && results.every((state) => state === 'passed');
    }, 'the retried suite passing in the Test Explorer', 60_000);
    await run;
    cancel.dispose();
  });
});
