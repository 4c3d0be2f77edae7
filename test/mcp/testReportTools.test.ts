import * as assert from 'node:assert/strict';
import { GitLab } from '../../src/gitlab';
import { type FakeGitLab, startFakeGitLab } from '../fake-gitlab';
import type { SimulatedRunner } from '../fake-gitlab/simulated-runner';
import { PROJECT, junitRunner, runJobOf } from '../gitlab/tests/junitFixtures';
import { type McpSession, ok, startDemoSession } from './harness';

/** 25 failures whose traces run 50 lines; one prints the user's token, as a careless test might. */
function failingJunit(token: string): string {
  const trace = (index: number) => [`Error: case ${index} failed`, ...Array.from({ length: 49 }, (_, line) => `    at step${line} (/builds/demo-group/demo-app/src/f${index}.ts:${line + 1}:1)`)].join('\n');
  const failures = Array.from({ length: 25 }, (_, index) =>
    `<testcase classname="c" name="fails ${index}" file="test/f${index}.test.ts"><failure>${index === 0 ? `Error: sent ${token}\n` : ''}${trace(index)}</failure></testcase>`);
  return `<testsuites><testsuite name="s">${failures.join('')}<testcase classname="c" name="passes"/></testsuite></testsuites>`;
}

describe('MCP server: gitlab_get_test_report', () => {
  let gitlab: FakeGitLab;
  let session: McpSession;
  let runner: SimulatedRunner;
  let pipelineId: number;

  before(async () => {
    gitlab = await startFakeGitLab();
    const client = new GitLab({ instanceUrl: gitlab.url, token: gitlab.tokens.maintainer });
    pipelineId = (await client.pipelines.create(PROJECT, 'feature/login')).id;
    runner = junitRunner(gitlab, () => failingJunit(gitlab.tokens.maintainer));
    await runJobOf(gitlab, runner, pipelineId);
    session = await startDemoSession(gitlab);
  });

  after(async () => {
    await session?.close();
    await runner?.stop();
    await gitlab?.close();
  });

  it('pages through the failed cases with their suite, file, message and the top of their trace', async () => {
    const first = ok(await session.call('gitlab_get_test_report', { pipeline_id: pipelineId, trace_lines: 3 }));
    assert.deepEqual(first.counts, { total_count: 26, success_count: 1, failed_count: 25, skipped_count: 0, error_count: 0 });
    assert.deepEqual((first.suites as { name: string }[]).map((suite) => suite.name), ['build']);
    const cases = first.failed_cases as { name: string; suite: string; file: string; message: string; stack_trace: string; stack_trace_lines_omitted: number }[];
    assert.equal(cases.length, 10);
    assert.deepEqual([first.next_page, first.total, first.total_pages], [2, 25, 3]);
    const second = cases[1];
    assert.deepEqual([second.name, second.suite, second.file, second.message], ['fails 1', 'build', 'test/f1.test.ts', 'Error: case 1 failed']);
    assert.equal(second.stack_trace.split('\n').length, 3);
    assert.equal(second.stack_trace_lines_omitted, 47);

    const last = ok(await session.call('gitlab_get_test_report', { pipeline_id: pipelineId, page: 3 }));
    assert.equal((last.failed_cases as unknown[]).length, 5);
    assert.equal(last.next_page, null);
  });

  it('never repeats a token a stack trace printed', async () => {
    const answer = await session.call('gitlab_get_test_report', { pipeline_id: pipelineId, per_page: 1 });
    assert.doesNotMatch(answer.text, new RegExp(gitlab.tokens.maintainer));
    assert.match((ok(answer).failed_cases as { message: string }[])[0].message, /^Error: sent \S*REDACTED/);
  });

  it('filters by suite, and an unknown pipeline is an error', async () => {
    const none = ok(await session.call('gitlab_get_test_report', { pipeline_id: pipelineId, suite: 'no such job' }));
    assert.deepEqual([none.suites, none.failed_cases], [[], []]);
    const missing = await session.call('gitlab_get_test_report', { pipeline_id: 999_999 });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /404/);
  });
});
