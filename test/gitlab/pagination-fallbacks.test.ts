import assert from 'node:assert/strict';
import { GitLab } from '../../src/gitlab';
import { GitLabError } from '../../src/gitlab/errors';
import { getAll } from '../../src/gitlab/pagination';
import { type ScriptedServer, type SeenRequest, sendJson, startScriptedServer } from './scriptedServer';

// 250 project jobs, newest (highest id) first, as GitLab lists them.
const JOBS = Array.from({ length: 250 }, (_, index) => ({ id: 10_250 - index, name: `job ${index}`, status: 'success' }));
const JOBS_PATH = '/api/v4/projects/group%2Fproject/jobs';

/** Offset pagination as GitLab writes it; `link: false` leaves only the X-* headers, `xHeaders: false` only Link. */
function offsetPage(request: SeenRequest, options: { link?: boolean; xHeaders?: boolean } = {}) {
  const page = Number(request.query.get('page') ?? '1');
  const perPage = Number(request.query.get('per_page') ?? '20');
  const items = JOBS.slice((page - 1) * perPage, page * perPage);
  const hasNext = page * perPage < JOBS.length;
  const headers: Record<string, string> = {};
  if (options.xHeaders !== false) Object.assign(headers, { 'X-Page': String(page), 'X-Per-Page': String(perPage), 'X-Next-Page': hasNext ? String(page + 1) : '' });
  if (options.link !== false && hasNext) {
    const next = new URLSearchParams(request.query);
    next.set('page', String(page + 1));
    // GitLab's configured host, not the one we talk to (a port-forward): only the query may be taken from it.
    headers.Link = `<https://gitlab.example.com${request.path}?${next.toString()}>; rel="next"`;
  }
  return { items, headers };
}

/** Keyset pagination by id descending, the cursor as GitLab encodes it. */
function keysetPage(request: SeenRequest) {
  const perPage = Number(request.query.get('per_page') ?? '20');
  const cursor = request.query.get('cursor');
  const after = cursor ? Number((JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { id: string }).id) : Infinity;
  const rest = JOBS.filter((job) => job.id < after);
  const items = rest.slice(0, perPage);
  const headers: Record<string, string> = {};
  if (rest.length > perPage) {
    const next = new URLSearchParams(request.query);
    next.set('cursor', Buffer.from(JSON.stringify({ id: String(items.at(-1)?.id), _kd: 'n' })).toString('base64url'));
    headers.Link = `<http://gitlab.example.com${request.path}?${next.toString()}>; rel="next"`;
  }
  return { items, headers };
}

describe('Pagination that never stops early', () => {
  let server: ScriptedServer;
  let answer: (request: SeenRequest) => { items: unknown[]; headers: Record<string, string> } | { status: number; body: unknown };
  const gitlab = () => new GitLab({ instanceUrl: server.url, token: 'glpat-pagination-test-token', retry: { maxAttempts: 1 } });
  const jobIds = async (pages: AsyncIterable<{ id: number }[]>) => {
    const ids: number[] = [];
    for await (const page of pages) ids.push(...page.map((job) => job.id));
    return ids;
  };

  beforeEach(async () => {
    server = await startScriptedServer((request, res) => {
      const result = answer(request);
      if ('status' in result) sendJson(res, result.body, {}, result.status);
      else sendJson(res, result.items, result.headers);
    });
  });
  afterEach(async () => {
    await server.close();
  });

  it('follows X-Next-Page when the server ignores pagination=keyset', async () => {
    answer = (request) => offsetPage(request, { link: false });
    const ids = await jobIds(gitlab().jobs.iterate('group/project'));
    assert.deepEqual(ids, JOBS.map((job) => job.id));
    assert.deepEqual(server.requests.map((request) => request.query.get('page')), [null, '2', '3']);
  });

  it('follows a Link with page= when that is all the server sends, on its own host and port', async () => {
    answer = (request) => offsetPage(request, { xHeaders: false });
    const ids = await jobIds(gitlab().jobs.iterate('group/project', [], { perPage: 100 }));
    assert.equal(ids.length, 250);
    assert.equal(new Set(ids).size, 250);
    assert.equal(server.requests.length, 3, 'every page asked of the server we talk to');
  });

  it('still walks keyset cursors when the server honours them', async () => {
    answer = (request) => keysetPage(request);
    const ids = await jobIds(gitlab().jobs.iterate('group/project', [], { perPage: 100 }));
    assert.deepEqual(ids, JOBS.map((job) => job.id));
    assert.ok(server.requests.slice(1).every((request) => request.query.has('cursor')));
  });

  it('switches an offset listing to keyset from where it is on GitLab\'s 405 offset limit', async () => {
    const limit = 100;
    answer = (request) => {
      if (request.query.get('pagination') === 'keyset') return keysetPage(request);
      const page = Number(request.query.get('page'));
      const perPage = Number(request.query.get('per_page'));
      if (page * perPage > limit) {
        return {
          status: 405,
          body: { error: `Offset pagination has a maximum allowed offset of ${limit} for requests that return objects of type Ci::Build. Remaining records can be retrieved using keyset pagination.` },
        };
      }
      return offsetPage(request);
    };
    const jobs = await getAll<{ id: number }>(gitlab().client, '/projects/group%2Fproject/jobs', {}, { perPage: 50 });
    assert.deepEqual(jobs.map((job) => job.id), JOBS.map((job) => job.id), 'all 250, none twice, in order');
    const keyset = server.requests.filter((request) => request.query.get('pagination') === 'keyset');
    assert.equal(keyset.length, 3);
    assert.equal(keyset[0].query.get('page'), null);
    const cursor = JSON.parse(Buffer.from(keyset[0].query.get('cursor') ?? '', 'base64url').toString()) as { id: string; _kd: string };
    assert.deepEqual(cursor, { id: String(JOBS[99].id), _kd: 'n' }, 'the cursor after the last job held, as GitLab writes it');
  });

  it('fails loudly, not endlessly, when the server sends the same page whatever is asked', async () => {
    answer = () => ({ items: JOBS.slice(0, 20), headers: { 'X-Next-Page': '2' } });
    const error = await jobIds(gitlab().jobs.iterate('group/project')).catch((caught: unknown) => caught);
    assert.ok(error instanceof GitLabError);
    assert.equal(error.reason, 'malformed-response');
    assert.match(error.message, /same page again/);
    const offsetError = await getAll(gitlab().client, JOBS_PATH.replace('/api/v4', '')).catch((caught: unknown) => caught);
    assert.ok(offsetError instanceof GitLabError);
    assert.match(offsetError.message, /same page again/);
  });
});
