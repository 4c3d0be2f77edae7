import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startFakeGitLab, writeZip, type FakeGitLab } from './index';
import { api, call, jsonBody, type TestResponse } from './test-client';

interface JobPayload {
  id: number;
  token: string;
  job_info: { name: string; stage: string; project_id: number; project_name: string };
  git_info: { ref: string; sha: string };
  variables: { key: string; value: string }[];
  steps: { name: string; script: string[] }[];
  artifacts: { artifact_type: string }[];
  dependencies: { id: number; name: string }[];
}

function requestJob(gl: FakeGitLab, token = gl.tokens.runner): Promise<TestResponse> {
  return call(`${gl.apiUrl}/jobs/request`, { method: 'POST', ...jsonBody({ token, info: { name: 'gitlab-runner', version: '17.5.0' } }) });
}

function updateJob(gl: FakeGitLab, job: JobPayload, state: string, extra: Record<string, unknown> = {}): Promise<TestResponse> {
  return call(`${gl.apiUrl}/jobs/${job.id}`, { method: 'PUT', ...jsonBody({ token: job.token, state, ...extra }) });
}

function patchTrace(gl: FakeGitLab, job: JobPayload, start: number, chunk: string): Promise<TestResponse> {
  const end = start + Buffer.byteLength(chunk);
  return call(`${gl.apiUrl}/jobs/${job.id}/trace`, {
    method: 'PATCH', body: chunk,
    headers: { 'JOB-TOKEN': job.token, 'Content-Range': `${start}-${end}`, 'Content-Type': 'text/plain' },
  });
}

