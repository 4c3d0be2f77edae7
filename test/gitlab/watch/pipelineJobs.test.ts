import assert from 'node:assert/strict';
import { GitLab } from '../../../src/gitlab';
import { CHANGEABLE_JOB_STATUSES, PipelineJobsWatch, SETTLED_BRIDGES_RECHECK_MS } from '../../../src/gitlab/watch/pipelineJobs';
import { type FakeGitLab, startFakeGitLab } from '../../fake-gitlab';

const PROJECT = 'demo-group/demo-app';

describe('watching a running pipeline\'s jobs (fake GitLab 18.2)', () => {
  let fake: FakeGitLab;
  let gitlab: GitLab;
  let pipelineId: number;
  let running: number[];
  /** Requests to this pipeline's jobs, or to one of its jobs, made by `action`. */
  const requestsDuring = async (action: () => Promise<unknown>) => {
    const from = fake.requests.length;
    await action();
    return fake.requests.slice(from).filter((request) => request.path.includes(`/pipelines/${pipelineId}/`) || /\/jobs\/\d+$/.test(request.path));
  };
  const singleJobFetches = (requests: { path: string }[]) => requests.flatMap((request) => /\/jobs\/(\d+)$/.exec(request.path)?.[1] ?? []).map(Number);

  beforeEach(async () => {
    fake = await startFakeGitLab({ generation: '18.2' });
    gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer, retry: { baseDelayMs: 10 } });
    const pipeline = fake.state.seedBigPipeline({ projectId: 1, jobCount: 450, status: 'success' });
    pipelineId = pipeline.id;
    running = fake.state.findJobs({ pipelineId }).slice(0, 3).map((job) => job.id);
    for (const id of running) fake.state.setJobStatus(id, 'running');
  });
  afterEach(async () => {
    await fake.close();
  });

  it('asks only for jobs that can still change, and fetches a job that finished once, by itself', async () => {
    const watch = new PipelineJobsWatch(gitlab, PROJECT, pipelineId, { includeRetried: false });
    const loaded = await watch.load();
    assert.equal(loaded.jobs.length, 450);
    assert.ok(watch.moving);

    const update = await requestsDuring(() => watch.update());
    const jobLists = update.filter((request) => request.path.endsWith('/jobs'));
    assert.equal(jobLists.length, 1, 'one page: only the 3 running jobs');
    assert.deepEqual(jobLists[0].query.getAll('scope[]'), [...CHANGEABLE_JOB_STATUSES]);
    assert.deepEqual(singleJobFetches(update), [], 'no finished job fetched again');
    assert.ok(update.length <= 2, `a list of changeable jobs and the trigger jobs (got ${update.map((request) => request.path).join(', ')})`);

    fake.state.setJobStatus(running[0], 'failed', 'script_failure');
    let afterFinish = await watch.update();
    const finishing = await requestsDuring(async () => {
      afterFinish = await watch.update();
    });
    // The first update after the finish fetched it; this one must not again.
    assert.deepEqual(singleJobFetches(finishing), []);
    assert.equal(afterFinish.jobs.find((job) => job.id === running[0])?.status, 'failed');
    assert.equal(afterFinish.jobs.length, 450);

    const quiet = await requestsDuring(async () => {
      assert.equal(await watch.update(), afterFinish, 'nothing changed: the very same snapshot');
    });
    assert.ok(quiet.every((request) => request.status === 304 || request.status === 200));
    assert.ok(quiet.filter((request) => request.path.endsWith('/jobs')).every((request) => request.query.getAll('scope[]').length > 0), 'never the whole list again');
  });

  it('fetches each job leaving the changeable set exactly once', async () => {
    const watch = new PipelineJobsWatch(gitlab, PROJECT, pipelineId, { includeRetried: false });
    await watch.load();
    fake.state.setJobStatus(running[1], 'success');
    const first = await requestsDuring(() => watch.update());
    assert.deepEqual(singleJobFetches(first), [running[1]]);
    // Never asked for again: its answer is not kept for conditional requests.
    const fetched = first.find((request) => request.path.endsWith(`/jobs/${running[1]}`));
    assert.ok(fetched);
    assert.equal(gitlab.client.etagCache.get(new URL(fetched.path, fake.url).href), undefined);
    const listed = first.find((request) => request.path.endsWith('/jobs') && request.query.getAll('scope[]').length > 0);
    assert.ok(listed && gitlab.client.etagCache.get(new URL(`${listed.path}?${listed.query.toString()}`, fake.url).href), 'the changeable jobs\' list is kept, for its next 304');
    const second = await requestsDuring(() => watch.update());
    assert.deepEqual(singleJobFetches(second), []);
    assert.equal(watch.snapshot?.jobs.find((job) => job.id === running[1])?.status, 'success');
  });

  it('keeps the objects of jobs that did not change, so readers see what changed by identity', async () => {
    const watch = new PipelineJobsWatch(gitlab, PROJECT, pipelineId, { includeRetried: false });
    const before = await watch.load();
    fake.state.setJobStatus(running[2], 'success');
    const after = await watch.update();
    assert.notEqual(after, before);
    const changed = after.jobs.filter((job, index) => job !== before.jobs[index]).map((job) => job.id);
    assert.deepEqual(changed, [running[2]]);
  });
});

