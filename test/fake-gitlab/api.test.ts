import * as assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { startFakeGitLab, type FakeGitLab } from './index';
import { api, call } from './test-client';

interface Pipeline { id: number; status: string; source: string; ref: string }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
interface Job { id: number; name: string; status: string; stage: string }

describe('fake GitLab: auth, projects, pipelines, jobs', () => {
  let gl: FakeGitLab;
  before(async () => {
    gl = await startFakeGitLab({ generation: '18.2' });
  });
  after(async () => {
    await gl.close();
  });

  describe('auth', () => {
    it('answers 401 without a token or with an unknown one', async () => {
      for (const token of [null, 'glpat-nope']) {
        const res = await api(gl, '/user', token);
        assert.equal(res.status, 401);
        assert.deepEqual(res.json(), { message: '401 Unauthorized' });
      }
    });

    it('accepts PRIVATE-TOKEN and Authorization: Bearer alike', async () => {
      const byHeader = await api(gl, '/user', gl.tokens.developer);
      const byBearer = await call(`${gl.apiUrl}/user`, { headers: { Authorization: `Bearer ${gl.tokens.developer}` } });
      assert.equal(byHeader.json<{ username: string }>().username, 'dave');
      assert.equal(byBearer.json<{ username: string }>().username, 'dave');
    });

    it('tells expired and revoked tokens apart with invalid_token', async () => {
      const expired = await api(gl, '/user', gl.tokens.expired);
      assert.equal(expired.status, 401);
      assert.deepEqual(expired.json(), {
        error: 'invalid_token', error_description: 'Token is expired. You can either do re-authorization or token refresh.',
      });
      const revoked = await api(gl, '/user', gl.tokens.revoked);
      assert.equal(revoked.status, 401);
      assert.equal(revoked.json<{ error_description: string }>().error_description, 'Token was revoked. You have to re-authorize from the user.');
    });

    it('lets read_api read but not write (insufficient_scope)', async () => {
      assert.equal((await api(gl, '/projects/1/pipelines', gl.tokens.readOnly)).status, 200);
      const write = await api(gl, '/projects/1/pipelines/1001/retry', gl.tokens.readOnly, { method: 'POST' });
      assert.equal(write.status, 403);
      assert.equal(write.json<{ error: string }>().error, 'insufficient_scope');
    });

    it('checks roles: a reporter cannot retry, a developer cannot delete artifacts', async () => {
      const retry = await api(gl, '/projects/1/jobs/5001/retry', gl.tokens.reporter, { method: 'POST' });
      assert.equal(retry.status, 403);
      assert.deepEqual(retry.json(), { message: '403 Forbidden' });
      const remove = await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.developer, { method: 'DELETE' });
      assert.equal(remove.status, 403);
      assert.deepEqual(remove.json(), { message: '403 Forbidden' });
    });

    it('refuses JOB-TOKEN on the trace endpoint', async () => {
      const running = gl.state.setJobStatus(gl.state.findJobs({ pipelineId: 1008, name: 'build' })[0]?.id ?? 0, 'running');
      const res = await api(gl, `/projects/1/jobs/${running.id}/trace`, null, { headers: { 'JOB-TOKEN': running.token ?? '' } });
      assert.equal(res.status, 401);
      gl.state.finishJob(running, 'success');
    });

    it('shows the token itself at /personal_access_tokens/self', async () => {
      const res = await api(gl, '/personal_access_tokens/self', gl.tokens.readOnly);
      const token = res.json<{ scopes: string[]; active: boolean; expires_at: string }>();
      assert.deepEqual(token.scopes, ['read_api']);
      assert.equal(token.active, true);
      assert.equal(token.expires_at, '2099-01-01');
    });
  });

  it('closes promptly even while a request waits out a latency fault', async () => {
    const other = await startFakeGitLab({ generation: '18.2' });
    other.faults.add({ route: /.*/, kind: 'latency', ms: 60_000 });
    const waiting = api(other, '/user', other.tokens.reporter).then(() => 'answered', () => 'cut off');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 2000);
    assert.equal(await waiting, 'cut off');
  });

  it('puts object storage on the port asked for', async () => {
    const port = await freePort();
    const fixed = await startFakeGitLab({ generation: '18.2', objectStoragePort: port });
    try {
      assert.equal(new URL(fixed.objectStorage.url).port, String(port));
    } finally {
      await fixed.close();
    }
  });

  describe('projects', () => {
    it('finds a project by id and by URL-encoded full path, subgroups included', async () => {
      const byId = await api(gl, '/projects/2', gl.tokens.maintainer);
      const byPath = await api(gl, '/projects/demo-group%2Fplatform%2Fdeploy-service', gl.tokens.maintainer);
      assert.equal(byId.json<{ path_with_namespace: string }>().path_with_namespace, 'demo-group/platform/deploy-service');
      assert.deepEqual(byPath.json(), byId.json());
    });

    it('lists the token user\'s projects with counts, searched, ordered, simple or in full', async () => {
      const rita = 3;
      const theirs = [...gl.state.projects.values()].filter((p) => p.members.has(rita));
      const all = await api(gl, '/projects?membership=true', gl.tokens.reporter);
      assert.equal(all.status, 200);
      assert.equal(all.headers['x-total'], String(theirs.length));
      const full = all.json<{ id: number; name: string; created_at: string }[]>();
      assert.deepEqual(full.map((p) => p.id).sort(), theirs.map((p) => p.id).sort());
      assert.ok(full.every((p, i) => i === 0 || p.created_at <= (full[i - 1]?.created_at ?? '')), 'newest first by default');
      assert.deepEqual(full.find((p) => p.id === 2), (await api(gl, '/projects/2', gl.tokens.reporter)).json());
      const byName = (await api(gl, '/projects?membership=true&order_by=name&sort=asc', gl.tokens.reporter)).json<{ name: string }[]>();
      assert.deepEqual(byName.map((p) => p.name), theirs.map((p) => p.name).sort());
      const found = (await api(gl, '/projects?membership=true&search=DEPLOY-SERV&simple=true', gl.tokens.reporter)).json<object[]>();
      assert.deepEqual(found.map((p) => (p as { id: number }).id), [2]);
      const basicKeys = Object.keys(found[0] ?? {});
      assert.deepEqual(basicKeys, Object.keys(full[0] ?? {}).slice(0, basicKeys.length), 'BasicProjectDetails: the first keys');
      assert.equal(basicKeys.at(-1), 'namespace');
      const project = gl.state.requireProject(2);
      const role = project.members.get(rita);
      project.members.delete(rita);
      try {
        const own = (await api(gl, '/projects?membership=true', gl.tokens.reporter)).json<{ id: number }[]>();
        assert.ok(own.length === theirs.length - 1 && !own.some((p) => p.id === 2));
      } finally {
        if (role) project.members.set(rita, role);
      }
      assert.equal((await api(gl, '/projects?order_by=nope', gl.tokens.reporter)).status, 400);
    });

    it('says 404 Project Not Found for unknown projects', async () => {
      const res = await api(gl, '/projects/no%2Fsuch', gl.tokens.maintainer);
      assert.equal(res.status, 404);
      assert.deepEqual(res.json(), { message: '404 Project Not Found' });
    });
  });

  describe('pipelines', () => {
    it('lists pipelines newest first, leaving child pipelines out unless asked for', async () => {
      const list = (await api(gl, '/projects/1/pipelines', gl.tokens.reporter)).json<Pipeline[]>();
      assert.deepEqual(list.map((p) => p.id), [...list.map((p) => p.id)].sort((a, b) => b - a));
      assert.ok(list.every((p) => p.source !== 'parent_pipeline'));
      const children = (await api(gl, '/projects/1/pipelines?source=parent_pipeline', gl.tokens.reporter)).json<Pipeline[]>();
      assert.ok(children.length > 0 && children.every((p) => p.source === 'parent_pipeline'));
    });

    it('filters by status, ref and scope', async () => {
      const failed = (await api(gl, '/projects/1/pipelines?status=failed', gl.tokens.reporter)).json<Pipeline[]>();
      assert.deepEqual(failed.map((p) => p.ref), ['feature/login']);
      const tags = (await api(gl, '/projects/1/pipelines?scope=tags', gl.tokens.reporter)).json<Pipeline[]>();
      assert.deepEqual(tags.map((p) => p.ref), ['v1.0.0']);
      const bad = await api(gl, '/projects/1/pipelines?scope=nope', gl.tokens.reporter);
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.json(), { error: 'scope does not have a valid value' });
    });

    it('filters by creation time, user and order', async () => {
      const cutoff = new Date(Date.now() - 24 * 3600_000).toISOString();
      const recent = (await api(gl, `/projects/1/pipelines?created_after=${cutoff}`, gl.tokens.reporter)).json<Pipeline[]>();
      assert.ok(recent.length > 0 && recent.every((p) => p.ref !== 'v1.0.0'));
      const older = (await api(gl, `/projects/1/pipelines?created_before=${cutoff}`, gl.tokens.reporter)).json<Pipeline[]>();
      assert.ok(older.some((p) => p.ref === 'v1.0.0'));
      const byMaria = (await api(gl, '/projects/1/pipelines?username=maria&order_by=id&sort=asc', gl.tokens.reporter)).json<Pipeline[]>();
      assert.deepEqual(byMaria.map((p) => p.ref), ['v1.0.0', 'main']);
    });

    it('gives the latest pipeline of a ref, or 403 when there is none', async () => {
      const latest = await api(gl, '/projects/1/pipelines/latest?ref=main', gl.tokens.reporter);
      assert.equal(latest.json<Pipeline>().id, 1008);
      assert.equal((await api(gl, '/projects/2/pipelines/latest?ref=main', gl.tokens.reporter)).status, 200);
      const none = await api(gl, '/projects/demo-group%2Fdemo-app/pipelines/latest?ref=v1.0.0', gl.tokens.reporter);
      assert.equal(none.status, 200);
      const noRef = await api(gl, '/projects/1/pipelines/latest?ref=nope', gl.tokens.reporter);
      assert.equal(noRef.status, 403);
    });

    it('lists a pipeline\'s jobs by id descending, bridges separately with their downstream pipeline', async () => {
      const jobs = (await api(gl, '/projects/1/pipelines/1001/jobs', gl.tokens.reporter)).json<Job[]>();
      assert.deepEqual(jobs.map((j) => j.id), [...jobs.map((j) => j.id)].sort((a, b) => b - a));
      assert.ok(!jobs.some((j) => j.name.endsWith(':child') || j.name.endsWith(':trigger')));
      const bridges = (await api(gl, '/projects/1/pipelines/1001/bridges', gl.tokens.reporter))
        .json<{ name: string; downstream_pipeline: { source: string } | null }[]>();
      assert.deepEqual(bridges.map((b) => [b.name, b.downstream_pipeline?.source]).sort(), [
        ['deploy-service:trigger', 'pipeline'], ['docs:child', 'parent_pipeline'],
      ]);
      const manual = (await api(gl, '/projects/1/pipelines/1001/jobs?scope[]=manual', gl.tokens.reporter)).json<Job[]>();
      assert.deepEqual(manual.map((j) => j.name), ['deploy:production']);
    });

    it('cancels a pipeline with 200', async () => {
      const pipeline = gl.state.createPipelineForRef(1, 'feature/login');
      const res = await api(gl, `/projects/1/pipelines/${pipeline.id}/cancel`, gl.tokens.developer, { method: 'POST' });
      assert.equal(res.status, 200);
      assert.equal(res.json<Pipeline>().status, 'canceled');
    });

    it('creates a pipeline from the project template with variables', async () => {
      const res = await api(gl, '/projects/1/pipeline?ref=feature%2Flogin', gl.tokens.developer, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ variables: [{ key: 'DEPLOY', value: 'no', variable_type: 'env_var' }] }),
      });
      assert.equal(res.status, 201);
      const created = res.json<Pipeline>();
      assert.equal(created.status, 'pending');
      assert.equal(created.source, 'api');
      assert.deepEqual(gl.state.requirePipeline(created.id).variables, [{ key: 'DEPLOY', value: 'no', variable_type: 'env_var' }]);
      const unknownRef = await api(gl, '/projects/1/pipeline?ref=nope', gl.tokens.developer, { method: 'POST' });
      assert.equal(unknownRef.status, 400);
    });
  });

  describe('jobs', () => {
    it('gives 404 Not found for a bridge id on the job endpoint', async () => {
      const bridge = gl.state.findJobs({ pipelineId: 1001, kind: 'bridge' })[0];
      const res = await api(gl, `/projects/1/jobs/${bridge?.id}`, gl.tokens.reporter);
      assert.equal(res.status, 404);
      assert.deepEqual(res.json(), { message: '404 Not found' });
    });

    it('retries into a new job, once', async () => {
      const failed = gl.state.findJobs({ pipelineId: 1004, name: 'test:unit' })[0];
      const res = await api(gl, `/projects/1/jobs/${failed?.id}/retry`, gl.tokens.developer, { method: 'POST' });
      assert.equal(res.status, 201);
      const retried = res.json<Job>();
      assert.notEqual(retried.id, failed?.id);
      assert.equal(retried.status, 'pending');
      const again = await api(gl, `/projects/1/jobs/${failed?.id}/retry`, gl.tokens.developer, { method: 'POST' });
      assert.equal(again.status, 403);
      assert.deepEqual(again.json(), { message: '403 Forbidden - Job is not retryable' });
      const latest = (await api(gl, '/projects/1/pipelines/1004/jobs', gl.tokens.reporter)).json<Job[]>().map((j) => j.id);
      const all = (await api(gl, '/projects/1/pipelines/1004/jobs?include_retried=true', gl.tokens.reporter)).json<Job[]>().map((j) => j.id);
      assert.ok(latest.includes(retried.id) && !latest.includes(failed?.id ?? 0));
      assert.ok(all.includes(failed?.id ?? 0));
    });

    it('plays manual jobs with variables and refuses others', async () => {
      const manual = gl.state.findJobs({ pipelineId: 1001, name: 'deploy:production' })[0];
      const played = await api(gl, `/projects/1/jobs/${manual?.id}/play`, gl.tokens.developer, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ job_variables_attributes: [{ key: 'TARGET', value: 'eu' }] }),
      });
      assert.equal(played.status, 200);
      assert.equal(played.json<Job>().status, 'pending');
      assert.deepEqual(manual?.playVariables, [{ key: 'TARGET', value: 'eu' }]);
      const build = await api(gl, '/projects/1/jobs/5001/play', gl.tokens.developer, { method: 'POST' });
      assert.equal(build.status, 400);
      assert.deepEqual(build.json(), { message: '400 Bad request - Unplayable Job' });
    });

    it('keeps started_at and duration null for a job canceled before it ran', async () => {
      const pipeline = gl.state.createPipelineForRef(1, 'main');
      const build = gl.state.pipelineJobs(pipeline.id).find((j) => j.name === 'build');
      const res = await api(gl, `/projects/1/jobs/${build?.id}/cancel`, gl.tokens.developer, { method: 'POST' });
      const canceled = res.json<{ status: string; started_at: string | null; duration: number | null; finished_at: string | null }>();
      assert.equal(canceled.status, 'canceled');
      assert.equal(canceled.started_at, null);
      assert.equal(canceled.duration, null);
      assert.notEqual(canceled.finished_at, null);
    });

    it('cancels with 201 even when nothing changes', async () => {
      const res = await api(gl, '/projects/1/jobs/5001/cancel', gl.tokens.developer, { method: 'POST' });
      assert.equal(res.status, 201);
      assert.equal(res.json<Job>().status, 'success');
    });

    it('erases finished jobs that have a log or artifacts, and only those', async () => {
      const seeded = gl.state.seedBigPipeline({ projectId: 1, jobCount: 2, traceBytes: 100 });
      const [first] = gl.state.pipelineJobs(seeded.id);
      const res = await api(gl, `/projects/1/jobs/${first?.id}/erase`, gl.tokens.maintainer, { method: 'POST' });
      assert.equal(res.status, 201);
      assert.notEqual(res.json<{ erased_at: string | null }>().erased_at, null);
      assert.equal((await api(gl, `/projects/1/jobs/${first?.id}/trace`, gl.tokens.maintainer)).text, '');
      const again = await api(gl, `/projects/1/jobs/${first?.id}/erase`, gl.tokens.maintainer, { method: 'POST' });
      assert.deepEqual(again.json(), { message: '403 Forbidden - Job is not erasable!' });
    });
  });
});
