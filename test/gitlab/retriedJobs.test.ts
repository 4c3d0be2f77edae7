import assert from 'node:assert/strict';
import { GitLab } from '../../src/gitlab';
import { compositeStatus, markRetried } from '../../src/gitlab/status';
import { type FakeGitLab, generations } from '../fake-gitlab';
import { startWithClient } from './fakeSession';

for (const generation of generations) {
  describe(`retried jobs in a stage's status (GitLab ${generation})`, () => {
    let fake: FakeGitLab;
    let gitlab: GitLab;

    beforeEach(async () => {

      ({ fake, gitlab } = await startWithClient({ generation }));
    });
    afterEach(async () => {
      await fake.close();
    });

    it('leaves a superseded failed attempt out of the stage status, and marks it retried', async () => {
      const failed = fake.state.findJobs({ pipelineId: 1004, name: 'test:unit' })[0];
      assert.ok(failed, 'the seed has a failed test:unit');
      const attempt = fake.state.retryJob(failed, 1);
      fake.state.setJobStatus(attempt.id, 'success');

      // GitLab's job entities carry no `retried` flag: the client must work it out from the list.
      const jobs = await gitlab.pipelines.jobs(1, 1004, { includeRetried: true });
      const stage = markRetried(jobs).filter((job) => job.stage === failed.stage);
      assert.deepEqual(
        stage.filter((job) => job.name === 'test:unit').map((job) => [job.id, job.status, job.retried === true]).sort(),
        [[failed.id, 'failed', true], [attempt.id, 'success', false]].sort(),
      );
      assert.notEqual(compositeStatus(stage), 'failed');
      assert.equal(compositeStatus(stage.filter((job) => job.retried !== true)), compositeStatus(stage));
    });
  });
}
