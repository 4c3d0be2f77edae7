import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startFakeGitLab, type FakeGitLab } from './index';
import { compositeStatus, type PipelineTemplate } from './model';
import { parseMultipart } from './multipart';
import { parseExpireIn } from './state';

const blockingTemplate: PipelineTemplate = {
  stages: ['build', 'approve', 'deploy'],
  jobs: [
    { name: 'compile', stage: 'build' },
    { name: 'approve', stage: 'approve', when: 'manual', allowFailure: false },
    { name: 'ship', stage: 'deploy' },
    { name: 'cleanup', stage: 'deploy', when: 'always' },
  ],
};

describe('fake GitLab: state machine', () => {
  let gl: FakeGitLab;
  beforeEach(async () => {
    gl = await startFakeGitLab();
  });
  afterEach(async () => {
    await gl.close();
  });

  const statuses = (pipelineId: number): Record<string, string> =>
    Object.fromEntries(gl.state.pipelineJobs(pipelineId).map((j) => [j.name, j.status]));

  it('composes statuses like GitLab (warnings, ignored manual jobs, blocked pipelines)', () => {
    const entry = (status: string, allowFailure = false) => ({ status: status as 'success', allowFailure });
    assert.deepEqual(compositeStatus([entry('success'), entry('failed', true)]), { status: 'success', warnings: true });
    assert.equal(compositeStatus([entry('success'), entry('manual', true)]).status, 'success');
    assert.equal(compositeStatus([entry('success'), entry('manual')]).status, 'manual');
    assert.equal(compositeStatus([entry('success'), entry('running'), entry('created')]).status, 'running');
    assert.equal(compositeStatus([entry('pending'), entry('created')]).status, 'pending');
    assert.equal(compositeStatus([entry('canceled'), entry('success'), entry('skipped')]).status, 'canceled');
    assert.equal(compositeStatus([entry('failed'), entry('canceled')]).status, 'failed');
    assert.equal(compositeStatus([]).status, null);
  });

  it('waits at a blocking manual job, and moves on once it is played and passes', () => {
    const project = gl.state.requireProject('demo-group/demo-app');
    const pipeline = gl.state.createPipeline(project, { ref: 'main', userId: 1, template: blockingTemplate });
    const job = (name: string) => gl.state.findJobs({ pipelineId: pipeline.id, name })[0] ?? assert.fail(name);
    assert.deepEqual(statuses(pipeline.id), { compile: 'pending', approve: 'created', ship: 'created', cleanup: 'created' });
    gl.state.setJobStatus(job('compile').id, 'running');
    assert.equal(pipeline.status, 'running');
    assert.ok(pipeline.startedAt);
    gl.state.finishJob(job('compile'), 'success');
    assert.equal(job('approve').status, 'manual');
    assert.equal(pipeline.status, 'manual');
    assert.equal(job('ship').status, 'created');
    gl.state.playJob(job('approve'), 2, []);
    gl.state.setJobStatus(job('approve').id, 'success');
    assert.deepEqual(statuses(pipeline.id), { compile: 'success', approve: 'success', ship: 'pending', cleanup: 'pending' });
    gl.state.setJobStatus(job('ship').id, 'success');
    gl.state.setJobStatus(job('cleanup').id, 'success');
    assert.equal(pipeline.status, 'success');
    assert.ok(pipeline.finishedAt);
  });

  it('runs `when: always` jobs after a failure and skips the rest; a retry brings the skipped ones back', () => {
    const project = gl.state.requireProject(1);
    const pipeline = gl.state.createPipeline(project, { ref: 'main', userId: 1, template: blockingTemplate });
    const compile = gl.state.findJobs({ pipelineId: pipeline.id, name: 'compile' })[0] ?? assert.fail();
    gl.state.setJobStatus(compile.id, 'failed', 'script_failure');
    assert.deepEqual(statuses(pipeline.id), { compile: 'failed', approve: 'skipped', ship: 'skipped', cleanup: 'pending' });
    const retried = gl.state.retryJob(compile, 1);
    assert.ok(compile.retried);
    assert.equal(retried.status, 'pending');
    assert.deepEqual(statuses(pipeline.id), { compile: 'pending', approve: 'created', ship: 'created', cleanup: 'pending' });
    assert.equal(gl.state.findJobs({ pipelineId: pipeline.id, name: 'approve' })[0]?.status, 'created');
    assert.equal(gl.state.pipelineJobs(pipeline.id, true).length, 5);
  });

  it('mirrors a child pipeline on its bridge and cancels downstream with the pipeline', () => {
    const main = gl.state.requirePipeline(1008);
    const named = (name: string) => gl.state.findJobs({ pipelineId: main.id, name })[0] ?? assert.fail(name);
    gl.state.setJobStatus(named('build').id, 'success');
    const bridge = gl.state.findJobs({ pipelineId: main.id, name: 'docs:child' })[0] ?? assert.fail();
    const child = gl.state.requirePipeline(bridge.downstreamPipelineId ?? 0);
    assert.equal(child.source, 'parent_pipeline');
    assert.equal(bridge.status, 'running');
    const docsBuild = gl.state.findJobs({ pipelineId: child.id, name: 'docs:build' })[0] ?? assert.fail();
    gl.state.setJobStatus(docsBuild.id, 'failed');
    assert.equal(child.status, 'failed');
    assert.equal(bridge.status, 'failed');
    assert.equal(main.status, 'running');
    gl.state.setJobStatus(named('test:unit').id, 'success');
    gl.state.setJobStatus(named('test:lint').id, 'success');
    assert.equal(main.status, 'failed');
    assert.equal(named('deploy:staging').status, 'skipped');

    const fresh = gl.state.createPipeline(gl.state.requireProject(1), { ref: 'main', userId: 1 });
    gl.state.cancelPipeline(fresh);
    assert.equal(fresh.status, 'canceled');
    assert.ok(gl.state.pipelineJobs(fresh.id).every((j) => j.status === 'canceled'));
  });

  it('seeds a 1,000-job pipeline fast', () => {
    const started = Date.now();
    const pipeline = gl.state.seedBigPipeline({ projectId: 1, jobCount: 1000, traceBytes: 1024 });
    assert.ok(Date.now() - started < 2000);
    assert.equal(gl.state.pipelineJobs(pipeline.id).length, 1000);
    assert.equal(pipeline.status, 'success');
    assert.equal(gl.state.pipelineJobs(pipeline.id)[0]?.trace.size, 1024);
  });

  it('parses expire_in like GitLab', () => {
    assert.equal(parseExpireIn('1 week'), 7 * 86400_000);
    assert.equal(parseExpireIn('3 days 2 hrs'), (3 * 86400 + 7200) * 1000);
    assert.equal(parseExpireIn('30 mins'), 1800_000);
    assert.equal(parseExpireIn('never'), null);
  });
});

describe('fake GitLab: multipart parser', () => {
  it('finds parts whatever the chunk boundaries, and streams the file to disk', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fake-multipart-'));
    try {
      const boundary = 'xYzZy';
      const file = Buffer.concat([Buffer.from('\r\n--xYz not a boundary\r\n'), Buffer.alloc(5000, 1)]);
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="artifact_type"\r\n\r\njunit\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="junit.xml.gz"\r\n\r\n`),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      for (const size of [1, 7, 64, body.length]) {
        const chunks: Buffer[] = [];
        for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
        const form = await parseMultipart(Readable.from(chunks), boundary, dir, 1 << 20);
        assert.deepEqual(form.fields, { artifact_type: 'junit' });
        assert.equal(form.files[0]?.filename, 'junit.xml.gz');
        assert.deepEqual(await readFile(form.files[0]?.path ?? ''), file);
      }
      await assert.rejects(parseMultipart(Readable.from([body]), boundary, dir, 100), /413/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
