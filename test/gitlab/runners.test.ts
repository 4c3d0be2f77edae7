import assert from 'node:assert/strict';
import { GitLab } from '../../src/gitlab';
import { GitLabHttpError } from '../../src/gitlab/errors';
import { isPaused } from '../../src/gitlab/runners';
import { type FakeGitLab, generations, startFakeGitLab } from '../fake-gitlab';
import { api, jsonBody } from '../fake-gitlab/test-client';
import { RunnerApi } from '../../src/gitlab/runner';

const PROJECT = 'demo-group/demo-app';
const SIMULATED_RUNNER = 7;

async function rejection(promise: Promise<unknown>): Promise<GitLabHttpError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GitLabHttpError, `a GitLab HTTP error, got ${String(error)}`);
    return error;
  }
  return assert.fail('expected GitLab to refuse');
}

for (const generation of generations) {
  describe(`runners, user side (GitLab ${generation})`, () => {
    let fake: FakeGitLab;
    const as = (token: string) => new GitLab({ instanceUrl: fake.url, token, retry: { baseDelayMs: 10 } });
    const putRequests = () => fake.requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/api/v4/runners/')).length;

    beforeEach(async () => (fake = await startFakeGitLab({ generation })));
    afterEach(() => fake.close());

    it("lists the project's, its groups' and the instance's runners with their status, newest first", async () => {
      const runners = await as(fake.tokens.maintainer).runners.listForProject(PROJECT);
      assert.deepEqual(runners.map((r) => [r.id, r.runner_type, r.status, isPaused(r)]), [
        [9, 'instance_type', 'stale', true],
        [8, 'group_type', 'offline', false],
        [7, 'project_type', 'online', false],
      ]);
      assert.equal(runners.find((r) => r.id === SIMULATED_RUNNER)?.description, 'fake-runner-1');
      // The subgroup's project also sees the group runner, and its own runner that demo-app does not.
      const deployService = await as(fake.tokens.maintainer).runners.listForProject('demo-group/platform/deploy-service');
      assert.deepEqual(deployService.map((r) => [r.id, r.status]), [[10, 'never_contacted'], [9, 'stale'], [8, 'offline'], [7, 'online']]);
    });

    it('filters by type, status, paused and tags', async () => {
      const { runners } = as(fake.tokens.maintainer);
      const ids = async (filter: Parameters<typeof runners.listForProject>[1]) => (await runners.listForProject(PROJECT, filter)).map((r) => r.id);
      assert.deepEqual(await ids({ type: 'project_type' }), [7]);
      assert.deepEqual(await ids({ status: 'stale' }), [9]);
      assert.deepEqual(await ids({ paused: true }), [9]);
      assert.deepEqual(await ids({ paused: false }), [8, 7]);
      assert.deepEqual(await ids({ tags: ['docker', 'linux'] }), [7]);
      assert.deepEqual(await ids({ tags: ['arm64', 'docker'] }), []);
    });

    it('refuses the runner list to developers and reporters (403), and a project they are not in (404)', async () => {
      for (const token of [fake.tokens.developer, fake.tokens.reporter]) {
        const refused = await rejection(as(token).runners.listForProject(PROJECT));
        assert.equal(refused.status, 403);
        assert.equal(refused.reason, 'forbidden');
      }
      const missing = await rejection(as(fake.tokens.maintainer).runners.listForProject('demo-group/no-such-project'));
      assert.equal(missing.reason, 'not-found');
    });

    it("gives a runner's details: instance runners to anyone, project runners to their maintainers only", async () => {
      const details = await as(fake.tokens.maintainer).runners.get(SIMULATED_RUNNER);
      assert.deepEqual(details.tag_list, ['docker', 'linux']);
      assert.equal(details.run_untagged, true);
      assert.ok(details.contacted_at);
      assert.equal((await as(fake.tokens.developer).runners.get(9)).status, 'stale');
      const hidden = await rejection(as(fake.tokens.developer).runners.get(SIMULATED_RUNNER));
      assert.equal(hidden.status, 403);
      assert.equal(hidden.gitlabMessage, '403 Forbidden - No access granted');
      const missing = await rejection(as(fake.tokens.maintainer).runners.get(4242));
      assert.equal(missing.status, 404);
      assert.equal(missing.gitlabMessage, '404 Runner Not Found');
    });

    it('pauses the simulated runner, which then gets no job, and resumes it', async () => {
      const maintainer = as(fake.tokens.maintainer);
      const paused = await maintainer.runners.setPaused(SIMULATED_RUNNER, true);
      assert.equal(paused.paused, true);
      assert.equal(paused.active, false);
      assert.equal(fake.state.runners.get(SIMULATED_RUNNER)?.paused, true);
      assert.ok(fake.state.findJobs({ status: 'pending' }).length > 0, 'the seed leaves a job waiting for a runner');
      assert.equal(await new RunnerApi(maintainer.client).requestJob(fake.tokens.runner), undefined, 'a paused runner is given nothing');
      assert.equal((await maintainer.runners.listForProject(PROJECT, { paused: true })).some((r) => r.id === SIMULATED_RUNNER), true);

      const resumed = await maintainer.runners.setPaused(SIMULATED_RUNNER, false);
      assert.equal(isPaused(resumed), false);
      const job = await new RunnerApi(maintainer.client).requestJob(fake.tokens.runner);
      assert.ok(job, 'a resumed runner gets the waiting job');
    });

    it('refuses pausing to developers, on instance and group runners, and to read-only tokens, each sent once', async () => {
      const refusals: [string, number, string][] = [
        [fake.tokens.developer, SIMULATED_RUNNER, 'forbidden'],
        [fake.tokens.maintainer, 9, 'forbidden'],
        [fake.tokens.maintainer, 8, 'forbidden'],
        [fake.tokens.readOnly, SIMULATED_RUNNER, 'insufficient-scope'],
      ];
      for (const [token, runnerId, reason] of refusals) {
        const before = putRequests();
        const refused = await rejection(as(token).runners.setPaused(runnerId, true));
        assert.equal(refused.status, 403);
        assert.equal(refused.reason, reason);
        assert.equal(putRequests(), before + 1, 'a 403 is not retried');
      }
      assert.ok([...fake.state.runners.values()].every((r) => r.paused === (r.id === 9)), 'no runner changed');
    });

    it("lists a runner's jobs for its administrators only", async () => {
      const jobs = await as(fake.tokens.maintainer).runners.listRunnerJobs(SIMULATED_RUNNER, { perPage: 5 });
      assert.equal(jobs.items.length, 5);
      assert.ok(jobs.items.every((j) => fake.state.jobs.get(j.id)?.runnerId === SIMULATED_RUNNER));
      for (const [token, runnerId] of [[fake.tokens.developer, SIMULATED_RUNNER], [fake.tokens.maintainer, 8], [fake.tokens.maintainer, 9]] as const) {
        const refused = await rejection(as(token).runners.listRunnerJobs(runnerId));
        assert.equal(refused.gitlabMessage, '403 Forbidden - No access granted');
      }
    });
  });
}

