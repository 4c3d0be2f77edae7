// gitlab_get_job_problems over stdio against the fake GitLab: the demo's failing lint log, traced to its files.
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeGitLab, startFakeGitLab } from '../fake-gitlab';
import { demoLintLog } from '../fake-gitlab/demo-logs';
import { DEMO_PROJECT, type McpSession, allUserTokens, ok, startSession } from './harness';

describe('MCP gitlab_get_job_problems', () => {
  let gitlab: FakeGitLab;
  let session: McpSession;
  let checkout: string;
  let jobId: number;

  before(async () => {
    gitlab = await startFakeGitLab();
    // The server runs in a checkout that has src/checkout.ts but not src/format.ts (renamed since, say).
    checkout = await mkdtemp(join(tmpdir(), 'mcp-problems-'));
    await mkdir(join(checkout, 'src'));
    await writeFile(join(checkout, 'src', 'checkout.ts'), 'export {};\n');
    session = await startSession({ env: { GITLAB_URL: gitlab.url, GITLAB_TOKEN: gitlab.tokens.developer, GITLAB_PROJECT: DEMO_PROJECT }, cwd: checkout, secrets: allUserTokens(gitlab) });
    const job = gitlab.state.findJobs({ pipelineId: 1004, name: 'test:unit' })[0];
    assert.ok(job);
    jobId = job.id;
  });
  after(async () => {
    await session?.close();
    await gitlab?.close();
    if (checkout) await rm(checkout, { recursive: true, force: true });
  });

  it('returns the problems with project-relative paths, drops foreign ones, and says which exist locally', async () => {
    gitlab.state.setJobTrace(jobId, `${demoLintLog(jobId)}/etc/shadow:1:1: error: not the project's\n`);
    const data = ok(await session.call('gitlab_get_job_problems', { job_id: jobId }));
    const problems = data.problems as { tool: string; path: string; line: number; column: number; code: string; exists_locally: boolean }[];
    assert.deepEqual(problems.map((p) => [p.tool, p.path, p.line, p.column, p.code, p.exists_locally]), [
      ['tsc', 'src/checkout.ts', 14, 9, 'TS2322', true],
      ['eslint', 'src/format.ts', 9, 9, '@typescript-eslint/no-unused-vars', false],
    ]);
    assert.equal(data.dropped, 1);
    assert.equal(data.capped, false);
    assert.equal(data.project_dir, '/builds/demo-group/demo-app');
  });

  it('caps a log of 100,000 hits at max_problems and says so', async () => {
    gitlab.state.setJobTrace(jobId, Array.from({ length: 100_000 }, (_, i) => `src/checkout.ts(${i + 1},1): error TS1005: ';' expected.`).join('\n'));
    const data = ok(await session.call('gitlab_get_job_problems', { job_id: jobId, max_problems: 50 }));
    assert.equal((data.problems as unknown[]).length, 50);
    assert.equal(data.capped, true);
  });
});
