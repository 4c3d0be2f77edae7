import * as assert from 'node:assert/strict';
import { featuresOf, generations, startFakeGitLab, type FakeGitLab } from './index';
import { api, call } from './test-client';

function links(header: string | undefined): Record<string, string> {
  const found: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>;\s*rel="(\w+)"/.exec(part);
    if (match?.[1] && match[2]) found[match[2]] = match[1];
  }
  return found;
}

for (const generation of generations) {
  describe(`fake GitLab ${generation}: pagination`, () => {
    let gl: FakeGitLab;
    const external = 'http://gitlab.example.test:8443';
    before(async () => {
      gl = await startFakeGitLab({ generation, externalUrl: external });
      gl.state.seedBigPipeline({ projectId: 1, jobCount: 45 });
    });
    after(async () => {
      await gl.close();
    });
    afterEach(() => {
      Object.assign(gl.features, featuresOf(generation));
    });

    it('sends X-* headers and a Link built from the external URL, keeping the other query parameters', async () => {
      const big = [...gl.state.pipelines.values()].at(-1);
      const res = await api(gl, `/projects/1/pipelines/${big?.id}/jobs?scope[]=success&per_page=10&page=2`, gl.tokens.reporter);
      assert.equal(res.status, 200);
      assert.equal(res.json<unknown[]>().length, 10);
      assert.equal(res.headers['x-page'], '2');
      assert.equal(res.headers['x-per-page'], '10');
      assert.equal(res.headers['x-next-page'], '3');
      assert.equal(res.headers['x-prev-page'], '1');
      assert.equal(res.headers['x-total'], '45');
      assert.equal(res.headers['x-total-pages'], '5');
      const rel = links(res.headers.link);
      assert.deepEqual(Object.keys(rel).sort(), ['first', 'last', 'next', 'prev']);
      const next = new URL(rel.next ?? '');
      assert.equal(next.origin, external);
      assert.equal(next.pathname, `/api/v4/projects/1/pipelines/${big?.id}/jobs`);
      assert.equal(next.searchParams.get('page'), '3');
      assert.deepEqual(next.searchParams.getAll('scope[]'), ['success']);
      assert.equal(new URL(rel.last ?? '').searchParams.get('page'), '5');
    });

    it('leaves X-Next-Page and X-Prev-Page empty at the ends, and web_url uses the external URL', async () => {
      const res = await api(gl, '/projects/1/pipelines', gl.tokens.reporter);
      assert.equal(res.headers['x-next-page'], '');
      assert.equal(res.headers['x-prev-page'], '');
      assert.ok(res.json<{ web_url: string }[]>().every((p) => p.web_url.startsWith(`${external}/demo-group/demo-app/-/pipelines/`)));
    });

    it('uses 20 per page by default and clamps per_page to 100', async () => {
      const big = [...gl.state.pipelines.values()].at(-1);
      const byDefault = await api(gl, `/projects/1/pipelines/${big?.id}/jobs`, gl.tokens.reporter);
      assert.equal(byDefault.headers['x-per-page'], '20');
      const clamped = await api(gl, `/projects/1/pipelines/${big?.id}/jobs?per_page=1000`, gl.tokens.reporter);
      assert.equal(clamped.headers['x-per-page'], '100');
      assert.equal(clamped.json<unknown[]>().length, 45);
    });

    it('refuses per_page=0 with 400', async () => {
      const res = await api(gl, '/projects/1/pipelines?per_page=0', gl.tokens.reporter);
      assert.equal(res.status, 400);
      assert.deepEqual(res.json(), { error: 'per_page has a value not allowed' });
    });

    it('never counts project jobs', async () => {
      const res = await api(gl, '/projects/1/jobs?per_page=5', gl.tokens.reporter);
      assert.equal(res.headers['x-total'], undefined);
      assert.equal(res.headers['x-total-pages'], undefined);
      assert.equal(res.headers['x-next-page'], '2');
      assert.deepEqual(Object.keys(links(res.headers.link)).sort(), ['first', 'next']);
    });

    it('stops counting over 10,000 records', async () => {
      const huge = gl.state.seedBigPipeline({ projectId: 2, jobCount: 10_001 });
      const res = await api(gl, `/projects/2/pipelines/${huge.id}/jobs?per_page=100`, gl.tokens.reporter);
      assert.equal(res.headers['x-total'], undefined);
      assert.equal(res.headers['x-total-pages'], undefined);
      assert.equal(links(res.headers.link).last, undefined);
      assert.equal(res.headers['x-next-page'], '2');
    });

    it('walks project jobs with keyset pagination: only Link, with a cursor, until the end', async () => {
      const seen: number[] = [];
      let url: string | undefined = `${gl.apiUrl}/projects/1/jobs?pagination=keyset&order_by=id&sort=desc&per_page=20`;
      while (url) {
        const res = await call(url.replace(external, gl.url), { headers: { 'PRIVATE-TOKEN': gl.tokens.reporter } });
        assert.equal(res.status, 200);
        assert.ok(Object.keys(res.headers).every((h) => !h.startsWith('x-page') && !h.startsWith('x-total') && h !== 'x-next-page'));
        seen.push(...res.json<{ id: number }[]>().map((j) => j.id));
        url = links(res.headers.link).next;
        if (url) assert.ok(new URL(url).searchParams.get('cursor'));
      }
      const all = gl.state.findJobs({ projectId: 1, kind: 'build' }).map((j) => j.id).sort((a, b) => b - a);
      assert.deepEqual(seen, all);
    });

    it('answers 405 for keyset combinations GitLab does not support', async () => {
      for (const query of ['order_by=id&sort=asc', 'order_by=created_at&sort=desc']) {
        const res = await api(gl, `/projects/1/jobs?pagination=keyset&${query}`, gl.tokens.reporter);
        assert.equal(res.status, 405);
        assert.deepEqual(res.json(), { error: 'Keyset pagination is not yet available for this type of request' });
      }
    });

    it('answers with offset headers when keyset is ignored (a server or proxy that drops pagination=keyset)', async () => {
      gl.features.keysetPagination = false;
      const res = await api(gl, '/projects/1/jobs?pagination=keyset&order_by=id&sort=desc&per_page=20', gl.tokens.reporter);
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-page'], '1');
      assert.equal(res.headers['x-next-page'], '2');
      const next = new URL(links(res.headers.link).next ?? '');
      assert.equal(next.searchParams.get('page'), '2');
      assert.equal(next.searchParams.get('cursor'), null);
    });

    it('refuses offset pages past enforce_ci_builds_pagination_limit with GitLab\'s 405, keyset still working', async () => {
      gl.features.jobsOffsetLimit = 40;
      assert.equal((await api(gl, '/projects/1/jobs?page=2&per_page=20', gl.tokens.reporter)).status, 200);
      const deep = await api(gl, '/projects/1/jobs?page=3&per_page=20', gl.tokens.reporter);
      assert.equal(deep.status, 405);
      assert.deepEqual(deep.json(), {
        error: 'Offset pagination has a maximum allowed offset of 40 for requests that return objects of type Ci::Build. '
          + 'Remaining records can be retrieved using keyset pagination.',
      });
      assert.equal((await api(gl, '/projects/1/jobs?page=1&per_page=1000', gl.tokens.reporter)).status, 405, 'per_page as asked, before clamping');
      assert.equal((await api(gl, '/projects/1/jobs?pagination=keyset&per_page=100', gl.tokens.reporter)).status, 200);
      const big = [...gl.state.pipelines.values()].at(-1);
      assert.equal((await api(gl, `/projects/${big?.projectId}/pipelines/${big?.id}/jobs?page=3&per_page=20`, gl.tokens.reporter)).status, 200, 'project jobs only');
    });

    it('builds Link from the configured host and port with the request\'s own scheme', async () => {
      const other = await startFakeGitLab({ generation, externalUrl: 'https://gitlab.example.com' });
      try {
        const plain = await api(other, '/projects/1/pipelines?per_page=1', other.tokens.reporter);
        assert.equal(new URL(links(plain.headers.link).next ?? '').origin, 'http://gitlab.example.com:443');
        const proxied = await api(other, '/projects/1/pipelines?per_page=1', other.tokens.reporter, { headers: { 'X-Forwarded-Proto': 'https' } });
        assert.equal(new URL(links(proxied.headers.link).next ?? '').origin, 'https://gitlab.example.com');
      } finally {
        await other.close();
      }
    });
  });
}