describe('the fake GitLab: runner endpoints as GitLab validates them', () => {
  let fake: FakeGitLab;
  before(async () => (fake = await startFakeGitLab({ generation: '18.2' })));
  after(() => fake.close());

  it('rejects bad parameters with Grape\'s words', async () => {
    const put = (id: string, body: unknown) => api(fake, `/runners/${id}`, fake.tokens.maintainer, { method: 'PUT', ...jsonBody(body) });
    const none = await put('7', {});
    assert.equal(none.status, 400);
    assert.match(none.json<{ error: string }>().error, /at least one parameter must be provided$/);
    assert.deepEqual((await put('7', { paused: true, active: true })).json(), { error: 'active, paused are mutually exclusive' });
    assert.deepEqual((await put('7', { paused: 'maybe' })).json(), { error: 'paused is invalid' });
    assert.deepEqual((await put('seven', { paused: true })).json(), { error: 'id is invalid' });
    const badType = await api(fake, `/projects/1/runners?type=cloud`, fake.tokens.maintainer);
    assert.deepEqual([badType.status, badType.json()], [400, { error: 'type does not have a valid value' }]);
    assert.equal((await api(fake, '/runners/7', null)).status, 401);
  });

  it('shows the runner inside a job as the list does, and never its token', async () => {
    const job = [...fake.state.jobs.values()].find((j) => j.runnerId === SIMULATED_RUNNER);
    assert.ok(job);
    const shown = (await api(fake, `/projects/1/jobs/${job.id}`, fake.tokens.maintainer)).json<{ runner: Record<string, unknown> }>();
    const listed = (await api(fake, '/projects/1/runners', fake.tokens.maintainer)).json<Record<string, unknown>[]>();
    assert.deepEqual(shown.runner, listed.find((r) => r.id === SIMULATED_RUNNER));
    const details = await api(fake, '/runners/7', fake.tokens.maintainer);
    assert.ok(!details.text.includes('glrt-'), 'no runner token in the details');
  });
});
