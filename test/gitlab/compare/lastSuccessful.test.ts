import * as assert from 'node:assert/strict';
import { GitLab } from '../../../src/gitlab';
import { findLastSuccessfulRun, normalizedLog } from '../../../src/gitlab/compare/renderedLog';
import { type FakeGitLab } from '../../fake-gitlab';
import { startWithClient } from '../fakeSession';

describe('the last successful run of a failed job', () => {
  let fake: FakeGitLab;
  let gitlab: GitLab;

  beforeEach(async () => {

    ({ fake, gitlab } = await startWithClient());
  });
  afterEach(() => fake.close());

  /** The newest successful `name` job in a successful pipeline of `ref`, as the fake's state has it. */
  const newestSuccess = (ref: string, name: string) =>
    [...fake.state.pipelines.values()]
      .filter((pipeline) => pipeline.ref === ref && pipeline.status === 'success' && pipeline.projectId === 1)
      .flatMap((pipeline) => fake.state.findJobs({ pipelineId: pipeline.id, name }))
      .filter((job) => job.status === 'success')
      .sort((a, b) => b.id - a.id)[0];

  it('falls back to the default branch when the ref has no successful run of the job', async () => {
    const failed = await gitlab.jobs.get(1, fake.state.findJobs({ pipelineId: 1004, name: 'test:unit' })[0]?.id ?? 0);
    assert.equal(failed.ref, 'feature/login');
    const found = await findLastSuccessfulRun(gitlab, 1, failed);
    const expected = newestSuccess('main', 'test:unit');
    assert.ok(found && expected);
    assert.deepEqual([found.job.id, found.job.name, found.job.ref, found.fromDefaultBranch], [expected.id, 'test:unit', 'main', true]);
  });

  it('takes the same ref first, and answers undefined when no run ever passed', async () => {
    const pipeline = fake.state.createPipelineForRef(1, 'main');
    const job = fake.state.findJobs({ pipelineId: pipeline.id, name: 'test:unit' })[0];
    assert.ok(job);
    fake.state.setJobStatus(job.id, 'failed');
    const found = await findLastSuccessfulRun(gitlab, 1, await gitlab.jobs.get(1, job.id));
    assert.equal(found?.fromDefaultBranch, false);
    assert.equal(found?.job.id, newestSuccess('main', 'test:unit')?.id);

    const lint = fake.state.findJobs({ pipelineId: pipeline.id, name: 'deploy:production' })[0];
    assert.ok(lint);
    assert.equal(await findLastSuccessfulRun(gitlab, 1, await gitlab.jobs.get(1, lint.id)), undefined);
  });

  it("renders both logs normalised, so two runs' identical steps read the same", async () => {
    const [a, b] = fake.state.findJobs({ pipelineId: 1004 }).filter((job) => job.kind === 'build');
    assert.ok(a && b);
    const log = (id: number, sha: string, seconds: string) =>
      `Running on runner-1 for job ${id}\nChecking out ${sha} as main...\nsection_start:1700000000:step_script\r\u001b[0Knpm test\n\u001b[32;1mok in ${seconds}\u001b[0;m\nsection_end:1700000042:step_script\r\u001b[0K\n`;
    fake.state.setJobTrace(a.id, log(a.id, '22b2937a', '1.2s'));
    fake.state.setJobTrace(b.id, log(b.id, '9f00c0ffee', '3.4s'));
    const identity = { jobIds: [a.id, b.id], pipelineIds: [1004] };
    const [left, right] = await Promise.all([normalizedLog(gitlab, 1, a.id, identity), normalizedLog(gitlab, 1, b.id, identity)]);
    assert.equal(left, right);
    assert.match(left, /for job <job>\nChecking out <hash> as main/);
    assert.equal((await normalizedLog(gitlab, 1, a.id, identity, 2)).split('\n').at(-1), '… The log goes on: only its first 2 lines are compared.');
  });
});
