import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeGitLab, writeZip } from '../fake-gitlab';
import { encodeCursor } from '../fake-gitlab/pagination';
import { type McpSession, closeDemoGitLab, failed, ok, startDemoGitLab, startDemoSession } from './harness';

interface Payload {
  id: number;
  token: string;
  job_info: { name: string };
  variables: { key: string; value: string; masked?: boolean }[];
}

describe('MCP server: runner tools', () => {
  let gitlab: FakeGitLab;
  let session: McpSession;
  let scratch: string;

  before(async () => {
    ({ gitlab, session } = await startDemoGitLab({ generation: '18.2' }));
    scratch = await mkdtemp(join(tmpdir(), 'mcp-runner-'));
  });

  after(async () => {
    await closeDemoGitLab(session, gitlab);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('runs a job the way a runner does: request, append the log, upload and fetch artifacts, update', async () => {
    const requested = ok(await session.call('request-job', { token: gitlab.tokens.runner, info: { name: 'mcp-test-runner' } }));
    const payload = requested.job as Payload;
    assert.ok(payload, 'a pending job was handed out');
    const job = gitlab.state.requireJob(payload.id);
    assert.equal(job.status, 'running');
    assert.equal(job.token, payload.token);
    const jobToken = payload.variables.find((variable) => variable.key === 'CI_JOB_TOKEN');
    assert.equal(jobToken?.value, '[MASKED]', 'masked variables are hidden');
    const credentials = { job_id: payload.id, job_token: payload.token };

    const first = ok(await session.call('append-patch-job-trace', { ...credentials, content: '\u001b[32mhello\u001b[0m\n', offset: 0 }));
    assert.deepEqual([first.accepted, first.server_size], [true, job.trace.size]);
    const misplaced = ok(await session.call('append-patch-job-trace', { ...credentials, content: 'again\n', offset: 3 }));
    assert.equal(misplaced.accepted, false);
    assert.equal(misplaced.server_size, first.server_size);
    assert.match(String(misplaced.hint), new RegExp(`from offset ${String(first.server_size)}`));
    ok(await session.call('append-patch-job-trace', { ...credentials, content: 'world\n', offset: first.server_size }));
    assert.equal(job.trace.toBuffer().toString(), '\u001b[32mhello\u001b[0m\nworld\n');

    const authorized = ok(await session.call('authorize-uploading-job-artifact', { ...credentials, artifact_type: 'archive', filesize: 1000 }));
    assert.equal(authorized.authorized, true);
    assert.match(failed(await session.call('authorize-uploading-job-artifact', { ...credentials, filesize: 10 * 1024 ** 3 })), /413/);

    const zipPath = join(scratch, 'upload.zip');
    await writeZip(zipPath, { 'out/result.txt': 'built by mcp\n' });
    const uploaded = ok(await session.call('upload-job-artifact', { ...credentials, file: zipPath, artifact_type: 'archive', artifact_format: 'zip', expire_in: '1 day' }));
    assert.equal(uploaded.uploaded, true);
    assert.ok(gitlab.state.archiveOf(job), 'the archive is stored');
    assert.ok(job.artifactsExpireAt !== null);
    assert.match(failed(await session.call('upload-job-artifact', { ...credentials, file: join(scratch, 'missing.zip') })), /not a readable file/);

    const directory = join(scratch, 'fetched');
    const fetched = ok(await session.call('download-artifacts-file-job', { ...credentials, directory }));
    assert.equal(fetched.directory, directory);
    assert.equal(await readFile(join(directory, 'out', 'result.txt'), 'utf8'), 'built by mcp\n');

    ok(await session.call('update-job', { ...credentials, state: 'running' }));
    const updated = ok(await session.call('update-job', { ...credentials, state: 'success', exit_code: 0 }));
    assert.equal(updated.state, 'success');
    assert.equal(job.status, 'success');

    const late = failed(await session.call('append-patch-job-trace', { ...credentials, content: 'too late\n', offset: job.trace.size }));
    assert.match(late, /403/);
    assert.match(late, /job token/);
  });

  it('request-job says when no job waits, and refuses an unknown runner token', async () => {
    const runner = [...gitlab.state.runners.values()][0];
    runner.paused = true;
    try {
      assert.deepEqual(ok(await session.call('request-job', { token: gitlab.tokens.runner })), { job: null });
    } finally {
      runner.paused = false;
    }
    const refused = failed(await session.call('request-job', { token: 'glrt-not-a-runner-000000' }));
    assert.match(refused, /403/);
    assert.match(refused, /runner token/);
  });

  it("list-runner-s-jobs lists the runner's jobs by status, a page at a time", async () => {
    const runner = [...gitlab.state.runners.values()][0];
    const ran = gitlab.state.findJobs({ kind: 'build', includeRetried: true }).filter((job) => job.runnerId === runner.id);
    const succeeded = ran.filter((job) => job.status === 'success').map((job) => job.id).sort((a, b) => b - a);
    assert.ok(succeeded.length > 2);

    const all = ok(await session.call('list-runner-s-jobs', { id: String(runner.id), status: 'success', per_page: 100 }));
    assert.deepEqual((all.jobs as { id: number }[]).map((job) => job.id), succeeded);
    // GitLab leaves the runner out of these entries; the answer names it.
    assert.ok((all.jobs as { runner: { id: number } | null }[]).every((job) => job.runner?.id === runner.id), 'runner filled in');

    const first = ok(await session.call('list-runner-s-jobs', { id: runner.id, status: 'success', per_page: 2, sort: 'desc', order_by: 'id' }));
    assert.deepEqual((first.jobs as { id: number }[]).map((job) => job.id), succeeded.slice(0, 2));
    assert.equal(first.next_page, 2);

    const filtered = ok(await session.call('list-runner-s-jobs', { id: runner.id, system_id: runner.systemId, status: 'failed' }));
    assert.ok((filtered.jobs as { status: string }[]).every((job) => job.status === 'failed'));

    // Keyset pages: a cursor (as GitLab's Link header carries it) leads to the next_cursor, and so on.
    const newestFirst = ran.map((job) => job.id).sort((a, b) => b - a);
    const afterNewest = ok(await session.call('list-runner-s-jobs', { id: runner.id, per_page: 2, cursor: encodeCursor(newestFirst[0]) }));
    assert.deepEqual((afterNewest.jobs as { id: number }[]).map((job) => job.id), newestFirst.slice(1, 3));
    const following = ok(await session.call('list-runner-s-jobs', { id: runner.id, per_page: 2, cursor: String(afterNewest.next_cursor) }));
    assert.deepEqual((following.jobs as { id: number }[]).map((job) => job.id), newestFirst.slice(3, 5));
    const unknown = failed(await session.call('list-runner-s-jobs', { id: 9999 }));
    assert.match(unknown, /404/);
    assert.match(unknown, /No runner with this id is visible to your token/);
  });

  it("list-runner-s-jobs says when the token may not see a runner's jobs", async () => {
    const runner = [...gitlab.state.runners.values()][0];
    const developer = await startDemoSession(gitlab, gitlab.tokens.developer);
    try {
      const refused = failed(await developer.call('list-runner-s-jobs', { id: runner.id }));
      assert.match(refused, /403/);
      assert.match(refused, /Maintainer role on a project the runner serves/);
    } finally {
      await developer.close();
    }
  });
});
