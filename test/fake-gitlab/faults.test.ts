import * as assert from 'node:assert/strict';
import { get } from 'node:http';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { startFakeGitLab, type FakeGitLab } from './index';
import { api, call } from './test-client';

/** What a streaming gunzip hands out before it fails, fed a byte at a time as from a slow network. */
function decodableStart(body: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const gunzip = createGunzip({ flush: constants.Z_SYNC_FLUSH });
    gunzip.on('data', (chunk: Buffer) => out.push(chunk));
    gunzip.on('error', () => resolve(Buffer.concat(out)));
    gunzip.on('end', () => resolve(Buffer.concat(out)));
    for (const byte of body) gunzip.write(Buffer.from([byte]));
    gunzip.end();
  });
}

describe('fake GitLab: fault injection', () => {
  let gl: FakeGitLab;
  before(async () => {
    gl = await startFakeGitLab({ generation: '18.2', features: { artifactsRedirect: true } });
  });
  after(async () => {
    await gl.close();
  });
  afterEach(() => {
    gl.faults.clear();
  });

  it('delays responses (latency), globally with /.*/', async () => {
    const handle = gl.faults.add({ route: /.*/, kind: 'latency', ms: 250, times: 2 });
    const started = Date.now();
    assert.equal((await api(gl, '/user', gl.tokens.reporter)).status, 200);
    assert.ok(Date.now() - started >= 240);
    assert.equal(handle.hits, 1);
  });

  it('rate-limits like Rack::Attack: 429 text/plain with Retry-After and RateLimit-* headers, then recovers', async () => {
    gl.faults.add({ route: '/api/v4/projects/1/pipelines', kind: 'rateLimit', retryAfter: 30 });
    const limited = await api(gl, '/projects/1/pipelines', gl.tokens.reporter);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['content-type'], 'text/plain');
    assert.equal(limited.text, 'Retry later\n');
    assert.equal(limited.headers['retry-after'], '30');
    for (const name of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-resettime', 'ratelimit-name']) {
      assert.ok(limited.headers[name], name);
    }
    assert.ok(Math.abs(Number(limited.headers['ratelimit-reset']) - (Date.now() / 1000 + 30)) < 5);
    assert.equal((await api(gl, '/projects/1/pipelines', gl.tokens.reporter)).status, 200);
  });

  it('fails with 500 JSON, or 502/503/504 HTML pages from the proxy', async () => {
    gl.faults.add({ route: '/api/v4/user', kind: 'serverError' });
    const internal = await api(gl, '/user', gl.tokens.reporter);
    assert.equal(internal.status, 500);
    assert.deepEqual(internal.json(), { message: '500 Internal Server Error' });
    for (const status of [502, 503, 504] as const) {
      gl.faults.add({ route: '/api/v4/user', kind: 'serverError', status });
      const res = await api(gl, '/user', gl.tokens.reporter);
      assert.equal(res.status, status);
      assert.match(res.headers['content-type'] ?? '', /^text\/html/);
      assert.match(res.text, new RegExp(String(status)));
    }
  });

  it('answers a sign-in page (200 text/html) instead of JSON', async () => {
    gl.faults.add({ route: /\/pipelines$/, kind: 'html' });
    const res = await api(gl, '/projects/1/pipelines', gl.tokens.reporter);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/html/);
    assert.throws(() => res.json());
  });

  it('resets the connection after part of the body', async () => {
    gl.faults.add({ route: '/api/v4/projects/1/jobs/5001/trace', kind: 'reset', bytes: 100 });
    await assert.rejects(api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter));
    assert.equal((await api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter)).status, 200);
  });

  it('truncates: Content-Length promises more than is sent, then the connection ends', async () => {
    gl.faults.add({ route: '/api/v4/projects/1/jobs/5001/trace', kind: 'truncate', bytes: 100 });
    const { promised, received, ended } = await new Promise<{ promised: number; received: number; ended: string }>((resolve, reject) => {
      get(`${gl.apiUrl}/projects/1/jobs/5001/trace`, { headers: { 'PRIVATE-TOKEN': gl.tokens.reporter } }, (res) => {
        let received = 0;
        const promised = Number(res.headers['content-length']);
        res.on('data', (chunk: Buffer) => (received += chunk.length));
        res.on('end', () => resolve({ promised, received, ended: 'end' }));
        res.on('error', () => resolve({ promised, received, ended: 'error' }));
      }).on('error', reject);
    });
    assert.equal(received, 100);
    assert.ok(promised > received);
    assert.equal(ended, 'error');
    await assert.rejects(api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter).then(() => {
      gl.faults.add({ route: '/api/v4/projects/1/jobs/5001/trace', kind: 'truncate' });
      return api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter);
    }));
  });

  it('matches the method and applies to object storage too, as often as asked', async () => {
    const location = (await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter)).headers.location ?? '';
    const handle = gl.faults.add({ route: /^\/gitlab-artifacts\//, origin: 'objectStorage', kind: 'serverError', status: 503, times: Infinity });
    gl.faults.add({ route: /.*/, method: 'POST', kind: 'serverError' });
    assert.equal((await call(location)).status, 503);
    assert.equal((await call(location)).status, 503);
    assert.equal((await api(gl, '/user', gl.tokens.reporter)).status, 200);
    assert.equal(handle.hits, 2);
    handle.remove();
    assert.equal((await call(location)).status, 200);
    const range = gl.faults.add({ route: /^\/gitlab-artifacts\//, kind: 'reset', bytes: 10 });
    await assert.rejects(call(location));
    assert.equal(range.hits, 1);
  });

  it('breaks gzip (corruptGzip): Content-Encoding gzip whatever was asked, the first bytes decode, then an error', async () => {
    const whole = (await api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter)).body;
    gl.faults.add({ route: '/api/v4/projects/1/jobs/5001/trace', kind: 'corruptGzip', bytes: 100, times: 2 });
    for (const asked of [{}, { 'Accept-Encoding': 'gzip' }] as Record<string, string>[]) {
      const res = await api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter, { headers: asked });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], 'gzip');
      assert.throws(() => gunzipSync(res.body), /invalid block type/);
      assert.deepEqual(await decodableStart(res.body), whole.subarray(0, 100));
    }
    assert.equal((await api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter)).headers['content-encoding'], undefined);
  });
});