describe('watching a pipeline\'s trigger jobs (fake GitLab 18.2)', () => {
  let fake: FakeGitLab;
  let gitlab: GitLab;
  let now: number;
  const bridgeLists = (from: number) => fake.requests.slice(from).filter((request) => request.path.endsWith('/bridges')).length;
  const watchOf = (pipelineId: number) => new PipelineJobsWatch(gitlab, PROJECT, pipelineId, { includeRetried: false, now: () => now });
  const isSettled = (status: string) => ['success', 'failed', 'canceled', 'skipped'].includes(status);

  beforeEach(async () => {
    fake = await startFakeGitLab({ generation: '18.2' });
    gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer, retry: { baseDelayMs: 10 } });
    now = Date.now();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('never asks again for the trigger jobs of a pipeline that has none', async () => {
    const pipeline = fake.state.seedBigPipeline({ projectId: 1, jobCount: 20, status: 'success' });
    fake.state.setJobStatus(fake.state.pipelineJobs(pipeline.id)[0].id, 'running');
    const watch = watchOf(pipeline.id);
    await watch.load();
    const from = fake.requests.length;
    now += 10 * SETTLED_BRIDGES_RECHECK_MS;
    await watch.update();
    await watch.update();
    assert.equal(bridgeLists(from), 0);
  });

  it('asks for trigger jobs on each update while one may change, and for settled ones only now and then', async () => {
    const settled = [...fake.state.pipelines.values()].find((pipeline) => {
      const bridges = fake.state.pipelineJobs(pipeline.id).filter((job) => job.kind === 'bridge');
      return bridges.length > 0 && bridges.every((bridge) => isSettled(bridge.status) && (bridge.downstreamPipelineId === null || isSettled(fake.state.requirePipeline(bridge.downstreamPipelineId).status)));
    });
    assert.ok(settled, 'the seeded project has a finished pipeline with trigger jobs');
    const watch = watchOf(settled.id);
    await watch.load();
    let from = fake.requests.length;
    await watch.update();
    assert.equal(bridgeLists(from), 0, 'settled trigger jobs are not asked for right after a load');
    now += SETTLED_BRIDGES_RECHECK_MS;
    from = fake.requests.length;
    await watch.update();
    assert.equal(bridgeLists(from), 1, 'but again after a while (a retry in GitLab makes a new one)');

    const created = fake.state.createPipelineForRef(1, 'main');
    const moving = watchOf(created.id);
    await moving.load();
    assert.ok(moving.snapshot?.bridges.some((bridge) => !isSettled(bridge.status)));
    from = fake.requests.length;
    await moving.update();
    await moving.update();
    assert.equal(bridgeLists(from), 2, 'trigger jobs that may change are asked for each time');
  });
});
