import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { TraceCapabilities } from '../../../src/gitlab/trace/capabilities';
import { type FakeGitLab } from '../../fake-gitlab';
import { startWithClient } from '../fakeSession';
import { Recording, ScriptedRunner, until } from './followSupport';

const UNCHANGED_POLLS = 40;

describe('trace follower: a long follow on GitLab 18.2 (whole log, If-None-Match)', () => {
  let fake: FakeGitLab;

  afterEach(() => fake.close());

  it('leaves nothing on its abort signal per poll: a 304 closes its exchange', async () => {
    const started = await startWithClient({ generation: '18.2' });
    fake = started.fake;
    for (const pipeline of fake.state.pipelines.values()) fake.state.cancelPipeline(pipeline);
    const pipeline = fake.state.createPipeline(fake.state.requireProject('demo-group/demo-app'), {
      ref: 'main',
      userId: 1,
      template: { stages: ['test'], jobs: [{ name: 'quiet', stage: 'test' }] },
    });
    const runner = await ScriptedRunner.take(fake);
    await runner.append(Buffer.from('one line, then nothing for a while\n'));
    const jobId = fake.state.pipelineJobs(pipeline.id)[0].id;
    const unchanged = () => fake.requests.filter((request) => request.path.endsWith(`/jobs/${jobId}/trace`) && request.status === 304).length;

    const follow = new Recording(started.gitlab, jobId, { capabilities: new TraceCapabilities(), minIntervalMs: 1, maxIntervalMs: 2, statusIntervalMs: 1_000 });
    try {
      await until(() => unchanged() >= UNCHANGED_POLLS);
      // The follower's own wait, and at most one request in flight: not one listener per poll so far.
      const listeners = getEventListeners(follow.abort.signal, 'abort').length;
      assert.ok(listeners <= 2, `${listeners} abort listeners after ${unchanged()} unchanged polls`);
      assert.equal(follow.deliveredSize, 'one line, then nothing for a while\n'.length);
    } finally {
      follow.abort.abort();
      await follow.done;
    }
  });
});
