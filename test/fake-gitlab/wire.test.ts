import * as assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { featuresOf, generations, startFakeGitLab, type FakeGitLab, type RecordedRequest } from './index';
import { api, call, rawGet } from './test-client';

const gzipAsked = { 'Accept-Encoding': 'gzip, deflate' };

function lastRecorded(requests: RecordedRequest[]): RecordedRequest {
  const last = requests.at(-1);
  assert.ok(last, 'a request was recorded');
  return last;
}

for (const generation of generations) {
  describe(`fake GitLab ${generation}: gzip like Omnibus nginx, ETag switches, bytes on the wire`, () => {
    let gl: FakeGitLab;
    before(async () => {
      gl = await startFakeGitLab({ generation });
    });
    after(async () => {
      await gl.close();
    });
    afterEach(() => {
      Object.assign(gl.features, featuresOf(generation));
    });

    it('gzips JSON of 250 bytes or more when asked: chunked, no Content-Length, Vary', async () => {
      const plain = await api(gl, '/projects/1/pipelines', gl.tokens.reporter);
      assert.ok(plain.body.length >= 250);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.headers['content-length'], String(plain.body.length));
      assert.equal(plain.headers.vary, 'Accept-Encoding');
      const zipped = await api(gl, '/projects/1/pipelines', gl.tokens.reporter, { headers: gzipAsked });
      assert.equal(zipped.status, 200);
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.equal(zipped.headers['content-length'], undefined);
      assert.equal(zipped.headers['transfer-encoding'], 'chunked');
      assert.equal(zipped.headers.vary, 'Accept-Encoding');
      assert.ok(zipped.body.length < plain.body.length / 2, `${zipped.body.length} of ${plain.body.length} bytes`);
      assert.deepEqual(gunzipSync(zipped.body), plain.body);
      assert.equal(zipped.headers.etag, plain.headers.etag, 'the weak ETag passes unchanged');
    });

    it('gzips logs (text/plain) too, keeping their weak ETag and answering 304 to it', async () => {
      const plain = await api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter);
      const zipped = await api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter, { headers: gzipAsked });
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.deepEqual(gunzipSync(zipped.body), plain.body);
      assert.equal(zipped.headers.etag, plain.headers.etag);
      const unchanged = await api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter, {
        headers: { ...gzipAsked, 'If-None-Match': zipped.headers.etag ?? '' },
      });
      assert.equal(unchanged.status, 304);
      assert.equal(unchanged.body.length, 0);
      assert.equal(unchanged.headers['content-encoding'], undefined);
    });

    it('leaves alone what nginx leaves alone: small bodies, HEAD, refused gzip, artifacts, redirects', async () => {
      const small = await api(gl, '/projects/1/jobs/999999', gl.tokens.reporter, { headers: gzipAsked });
      assert.equal(small.status, 404);
      assert.ok(small.body.length < 250);
      assert.equal(small.headers['content-encoding'], undefined);
      assert.equal(small.headers.vary, undefined);
      const head = await api(gl, '/projects/1/pipelines', gl.tokens.reporter, { method: 'HEAD', headers: gzipAsked });
      assert.equal(head.headers['content-encoding'], undefined);
      const refused = await api(gl, '/projects/1/pipelines', gl.tokens.reporter, { headers: { 'Accept-Encoding': 'gzip;q=0, identity' } });
      assert.equal(refused.headers['content-encoding'], undefined);
      const redirect = await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter, { headers: gzipAsked });
      assert.equal(redirect.status, 302);
      assert.equal(redirect.headers['content-encoding'], undefined);
      const stored = await call(redirect.headers.location ?? '', { headers: gzipAsked });
      assert.equal(stored.headers['content-encoding'], undefined);
      assert.equal(stored.body.subarray(0, 2).toString(), 'PK');
      gl.features.artifactsRedirect = false;
      const archive = await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter, { headers: gzipAsked });
      assert.equal(archive.headers['content-encoding'], undefined);
      const textFile = await api(gl, '/projects/1/jobs/5001/artifacts/reports/summary.txt', gl.tokens.reporter, { headers: gzipAsked });
      assert.match(textFile.headers['content-type'] ?? '', /^text\/plain/);
      assert.equal(textFile.headers['content-encoding'], undefined);
    });

    it('switched off (`gzip: false`) is a proxy that strips compression', async () => {
      gl.features.gzip = false;
      const res = await api(gl, '/projects/1/pipelines', gl.tokens.reporter, { headers: gzipAsked });
      assert.equal(res.headers['content-encoding'], undefined);
      assert.equal(res.headers['content-length'], String(res.body.length));
      assert.ok(Array.isArray(res.json()));
    });

    it('switched off (`etags: false`) is a proxy that strips ETags: none sent, never a 304', async () => {
      const tagged = await api(gl, '/projects/1/jobs/5001/trace', gl.tokens.reporter);
      const etag = tagged.headers.etag ?? '';
      assert.match(etag, /^W\//);
      gl.features.etags = false;
      for (const path of ['/projects/1/jobs/5001/trace', '/projects/1/pipelines', '/projects/1/jobs/5001/artifacts']) {
        const res = await api(gl, path, gl.tokens.reporter, { headers: { 'If-None-Match': etag } });
        assert.ok(res.status === 200 || res.status === 302, `${path}: ${res.status}`);
        assert.equal(res.headers.etag, undefined, path);
      }
      const artifactEtag = (await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter)).headers.etag;
      assert.equal(artifactEtag, undefined);
      const sentEtag = gl.requests.at(-2)?.headers['if-none-match'];
      assert.equal(sentEtag, etag, 'the recorded headers are what the client sent');
    });

    it('records each response\'s status and the bytes it put on the wire, exactly', async () => {
      const url = `${gl.apiUrl}/projects/1/jobs/5001/trace`;
      const plain = await rawGet(url, { 'PRIVATE-TOKEN': gl.tokens.reporter });
      assert.equal(lastRecorded(gl.requests).responseBytes, plain.length);
      assert.equal(lastRecorded(gl.requests).status, 200);
      const zipped = await rawGet(url, { 'PRIVATE-TOKEN': gl.tokens.reporter, ...gzipAsked });
      assert.match(zipped.toString('latin1'), /\r\nContent-Encoding: gzip\r\n/);
      assert.equal(lastRecorded(gl.requests).responseBytes, zipped.length);
      assert.ok(zipped.length < plain.length / 2);
      const missing = await rawGet(`${gl.apiUrl}/projects/1/jobs/999999/trace`, { 'PRIVATE-TOKEN': gl.tokens.reporter });
      assert.equal(lastRecorded(gl.requests).status, 404);
      assert.equal(lastRecorded(gl.requests).responseBytes, missing.length);
      const location = (await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter)).headers.location ?? '';
      assert.equal(lastRecorded(gl.requests).status, 302);
      const stored = await rawGet(location, { Range: 'bytes=0-99' });
      assert.equal(lastRecorded(gl.objectStorage.requests).status, 206);
      assert.equal(lastRecorded(gl.objectStorage.requests).responseBytes, stored.length);
    });

    it('counts each response of a keep-alive connection on its own', async () => {
      const sizes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await api(gl, '/projects/1/jobs/5001', gl.tokens.reporter);
        const recorded = lastRecorded(gl.requests);
        assert.ok(recorded.responseBytes > res.body.length && recorded.responseBytes < res.body.length + 2048);
        sizes.push(recorded.responseBytes);
      }
      assert.equal(new Set(sizes).size, 1, `the same answer thrice: ${sizes.join(', ')}`);
    });
  });
}
