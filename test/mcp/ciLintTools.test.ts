import * as assert from 'node:assert/strict';
import type { FakeGitLab } from '../fake-gitlab';
import { type McpSession, closeDemoGitLab, failed, ok, startDemoGitLab, startDemoSession } from './harness';

describe('MCP server: gitlab_lint_ci_config', () => {
  let gitlab: FakeGitLab;
  let session: McpSession;

  before(async () => {
    ({ gitlab, session } = await startDemoGitLab({ generation: '18.2' }));
  });

  after(() => closeDemoGitLab(session, gitlab));

  it('places each of GitLab\'s errors on the line it names', async () => {
    const content = 'stages: [build]\nbuild:\n  stage: build\n  script: x\ntest:\n  stage: build\n  scrip: y\n';
    const answer = ok(await session.call('gitlab_lint_ci_config', { content }));
    assert.equal(answer.valid, false);
    assert.deepEqual(answer.errors, [{ message: 'jobs:test config contains unknown keys: scrip', line: 7, column: 3 }]);
    assert.equal(answer.merged_yaml, undefined, 'merged YAML only on request');
  });

  it('lints the repository\'s file as a dry run, with its jobs and includes, and the merged YAML on request', async () => {
    const answer = ok(await session.call('gitlab_lint_ci_config', { dry_run: true, ref: 'main', include_merged_yaml: true }));
    assert.equal(answer.valid, true);
    assert.deepEqual(answer.includes, [{ type: 'local', location: '.gitlab/ci/deploy.yml' }]);
    assert.ok((answer.jobs as { name: string }[]).some((job) => job.name === 'deploy:production'));
    assert.match(String(answer.merged_yaml), /test:lint:/);
  });

  it('refuses an empty content plainly, and says what a Reporter lacks', async () => {
    assert.match(failed(await session.call('gitlab_lint_ci_config', { content: '  ' })), /content is empty/);
    const reporter = await startDemoSession(gitlab, gitlab.tokens.reporter);
    try {
      assert.match(failed(await reporter.call('gitlab_lint_ci_config', { content: 'b:\n  script: x\n' })), /403/);
    } finally {
      await reporter.close();
    }
  });
});
