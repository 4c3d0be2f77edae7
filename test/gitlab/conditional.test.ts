import assert from 'node:assert/strict';
import { GitLab } from '../../src/gitlab';
import { EtagCache } from '../../src/gitlab/etagCache';
import { getPage } from '../../src/gitlab/pagination';
import { type FakeGitLab, generations, startFakeGitLab } from '../fake-gitlab';
import { type ScriptedServer, sendJson, startScriptedServer } from './scriptedServer';

const PROJECT = 'demo-group/demo-app';

for (const generation of generations) {
  describe(`GitLab client: conditional requests (fake GitLab ${generation})`, () => {
    let fake: FakeGitLab;
    let gitlab: GitLab;
    const requestsTo = (pattern: RegExp) => fake.requests.filter((request) => pattern.test(request.path));

    beforeEach(async () => {
      fake = await startFakeGitLab({ generation });
      gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer, retry: { baseDelayMs: 10 } });
    });
    afterEach(async () => {
      await fake.close();
    });

    it('sends the last ETag again, and a 304 gives back the very same object', async () => {
      const first = await gitlab.pipelines.latest(PROJECT, 'main');
      const second = await gitlab.pipelines.latest(PROJECT, 'main');
      assert.ok(first);
      assert.equal(second, first, 'the same reference: unchanged is `===`');
      const [plain, conditional] = requestsTo(/\/pipelines\/latest$/);
      assert.equal(plain.headers['if-none-match'], undefined);
      assert.match(String(conditional.headers['if-none-match']), /^W\/"[0-9a-f]{32}"$/);
      const job = fake.state.findJobs({ name: 'build', status: 'success' })[0];
      assert.equal(await gitlab.jobs.get(PROJECT, job.id), await gitlab.jobs.get(PROJECT, job.id));
    });

    it('says notModified for a page, and a changed answer is a new object', async () => {
      const first = await gitlab.pipelines.list(PROJECT, {}, { perPage: 5 });
      const again = await gitlab.pipelines.list(PROJECT, {}, { perPage: 5 });
      assert.equal(first.notModified, false);
      assert.equal(again.notModified, true);
      assert.equal(again.items, first.items);
      assert.equal(again.nextPage, first.nextPage, 'pagination survives the 304');
      const created = await gitlab.pipelines.create(PROJECT, 'main');
      const changed = await gitlab.pipelines.list(PROJECT, {}, { perPage: 5 });
      assert.equal(changed.notModified, false);
      assert.notEqual(changed.items, first.items);
      assert.equal(changed.items[0].id, created.id);
    });

    it('gives the same combined array when every page of a multi-page list came back 304', async () => {
      const pipeline = fake.state.seedBigPipeline({ projectId: 1, jobCount: 250 });
      const first = await gitlab.pipelines.jobs(PROJECT, pipeline.id);
      const second = await gitlab.pipelines.jobs(PROJECT, pipeline.id);
      assert.equal(first.length, 250);
      assert.equal(second, first);
      const pages = requestsTo(new RegExp(`/pipelines/${pipeline.id}/jobs$`));
      assert.equal(pages.length, 6);
      assert.ok(pages.slice(3).every((request) => request.headers['if-none-match'] !== undefined), 'every page asked conditionally');

      const moved = fake.state.findJobs({ pipelineId: pipeline.id })[0];
      fake.state.setJobStatus(moved.id, 'running');
      const third = await gitlab.pipelines.jobs(PROJECT, pipeline.id);
      assert.notEqual(third, first);
      assert.equal(third.find((job) => job.id === moved.id)?.status, 'running');
      assert.equal(third.length, 250);
    });
  });
}

