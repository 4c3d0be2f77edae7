import assert from 'node:assert/strict';
import { GitLab } from '../../src/gitlab';
import { isFinished } from '../../src/gitlab/models';
import { sleep } from '../../src/gitlab/retry';
import { type FakeGitLab, startFakeGitLab } from '../fake-gitlab';
import { SimulatedRunner } from '../fake-gitlab/simulated-runner';

const PROJECT = 'demo-group/demo-app';

/** The simulated runner makes pipelines run: watched through the client, as the extension watches them. */
describe('a simulated pipeline run', () => {
  let fake: FakeGitLab;
  let runner: SimulatedRunner | undefined;
  let gitlab: GitLab;

  beforeEach(async () => {
    fake = await startFakeGitLab();
    gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer });
  });
  afterEach(async () => {
    await runner?.stop();
    await fake.close();
  });

  /** Polls the pipeline until it finishes, recording its statuses and the growth of one job's log. */
  async function watch(pipelineId: number, jobName: string, initialStatus: string) {
    const statuses: string[] = [initialStatus];
    const traceSizes: number[] = [];
    for (let poll = 0; poll < 600; poll++) {
      const pipeline = await gitlab.pipelines.get(PROJECT, pipelineId);
      if (statuses.at(-1) !== pipeline.status) statuses.push(pipeline.status);
      const job = (await gitlab.pipelines.jobs(PROJECT, pipelineId)).find((candidate) => candidate.name === jobName);
      if (job?.started_at) {
        const trace = await gitlab.jobs.trace(PROJECT, job.id);
        const size = (await trace.body.arrayBuffer()).byteLength;
        if (traceSizes.at(-1) !== size) traceSizes.push(size);
      }
      if (isFinished(pipeline.status) || pipeline.status === 'manual') return { statuses, traceSizes };
      await sleep(20);
    }
    throw new Error(`pipeline ${pipelineId} did not finish: ${statuses.join(' → ')}`);
  }

  it('runs from created to success, its log growing as the runner appends', async () => {
    const pipeline = await gitlab.pipelines.create(PROJECT, 'feature/login');
    assert.ok(['created', 'pending'].includes(pipeline.status));
    runner = new SimulatedRunner({ instanceUrl: fake.url, runnerToken: fake.tokens.runner, chunkBytes: 200, chunkIntervalMs: 15, pollIntervalMs: 20, concurrency: 3 });
    runner.start();
    const { statuses, traceSizes } = await watch(pipeline.id, 'build', pipeline.status);
    assert.ok(statuses.includes('running'), `went through running: ${statuses.join(' → ')}`);
    assert.ok(['success', 'manual'].includes(statuses.at(-1) ?? ''), `ended well: ${statuses.join(' → ')}`);
    assert.ok(traceSizes.length >= 3, `the log grew in steps: ${traceSizes.join(', ')}`);
    assert.deepEqual([...traceSizes].sort((a, b) => a - b), traceSizes, 'and only grew');
    const build = fake.state.findJobs({ pipelineId: pipeline.id, name: 'build' })[0];
    assert.equal(build.status, 'success');
    assert.ok(build.artifacts.some((artifact) => artifact.fileType === 'archive'), 'the runner uploaded its artifacts');
  });

  it('runs to failure when a job fails, skipping what comes after', async () => {
    const pipeline = await gitlab.pipelines.create(PROJECT, 'feature/login');
    runner = new SimulatedRunner({
      instanceUrl: fake.url,
      runnerToken: fake.tokens.runner,
      chunkBytes: 4096,
      chunkIntervalMs: 2,
      pollIntervalMs: 20,
      concurrency: 3,
      outcome: (job) => (job.job_info.name === 'test:unit' ? { status: 'failed', failureReason: 'script_failure' } : { status: 'success' }),
    });
    runner.start();
    const { statuses } = await watch(pipeline.id, 'test:unit', pipeline.status);
    assert.equal(statuses.at(-1), 'failed', statuses.join(' → '));
    const jobs = fake.state.findJobs({ pipelineId: pipeline.id });
    assert.equal(jobs.find((job) => job.name === 'test:unit')?.failureReason, 'script_failure');
    assert.equal(jobs.find((job) => job.name === 'deploy:staging')?.status, 'skipped');
    const log = (await (await gitlab.jobs.trace(PROJECT, jobs.find((job) => job.name === 'test:unit')?.id ?? 0)).body.text());
    assert.match(log, /ERROR: Job failed: exit code 1/);
  });
});
