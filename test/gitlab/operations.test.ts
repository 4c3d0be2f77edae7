import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GitLab } from '../../src/gitlab';
import { GitLabError, GitLabHttpError } from '../../src/gitlab/errors';
import { type FakeGitLab, featuresOf, generations, startFakeGitLab, writeZip } from '../fake-gitlab';
import { RunnerApi } from '../../src/gitlab/runner';

const PROJECT = 'demo-group/demo-app';

/** Every operation of the client, once, against the fake GitLab of each generation, checked against the fake's state. */
for (const generation of generations) describe(`GitLab API operations (GitLab ${generation})`, () => {
  const features = featuresOf(generation);
  let fake: FakeGitLab;
  let gitlab: GitLab;
  let scratch: string;
  const job = (name: string, status?: string) => {
    const found = fake.state.findJobs({ name }).filter((candidate) => status === undefined || candidate.status === status);
    assert.ok(found.length > 0, `a ${status ?? ''} job named ${name}`);
    return found[0];
  };

  beforeEach(async () => {
    fake = await startFakeGitLab({ generation });
    gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer, retry: { baseDelayMs: 10 } });
    scratch = await mkdtemp(path.join(tmpdir(), 'operations-'));
  });
  afterEach(async () => {
    await fake.close();
    await rm(scratch, { recursive: true, force: true });
  });

  describe('pipelines', () => {
    it('lists with filters, gets the latest for a ref, gets one', async () => {
      const failed = await gitlab.pipelines.list(PROJECT, { status: 'failed' });
      assert.ok(failed.items.length > 0 && failed.items.every((pipeline) => pipeline.status === 'failed'));
      const onMain = await gitlab.pipelines.list(PROJECT, { ref: 'main', order_by: 'id', sort: 'asc' });
      assert.ok(onMain.items.every((pipeline) => pipeline.ref === 'main'));
      assert.deepEqual(onMain.items.map((pipeline) => pipeline.id), [...onMain.items.map((pipeline) => pipeline.id)].sort((a, b) => a - b));
      const latest = await gitlab.pipelines.latest(PROJECT, 'main');
      assert.ok(latest);
      assert.equal(latest.ref, 'main');
      assert.equal(await gitlab.pipelines.latest(PROJECT, 'no-such-branch'), undefined);
      const detail = await gitlab.pipelines.get(PROJECT, latest.id);
      assert.equal(detail.id, latest.id);
      assert.ok(detail.detailed_status);
    });

    it('gives jobs (retried ones only when asked), a page of them, and bridges with downstream pipelines', async () => {
      const build = job('build', 'success');
      await gitlab.jobs.retry(PROJECT, build.id);
      const jobs = await gitlab.pipelines.jobs(PROJECT, build.pipelineId);
      const withRetried = await gitlab.pipelines.jobs(PROJECT, build.pipelineId, { includeRetried: true });
      assert.equal(withRetried.length, jobs.length + 1);
      const failedOnly = await gitlab.pipelines.jobs(PROJECT, build.pipelineId, { scope: ['failed'] });
      assert.ok(failedOnly.every((candidate) => candidate.status === 'failed'));
      const page = await gitlab.pipelines.jobsPage(PROJECT, build.pipelineId, { perPage: 2 });
      assert.equal(page.items.length, 2);
      const bridges = await gitlab.pipelines.bridges(PROJECT, build.pipelineId);
      assert.ok(bridges.some((bridge) => bridge.downstream_pipeline !== null));
    });

    it('creates with variables, cancels, retries', async () => {
      const created = await gitlab.pipelines.create(PROJECT, 'main', [{ key: 'DEPLOY', value: 'yes' }]);
      assert.deepEqual(fake.state.requirePipeline(created.id).variables.map(({ key, value }) => ({ key, value })), [{ key: 'DEPLOY', value: 'yes' }]);
      const canceled = await gitlab.pipelines.cancel(PROJECT, created.id);
      assert.equal(canceled.status, 'canceled');
      const retried = await gitlab.pipelines.retry(PROJECT, created.id);
      assert.notEqual(retried.status, 'canceled');
    });
  });

  describe('jobs', () => {
    it('lists project jobs by scope, a page and by keyset, and gets one', async () => {
      const failed = await gitlab.jobs.list(PROJECT, ['failed']);
      assert.ok(failed.items.length > 0 && failed.items.every((candidate) => candidate.status === 'failed'));
      assert.equal(failed.total, undefined, 'GitLab never counts project jobs');
      let all = 0;
      for await (const page of gitlab.jobs.iterate(PROJECT, [], { perPage: 3 })) all += page.length;
      assert.equal(all, fake.state.findJobs({ projectId: 1, kind: 'build' }).length);
      const one = await gitlab.jobs.get(PROJECT, failed.items[0].id);
      assert.equal(one.name, failed.items[0].name);
    });

    it('reads the trace whole, by slice, and not again while unchanged (304)', async () => {
      const build = job('build', 'success');
      const whole = await gitlab.jobs.trace(PROJECT, build.id);
      const text = Buffer.from(await whole.body.arrayBuffer());
      assert.ok(text.length > 100);
      assert.ok(whole.etag);
      const again = await gitlab.jobs.trace(PROJECT, build.id, { etag: whole.etag });
      assert.equal(again.status, 304);
      await again.body.dump();
      const slice = await gitlab.jobs.trace(PROJECT, build.id, { byteOffset: 10, byteLimit: 20 });
      // Only the newest GitLab serves slices; older ones ignore the parameters and send the whole log.
      assert.deepEqual(Buffer.from(await slice.body.arrayBuffer()), features.traceByteRange ? text.subarray(10, 30) : text);
    });

    it('retries into a new job, cancels, plays with variables, erases', async () => {
      const failed = job('test:lint', 'failed');
      const retried = await gitlab.jobs.retry(PROJECT, failed.id);
      assert.notEqual(retried.id, failed.id);
      assert.equal(fake.state.requireJob(failed.id).retried, true);
      const canceled = await gitlab.jobs.cancel(PROJECT, retried.id);
      assert.equal(canceled.status, 'canceled');
      const manual = job('deploy:production', 'manual');
      await gitlab.jobs.play(PROJECT, manual.id, [{ key: 'TARGET', value: 'eu' }]);
      assert.deepEqual(fake.state.requireJob(manual.id).playVariables, [{ key: 'TARGET', value: 'eu' }]);
      assert.notEqual(fake.state.requireJob(manual.id).status, 'manual');
      const build = job('build', 'success');
      const erased = await gitlab.jobs.erase(PROJECT, build.id);
      assert.ok(erased.erased_at);
      assert.equal(fake.state.requireJob(build.id).trace.size, 0);
    });

    it('carries GitLab\'s refusal when a job cannot be retried or played', async () => {
      const pending = fake.state.findJobs({ status: 'pending' })[0];
      const retry = await gitlab.jobs.retry(PROJECT, pending.id).catch((error: unknown) => error);
      assert.ok(retry instanceof GitLabHttpError);
      assert.equal(retry.status, 403);
      assert.equal(retry.gitlabMessage, '403 Forbidden - Job is not retryable');
      const play = await gitlab.jobs.play(PROJECT, pending.id).catch((error: unknown) => error);
      assert.ok(play instanceof GitLabHttpError);
      assert.equal(play.gitlabMessage, '400 Bad request - Unplayable Job');
    });
  });

  describe('artifacts', () => {
    it('downloads the archive by job id and by ref + job name', async () => {
      const build = job('build', 'success');
      const byId = await gitlab.artifacts.downloadArchive(PROJECT, { jobId: build.id });
      const byIdBytes = Buffer.from(await byId.body.arrayBuffer());
      assert.equal(byId.size, byIdBytes.length);
      // The archive's sha256 as a strong ETag on the newest GitLab; before, one bogus weak ETag for every artifact.
      assert.match(byId.etag ?? '', features.artifactEtag ? /^"[0-9a-f]{64}"$/ : /^W\/"12ae32cb1ec02d01eda3581b127c1fee"$/);
      const byRef = await gitlab.artifacts.downloadArchive(PROJECT, { ref: 'main', job: 'build', searchRecentSuccessfulPipelines: true });
      assert.equal(Buffer.from(await byRef.body.arrayBuffer()).subarray(0, 2).toString(), 'PK');
      const missing = await gitlab.artifacts.downloadArchive(PROJECT, { ref: 'main', job: 'no-such-job' }).catch((error: unknown) => error);
      assert.ok(missing instanceof GitLabHttpError);
      assert.equal(missing.status, 404);
    });

    it('serves from GitLab itself when artifacts are stored locally', async () => {
      fake.features.artifactsRedirect = false;
      const download = await gitlab.artifacts.downloadArchive(PROJECT, { jobId: job('build', 'success').id });
      assert.equal(download.url.origin, new URL(fake.url).origin);
      assert.equal(download.filename, 'artifacts.zip');
      await download.body.dump();
    });

    it('downloads one file by job and by ref', async () => {
      const build = job('build', 'success');
      const byJob = await gitlab.artifacts.downloadFile(PROJECT, { jobId: build.id }, 'reports/summary.txt');
      assert.match(await byJob.body.text(), /coverage: 81.4%/);
      const byRef = await gitlab.artifacts.downloadFile(PROJECT, { ref: 'main', job: 'build' }, 'dist/index.html');
      assert.match(await byRef.body.text(), /<title>demo-app<\/title>/);
      const before = fake.requests.length;
      for (const escaping of ['../../../user', 'dist/../../trace', '/etc/passwd', 'dist/./app.js']) {
        const refused = await gitlab.artifacts.downloadFile(PROJECT, { jobId: build.id }, escaping).catch((error: unknown) => error);
        assert.ok(refused instanceof GitLabError && refused.reason === 'bad-request', escaping);
      }
      assert.equal(fake.requests.length, before, 'no request left for a path that climbs out');
    });

    it('locates the archive and reads byte ranges there, or says ranges are not served', async () => {
      const build = job('build', 'success');
      const located = await gitlab.artifacts.locateArchive(PROJECT, { jobId: build.id });
      assert.equal(located.rangeReads, true);
      const whole = Buffer.from(await (await gitlab.artifacts.downloadArchive(PROJECT, { jobId: build.id })).body.arrayBuffer());
      assert.equal(located.size, whole.length);
      const tail = Buffer.from(await (await gitlab.artifacts.readRange(located, whole.length - 22, whole.length)).arrayBuffer());
      assert.deepEqual(tail, whole.subarray(whole.length - 22));
      fake.features.objectStorageRanges = false;
      assert.equal((await gitlab.artifacts.locateArchive(PROJECT, { jobId: build.id })).rangeReads, false);
    });

    it('lists the archive tree where GitLab has it, and says when it does not', async () => {
      const build = job('build', 'success');
      const tree = await gitlab.artifacts.tree(PROJECT, build.id, { path: 'dist', recursive: true });
      if (!features.artifactsTree) {
        assert.equal(tree, undefined, 'GitLab before 18.8 has no archive tree');
        return;
      }
      assert.ok(tree);
      assert.ok(tree.items.some((entry) => entry.path === 'dist/assets/styles/main.css' && entry.type === 'file'));
      const root = await gitlab.artifacts.tree(PROJECT, build.id);
      assert.deepEqual(root?.items.filter((entry) => entry.type === 'directory').map((entry) => entry.name), ['coverage', 'dist', 'logs', 'reports'], 'folders the zip only implies are listed too');
      fake.features.artifactsTree = false;
      assert.equal(await gitlab.artifacts.tree(PROJECT, build.id), undefined);
    });

    it('keeps, deletes a job\'s artifacts, and expires the project\'s', async () => {
      const build = job('build', 'success');
      const kept = await gitlab.artifacts.keep(PROJECT, build.id);
      assert.equal(kept.artifacts_expire_at, null);
      await gitlab.artifacts.deleteJobArtifacts(PROJECT, build.id);
      assert.equal(fake.state.requireJob(build.id).artifacts.filter((artifact) => artifact.fileType !== 'trace').length, 0);
      const developer = new GitLab({ instanceUrl: fake.url, token: fake.tokens.developer });
      const refused = await developer.artifacts.deleteJobArtifacts(PROJECT, job('test:unit', 'success').id).catch((error: unknown) => error);
      assert.ok(refused instanceof GitLabHttpError);
      assert.equal(refused.reason, 'forbidden');
      await gitlab.artifacts.expireProjectArtifacts(PROJECT);
    });
  });

  describe('runner side', () => {
    it('requests a job, appends its trace (202 and 416), uploads an artifact, finishes it', async () => {
      const runnerJob = await new RunnerApi(gitlab.client).requestJob(fake.tokens.runner);
      assert.ok(runnerJob, 'the seeded pipeline has a pending job');
      assert.equal(fake.state.requireJob(runnerJob.id).status, 'running');
      const first = await new RunnerApi(gitlab.client).appendTrace(runnerJob.id, runnerJob.token, Buffer.from('hello '), 0);
      assert.deepEqual([first.accepted, first.serverSize, first.jobStatus], [true, 6, 'running']);
      const wrongOffset = await new RunnerApi(gitlab.client).appendTrace(runnerJob.id, runnerJob.token, Buffer.from('again'), 2);
      assert.deepEqual([wrongOffset.accepted, wrongOffset.serverSize], [false, 6]);
      await new RunnerApi(gitlab.client).appendTrace(runnerJob.id, runnerJob.token, Buffer.from('world\n'), 6);
      assert.equal(fake.state.requireJob(runnerJob.id).trace.size, 12);

      const zip = path.join(scratch, 'artifacts.zip');
      await writeZip(zip, { 'out/result.txt': 'ok\n' });
      await new RunnerApi(gitlab.client).authorizeArtifact(runnerJob.id, runnerJob.token, { artifactType: 'archive', filesize: (await readFile(zip)).length });
      await new RunnerApi(gitlab.client).uploadArtifact(runnerJob.id, runnerJob.token, { filePath: zip, artifactType: 'archive', artifactFormat: 'zip', expireIn: '1 day' });
      await new RunnerApi(gitlab.client).updateJob(runnerJob.id, runnerJob.token, { state: 'success', exitCode: 0 });
      const finished = fake.state.requireJob(runnerJob.id);
      assert.equal(finished.status, 'success');
      assert.ok(finished.artifacts.some((artifact) => artifact.fileType === 'archive'));
      const downloaded = await gitlab.artifacts.downloadFile(PROJECT, { jobId: runnerJob.id }, 'out/result.txt');
      assert.equal(await downloaded.body.text(), 'ok\n');
    });

    it('answers "no job" when none is pending, and lists the runner\'s jobs', async () => {
      while (await new RunnerApi(gitlab.client).requestJob(fake.tokens.runner)) {
        // take every pending job
      }
      assert.equal(await new RunnerApi(gitlab.client).requestJob(fake.tokens.runner), undefined);
      const page = await gitlab.runners.listRunnerJobs(7, { status: 'running', perPage: 5 });
      assert.ok(page.items.length > 0 && page.items.every((candidate) => candidate.status === 'running'));
    });

    it('downloads a dependency\'s artifacts with a job token', async () => {
      const runnerJob = await new RunnerApi(gitlab.client).requestJob(fake.tokens.runner);
      assert.ok(runnerJob);
      const dependency = job('build', 'success');
      const download = await new RunnerApi(gitlab.client).downloadArtifacts(dependency.id, runnerJob.token);
      const file = path.join(scratch, 'dependency.zip');
      await writeFile(file, Buffer.from(await download.body.arrayBuffer()));
      assert.equal((await readFile(file)).subarray(0, 2).toString(), 'PK');
    });
  });
});