describe('GitLab client: conditional requests against odd servers', () => {
  let server: ScriptedServer;
  let answer: Parameters<typeof startScriptedServer>[0];
  const gitlab = () => new GitLab({ instanceUrl: server.url, token: 'glpat-conditional-test-token', retry: { maxAttempts: 1 } });

  beforeEach(async () => {
    server = await startScriptedServer((request, res) => answer(request, res));
  });
  afterEach(async () => {
    await server.close();
  });

  it('works without caching when a proxy strips ETags', async () => {
    answer = (_request, res) => sendJson(res, { id: 1, status: 'running' });
    const client = gitlab();
    const first = await client.pipelines.get('p', 1);
    const second = await client.pipelines.get('p', 1);
    assert.deepEqual(second, first);
    assert.ok(server.requests.every((request) => request.headers['if-none-match'] === undefined));
    assert.equal(client.client.etagCache.size, 0);
  });

  it('asks once more, unconditionally, when a 304 names an answer no longer held', async () => {
    const client = gitlab();
    answer = (request, res) => {
      if (request.headers['if-none-match']) {
        client.client.etagCache.delete(client.client.url('/projects/p/pipelines/1').href); // evicted while the request flew
        res.writeHead(304, { ETag: 'W/"one"' });
        res.end();
        return;
      }
      sendJson(res, { id: 1, status: 'success' }, { ETag: 'W/"one"' });
    };
    await client.pipelines.get('p', 1);
    assert.deepEqual(await client.pipelines.get('p', 1), { id: 1, status: 'success' });
    assert.deepEqual(server.requests.map((request) => request.headers['if-none-match']), [undefined, 'W/"one"', undefined]);
  });

  it('fills in the headers a 304 left out from the cached answer (pagination behind a proxy)', async () => {
    answer = (request, res) => {
      if (request.headers['if-none-match'] === 'W/"page"') {
        res.writeHead(304, { ETag: 'W/"page"' });
        res.end();
        return;
      }
      sendJson(res, [{ id: 3 }, { id: 2 }], { ETag: 'W/"page"', 'X-Next-Page': '2', 'X-Total': '4', 'X-Total-Pages': '2' });
    };
    const client = gitlab();
    await getPage(client.client, '/projects/p/pipelines', {}, { perPage: 2 });
    const again = await getPage(client.client, '/projects/p/pipelines', {}, { perPage: 2 });
    assert.equal(again.notModified, true);
    assert.equal(again.nextPage, 2);
    assert.equal(again.totalPages, 2);
  });

  it('never sends If-None-Match to artifact paths, whose weak ETag GitLab sends for every artifact', async () => {
    answer = (_request, res) => sendJson(res, { coverage: 81 }, { ETag: 'W/"12ae32cb1ec02d01eda3581b127c1fee"' });
    const client = gitlab();
    await client.client.json('GET', '/projects/p/jobs/5/artifacts/report.json');
    await client.client.json('GET', '/projects/p/jobs/5/artifacts/report.json');
    assert.deepEqual(server.requests.map((request) => request.headers['if-none-match']), [undefined, undefined]);
  });

  it('refuses a 304 to a request that was not conditional', async () => {
    answer = (_request, res) => {
      res.writeHead(304);
      res.end();
    };
    await assert.rejects(gitlab().pipelines.get('p', 1), /304/);
  });
});

describe('ETag cache bounds', () => {
  const entry = (bytes: number) => ({ etag: 'W/"x"', data: {}, header: () => undefined, bytes });

  it('drops the least recently used entry past its entry count', () => {
    const cache = new EtagCache(3, 1_000_000);
    for (const url of ['a', 'b', 'c']) cache.set(url, entry(10));
    cache.get('a'); // a is now the youngest
    cache.set('d', entry(10));
    assert.equal(cache.size, 3);
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a') && cache.get('c') && cache.get('d'));
  });

  it('stays within its byte budget, and keeps no answer bigger than a quarter of it', () => {
    const cache = new EtagCache(500, 1_000);
    for (let index = 0; index < 10; index++) cache.set(`u${index}`, entry(200));
    assert.equal(cache.size, 5);
    cache.set('huge', entry(300));
    assert.equal(cache.get('huge'), undefined);
  });

  it('remembers a combined list only while its first page is cached, weighed as all its pages', () => {
    const cache = new EtagCache(500, 1_000);
    const pages = [[1, 2], [3, 4]];
    const combined = cache.combine('first', pages, undefined, () => pages.flat());
    assert.notEqual(cache.combine('first', pages, undefined, () => pages.flat()), combined, 'nothing remembered without a cached first page');
    cache.set('first', entry(100));
    const remembered = cache.combine('first', pages, undefined, () => pages.flat());
    assert.equal(cache.combine('first', [...pages], undefined, () => pages.flat()), remembered, 'the same pages give the same array');
    assert.notEqual(cache.combine('first', [pages[0], [3, 5]], undefined, () => [1, 2, 3, 5]), remembered, 'a changed page gives a new one');
    const manyPages = Array.from({ length: 5 }, () => [0]);
    const big = cache.combine('first', manyPages, undefined, () => manyPages.flat());
    assert.notEqual(cache.combine('first', manyPages, undefined, () => manyPages.flat()), big, 'five pages of 100 bytes exceed a quarter of the budget');
  });
});