function multipart(fields: Record<string, string>, file: { name: string; data: Buffer }): { headers: Record<string, string>; body: Buffer } {
  const boundary = '----fake-runner-boundary-42';
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/zip\r\n\r\n`));
  parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(parts) };
}

describe('fake GitLab: runner protocol', () => {
  let gl: FakeGitLab;
  let workDir: string;
  beforeEach(async () => {
    gl = await startFakeGitLab();
    workDir = await mkdtemp(path.join(tmpdir(), 'fake-runner-'));
  });
  afterEach(async () => {
    await gl.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('refuses an unknown runner token with 403', async () => {
    const res = await requestJob(gl, 'glrt-nope');
    assert.equal(res.status, 403);
    assert.deepEqual(res.json(), { message: '403 Forbidden' });
  });

  it('hands out the oldest pending job with a fresh job token, then 204 when none waits', async () => {
    const res = await requestJob(gl);
    assert.equal(res.status, 201);
    const job = res.json<JobPayload>();
    assert.equal(job.job_info.name, 'build');
    assert.equal(job.job_info.project_name, 'demo-app');
    assert.equal(job.git_info.ref, 'main');
    assert.match(job.token, /^glcbt-/);
    assert.ok(job.variables.some((v) => v.key === 'CI_JOB_TOKEN' && v.value === job.token));
    assert.deepEqual(job.steps[0]?.script, ['npm ci', 'npm run build']);
    assert.deepEqual(job.artifacts.map((a) => a.artifact_type), ['archive', 'junit']);
    const shown = (await api(gl, `/projects/1/jobs/${job.id}`, gl.tokens.reporter)).json<{ status: string; runner: { id: number } }>();
    assert.equal(shown.status, 'running');
    assert.equal(shown.runner.id, 7);
    const none = await requestJob(gl);
    assert.equal(none.status, 204);
    assert.equal(none.body.length, 0);
  });

  it('appends log chunks: 202 with Range, 416 with what it holds when the start is off', async () => {
    const job = (await requestJob(gl)).json<JobPayload>();
    const first = await patchTrace(gl, job, 0, 'hello ');
    assert.equal(first.status, 202);
    assert.equal(first.headers.range, '0-6');
    assert.equal(first.headers['job-status'], 'running');
    assert.equal(first.headers['x-gitlab-trace-update-interval'], '60');
    const gap = await patchTrace(gl, job, 10, 'lost');
    assert.equal(gap.status, 416);
    assert.equal(gap.headers.range, '0-6');
    const second = await patchTrace(gl, job, 6, 'world\n');
    assert.equal(second.headers.range, '0-12');
    assert.equal((await api(gl, `/projects/1/jobs/${job.id}/trace`, gl.tokens.reporter)).text, 'hello world\n');
    const watched = await patchTrace(gl, job, 12, '.');
    assert.equal(watched.headers['x-gitlab-trace-update-interval'], '3');
    const noRange = await call(`${gl.apiUrl}/jobs/${job.id}/trace`, { method: 'PATCH', body: 'x', headers: { 'JOB-TOKEN': job.token } });
    assert.equal(noRange.status, 400);
    const wrongToken = await call(`${gl.apiUrl}/jobs/${job.id}/trace`, { method: 'PATCH', body: 'x', headers: { 'JOB-TOKEN': 'nope', 'Content-Range': '13-14' } });
    assert.equal(wrongToken.status, 403);
  });

  it('tells the runner a canceled job is canceled (403 with Job-Status)', async () => {
    const job = (await requestJob(gl)).json<JobPayload>();
    await api(gl, `/projects/1/jobs/${job.id}/cancel`, gl.tokens.developer, { method: 'POST' });
    const res = await patchTrace(gl, job, 0, 'still going');
    assert.equal(res.status, 403);
    assert.equal(res.headers['job-status'], 'canceled');
    const update = await updateJob(gl, job, 'success');
    assert.equal(update.status, 403);
    assert.deepEqual(update.json(), { message: '403 Forbidden - Job is not running' });
  });

  it('authorizes and takes artifact uploads (multipart, streamed to disk), 413 when too large', async () => {
    const job = (await requestJob(gl)).json<JobPayload>();
    const authorize = await call(`${gl.apiUrl}/jobs/${job.id}/artifacts/authorize?artifact_type=archive&filesize=1000`, {
      method: 'POST', headers: { 'JOB-TOKEN': job.token },
    });
    assert.equal(authorize.status, 200);
    assert.ok('TempPath' in authorize.json<object>());
    const tooBig = await call(`${gl.apiUrl}/jobs/${job.id}/artifacts/authorize?filesize=${200 * 1024 * 1024}`, {
      method: 'POST', headers: { 'JOB-TOKEN': job.token },
    });
    assert.equal(tooBig.status, 413);

    const zipPath = path.join(workDir, 'artifacts.zip');
    await writeZip(zipPath, { 'dist/app.js': 'x'.repeat(5000), 'reports/junit.xml': '<testsuites/>' });
    const zip = await readFile(zipPath);
    const form = multipart({ artifact_type: 'archive', artifact_format: 'zip', expire_in: '1 day' }, { name: 'artifacts.zip', data: zip });
    const upload = await call(`${gl.apiUrl}/jobs/${job.id}/artifacts`, { method: 'POST', headers: { 'JOB-TOKEN': job.token, ...form.headers }, body: form.body });
    assert.equal(upload.status, 201);
    const shown = (await api(gl, `/projects/1/jobs/${job.id}`, gl.tokens.reporter)).json<{ artifacts_file: { size: number }; artifacts_expire_at: string }>();
    assert.equal(shown.artifacts_file.size, zip.length);
    assert.ok(Date.parse(shown.artifacts_expire_at) > Date.now() + 23 * 3600_000);
    const own = await call(`${gl.apiUrl}/jobs/${job.id}/artifacts`, { headers: { 'JOB-TOKEN': job.token } });
    assert.equal(own.status, 200);
    assert.deepEqual(own.body, zip);

    gl.state.maxArtifactsSize = 1000;
    const big = multipart({}, { name: 'artifacts.zip', data: randomBytes(200_000) });
    const refused = await call(`${gl.apiUrl}/jobs/${job.id}/artifacts`, { method: 'POST', headers: { 'JOB-TOKEN': job.token, ...big.headers }, body: big.body });
    assert.equal(refused.status, 413);
  });

  it('runs a pipeline stage by stage: success moves on, manual waits, bridges mirror their downstream', async () => {
    const seen: string[] = [];
    for (let res = await requestJob(gl); res.status === 201; res = await requestJob(gl)) {
      const job = res.json<JobPayload>();
      seen.push(job.job_info.name);
      await patchTrace(gl, job, 0, `running ${job.job_info.name}\n`);
      const fails = job.job_info.name === 'test:lint';
      const update = await updateJob(gl, job, fails ? 'failed' : 'success', fails ? { failure_reason: 'script_failure', exit_code: 1 } : { exit_code: 0 });
      assert.equal(update.status, 200);
      assert.equal(update.text, '200');
    }
    assert.equal(seen[0], 'build');
    assert.ok(seen.indexOf('deploy:staging') > seen.indexOf('test:unit'));
    assert.ok(seen.includes('docs:build') && seen.includes('verify') && seen.includes('release'));
    assert.ok(!seen.includes('deploy:production'));
    const pipeline = (await api(gl, '/projects/1/pipelines/1008', gl.tokens.reporter)).json<{ status: string; detailed_status: { group: string } }>();
    assert.equal(pipeline.status, 'success');
    assert.equal(pipeline.detailed_status.group, 'success-with-warnings');
    const lint = gl.state.findJobs({ pipelineId: 1008, name: 'test:lint' })[0];
    const shownLint = (await api(gl, `/projects/1/jobs/${lint?.id}`, gl.tokens.reporter)).json<{ failure_reason: string }>();
    assert.equal(shownLint.failure_reason, 'script_failure');
    const bridges = (await api(gl, '/projects/1/pipelines/1008/bridges', gl.tokens.reporter)).json<{ status: string }[]>();
    assert.ok(bridges.every((b) => b.status === 'success'));
    const ran = await api(gl, '/runners/7/jobs?status=success&per_page=100', gl.tokens.maintainer);
    assert.ok(ran.json<{ name: string }[]>().some((j) => j.name === 'deploy:staging'));
  });

  it('skips later stages when a job that may not fail fails', async () => {
    const build = (await requestJob(gl)).json<JobPayload>();
    await updateJob(gl, build, 'failed', { failure_reason: 'script_failure' });
    const jobs = gl.state.pipelineJobs(1008);
    assert.ok(jobs.filter((j) => j.stage !== 'build' && j.kind === 'build').every((j) => j.status === 'skipped'));
    assert.equal(gl.state.requirePipeline(1008).status, 'failed');
    assert.equal((await requestJob(gl)).status, 204);
  });

  it('lets a running job fetch an earlier job\'s artifacts with its own token', async () => {
    const build = (await requestJob(gl)).json<JobPayload>();
    gl.state.attachArchiveFile(build.id, gl.state.archiveOf(gl.state.requireJob(5001))?.filePath ?? '');
    await updateJob(gl, build, 'success');
    const test = (await requestJob(gl)).json<JobPayload>();
    assert.ok(test.dependencies.some((d) => d.name === 'build'));
    const res = await call(`${gl.apiUrl}/jobs/${build.id}/artifacts`, { headers: { 'JOB-TOKEN': test.token } });
    assert.equal(res.status, 200);
    const direct = await call(`${gl.apiUrl}/jobs/${build.id}/artifacts?direct_download=true`, { headers: { 'JOB-TOKEN': test.token } });
    assert.equal(direct.status, 302);
    const stranger = await call(`${gl.apiUrl}/jobs/${build.id}/artifacts`, { headers: { 'JOB-TOKEN': 'glcbt-nope' } });
    assert.equal(stranger.status, 403);
  });
});
