import assert from 'node:assert/strict';
import { GitLab, type GitLabClientOptions } from '../../src/gitlab';
import { GitLabError, GitLabHttpError } from '../../src/gitlab/errors';
import { getAll } from '../../src/gitlab/pagination';
import { type FakeGitLab, startFakeGitLab } from '../fake-gitlab';
import { RunnerApi } from '../../src/gitlab/runner';

const PROJECT = 'demo-group/demo-app';

describe('GitLab client over HTTP', () => {
  let fake: FakeGitLab;
  const client = (options: Partial<GitLabClientOptions> = {}) =>
    new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer, retry: { baseDelayMs: 20, maxDelayMs: 100 }, ...options });
  const apiRequests = (pattern: RegExp) => fake.requests.filter((request) => pattern.test(request.path));

  beforeEach(async () => {
    fake = await startFakeGitLab();
  });
  afterEach(async () => {
    await fake.close();
  });

  describe('authentication', () => {
    it('sends the token as a Bearer header by default, or as PRIVATE-TOKEN when asked', async () => {
      await client().account.currentUser();
      await client({ tokenHeader: 'private-token' }).account.currentUser();
      const [bearer, privateToken] = apiRequests(/\/user$/);
      assert.equal(bearer.headers.authorization, `Bearer ${fake.tokens.maintainer}`);
      assert.equal(bearer.headers['private-token'], undefined);
      assert.equal(privateToken.headers['private-token'], fake.tokens.maintainer);
      assert.equal(privateToken.headers.authorization, undefined);
    });

    it('tells a bad token, an expired one and a missing scope apart', async () => {
      const reasonOf = async (token: string, call: (gitlab: GitLab) => Promise<unknown>) => {
        const error = await call(client({ token })).then(() => undefined, (caught: unknown) => caught);
        assert.ok(error instanceof GitLabHttpError, `expected a GitLabHttpError, got ${String(error)}`);
        return [error.status, error.reason];
      };
      assert.deepEqual(await reasonOf('glpat-nonsense-token-xxxx', (gitlab) => gitlab.account.currentUser()), [401, 'unauthorized']);
      assert.deepEqual(await reasonOf(fake.tokens.expired, (gitlab) => gitlab.account.currentUser()), [401, 'token-expired']);
      assert.deepEqual(await reasonOf(fake.tokens.revoked, (gitlab) => gitlab.account.currentUser()), [401, 'token-expired']);
      const job = fake.state.findJobs({ name: 'test:lint' })[0];
      assert.deepEqual(await reasonOf(fake.tokens.readOnly, (gitlab) => gitlab.jobs.retry(PROJECT, job.id)), [403, 'insufficient-scope']);
    });

    it('reads the token scopes and the project by path or id', async () => {
      assert.deepEqual((await client({ token: fake.tokens.readOnly }).account.tokenInfo()).scopes, ['read_api']);
      const byPath = await client().account.project(PROJECT);
      const byId = await client().account.project(byPath.id);
      assert.equal(byId.path_with_namespace, PROJECT);
      assert.ok(apiRequests(/\/projects\/demo-group%2Fdemo-app$/).length === 1, 'the path is sent URL-encoded');
    });
  });

  describe('retries', () => {
    it('waits as Retry-After says on 429 and then succeeds', async () => {
      fake.faults.add({ route: /\/user$/, kind: 'rateLimit', retryAfter: 1 });
      const started = Date.now();
      await client().account.currentUser();
      assert.ok(Date.now() - started >= 900, 'waited about a second');
      assert.equal(apiRequests(/\/user$/).length, 2);
    });

    it('gives up at once when GitLab asks for a longer wait than the policy allows, saying how long', async () => {
      fake.faults.add({ route: /\/user$/, kind: 'rateLimit', retryAfter: 3600 });
      const error = await client().account.currentUser().catch((caught: unknown) => caught);
      assert.ok(error instanceof GitLabHttpError);
      assert.equal(error.reason, 'rate-limited');
      assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs >= 3_599_000);
      assert.equal(apiRequests(/\/user$/).length, 1);
    });

    for (const status of [502, 503, 504] as const) {
      it(`retries an idempotent request after ${status}`, async () => {
        fake.faults.add({ route: /\/pipelines$/, kind: 'serverError', status, times: 2 });
        const page = await client().pipelines.list(PROJECT);
        assert.ok(page.items.length > 0);
        assert.equal(apiRequests(/\/pipelines$/).length, 3);
      });
    }

    it('does not retry a 500, and gives a typed error with GitLab\'s message', async () => {
      fake.faults.add({ route: /\/pipelines$/, kind: 'serverError', status: 500 });
      const error = await client().pipelines.list(PROJECT).catch((caught: unknown) => caught);
      assert.ok(error instanceof GitLabHttpError);
      assert.equal(error.status, 500);
      assert.equal(error.gitlabMessage, '500 Internal Server Error');
      assert.equal(apiRequests(/\/pipelines$/).length, 1);
    });

    it('retries a GET whose connection resets mid-body or whose body is truncated', async () => {
      fake.faults.add({ route: /\/pipelines$/, kind: 'reset' });
      fake.faults.add({ route: /\/user$/, kind: 'truncate' });
      assert.ok((await client().pipelines.list(PROJECT)).items.length > 0);
      assert.equal((await client().account.currentUser()).username, 'maria');
      assert.equal(apiRequests(/\/pipelines$/).length, 2);
      assert.equal(apiRequests(/\/user$/).length, 2);
    });

    it('never repeats a non-idempotent request on its own (retry, play, erase, cancel, create)', async () => {
      const failed = fake.state.findJobs({ name: 'test:lint' })[0];
      const manual = fake.state.findJobs({ name: 'deploy:production', status: 'manual' })[0];
      const finished = fake.state.findJobs({ name: 'build', status: 'success' })[0];
      const running = fake.state.findJobs({ status: 'pending' })[0];
      const gitlab = client();
      const calls: [RegExp, () => Promise<unknown>][] = [
        [/\/retry$/, () => gitlab.jobs.retry(PROJECT, failed.id)],
        [/\/play$/, () => gitlab.jobs.play(PROJECT, manual.id)],
        [/\/erase$/, () => gitlab.jobs.erase(PROJECT, finished.id)],
        [/\/cancel$/, () => gitlab.jobs.cancel(PROJECT, running.id)],
        [/\/pipeline$/, () => gitlab.pipelines.create(PROJECT, 'main')],
      ];
      for (const [route, call] of calls) {
        for (const kind of ['serverError', 'reset'] as const) {
          fake.faults.add({ route, kind, status: 503, method: 'POST' });
          const error = await call().catch((caught: unknown) => caught);
          assert.ok(error instanceof GitLabError, `${String(route)} ${kind}: a typed error`);
          assert.equal(apiRequests(route).length, kind === 'serverError' ? 1 : 2, `${String(route)} ${kind}: sent once per call`);
        }
      }
    });

    it('says plainly when the answer is an HTML page rather than GitLab JSON', async () => {
      fake.faults.add({ route: /\/user$/, kind: 'html' });
      const error = await client().account.currentUser().catch((caught: unknown) => caught);
      assert.ok(error instanceof GitLabError);
      assert.equal(error.reason, 'malformed-response');
      assert.match(error.message, /expected JSON but got text\/html/);
    });

    it('times out a request that does not answer, retries it, and ends in a typed timeout', async () => {
      fake.faults.add({ route: /\/user$/, kind: 'latency', ms: 2_000, times: Infinity });
      const error = await client({ timeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 10 } }).account.currentUser().catch((caught: unknown) => caught);
      assert.ok(error instanceof GitLabError);
      assert.equal(error.reason, 'timeout');
      assert.equal(apiRequests(/\/user$/).length, 2);
    });

    it('stops at once when the caller aborts, even while waiting to retry', async () => {
      fake.faults.add({ route: /\/user$/, kind: 'rateLimit', retryAfter: 30 });
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 100);
      const started = Date.now();
      const error = await client().account.currentUser(abort.signal).catch((caught: unknown) => caught);
      assert.ok(error instanceof GitLabError);
      assert.equal(error.reason, 'aborted');
      assert.ok(Date.now() - started < 2_000);
    });

    it('reports a dead server as a network error, not a hang', async () => {
      const url = fake.url;
      await fake.close();
      const error = await new GitLab({ instanceUrl: url, token: 'x', retry: { maxAttempts: 2, baseDelayMs: 10 } }).account.currentUser().catch((caught: unknown) => caught);
      assert.ok(error instanceof GitLabError);
      assert.equal(error.reason, 'network');
      fake = await startFakeGitLab();
    });
  });

  describe('pagination', () => {
    it('fetches the remaining pages in parallel once X-Total-Pages is known', async () => {
      const pipeline = fake.state.seedBigPipeline({ projectId: 1, jobCount: 250 });
      fake.faults.add({ route: /\/jobs$/, kind: 'latency', ms: 150, times: Infinity });
      const jobs = await client().pipelines.jobs(PROJECT, pipeline.id);
      assert.equal(jobs.length, 250);
      assert.equal(new Set(jobs.map((job) => job.id)).size, 250);
      const pages = apiRequests(new RegExp(`/pipelines/${pipeline.id}/jobs$`));
      assert.deepEqual(pages.map((request) => request.query.get('page')).sort(), ['1', '2', '3']);
      assert.ok(Math.abs(pages[1].at - pages[2].at) < 100, 'pages 2 and 3 were asked for together');
    });

    it('walks X-Next-Page when GitLab does not count (project jobs) and stops at the empty value', async () => {
      fake.state.seedBigPipeline({ projectId: 1, jobCount: 130 });
      const total = fake.state.findJobs({ projectId: 1 }).filter((job) => job.kind === 'build').length;
      const gitlab = client();
      const jobs = await getAll(gitlab.client, `/projects/${encodeURIComponent(PROJECT)}/jobs`, {}, { perPage: 50 });
      assert.equal(jobs.length, total);
      const pages = apiRequests(/\/projects\/[^/]+\/jobs$/);
      assert.equal(pages.length, Math.ceil(total / 50));
      assert.equal(pages.every((request) => request.query.get('per_page') === '50'), true);
    });

    it('follows Link when its host is GitLab\'s external URL rather than the one we talk to', async () => {
      await fake.close();
      fake = await startFakeGitLab({ externalUrl: 'https://gitlab.example.com' });
      fake.state.seedBigPipeline({ projectId: 1, jobCount: 120 });
      const gitlab = client();
      const pages: number[] = [];
      for await (const page of gitlab.jobs.iterate(PROJECT)) pages.push(page.length);
      assert.ok(pages.length >= 2, 'several keyset pages');
      const requests = apiRequests(/\/projects\/[^/]+\/jobs$/);
      assert.ok(requests.slice(1).every((request) => request.query.has('cursor')), 'later pages by cursor');
      assert.equal(pages.reduce((sum, count) => sum + count, 0), fake.state.findJobs({ projectId: 1, kind: 'build' }).length);
    });

    it('gives one page with its numbers when asked for one', async () => {
      const page = await client().pipelines.list(PROJECT, {}, { page: 1, perPage: 2 });
      assert.equal(page.items.length, 2);
      assert.equal(page.page, 1);
      assert.equal(page.perPage, 2);
      assert.equal(page.nextPage, 2);
      assert.ok(page.total !== undefined && page.total >= 4);
    });

    it('clamps per_page to GitLab\'s maximum of 100', async () => {
      await client().pipelines.list(PROJECT, {}, { perPage: 500 });
      assert.equal(apiRequests(/\/pipelines$/)[0].query.get('per_page'), '100');
    });
  });

  describe('artifact downloads leave the token home', () => {
    for (const tokenHeader of ['authorization', 'private-token'] as const) {
      it(`follows the redirect to object storage without the token (${tokenHeader})`, async () => {
        const job = fake.state.findJobs({ name: 'build', status: 'success' })[0];
        const download = await client({ tokenHeader }).artifacts.downloadArchive(PROJECT, { jobId: job.id });
        const bytes = Buffer.from(await download.body.arrayBuffer());
        assert.equal(bytes.subarray(0, 2).toString(), 'PK');
        assert.notEqual(download.url.origin, new URL(fake.url).origin, 'the bytes came from object storage');
        assert.ok(fake.objectStorage.requests.length > 0);
        for (const request of fake.objectStorage.requests) {
          assert.equal(request.headers.authorization, undefined);
          assert.equal(request.headers['private-token'], undefined);
          assert.equal(request.headers['job-token'], undefined);
        }
      });
    }

    it('keeps a job token home too (runner-side download)', async () => {
      const gitlab = client();
      const job = await new RunnerApi(gitlab.client).requestJob(fake.tokens.runner);
      assert.ok(job);
      const dependency = fake.state.findJobs({ name: 'build', status: 'success' })[0];
      const download = await new RunnerApi(gitlab.client).downloadArtifacts(dependency.id, job.token);
      await download.body.dump();
      assert.ok(fake.objectStorage.requests.every((request) => request.headers['job-token'] === undefined));
    });
  });
});
