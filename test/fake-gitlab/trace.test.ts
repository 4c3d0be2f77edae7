import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { featuresOf, generations, startFakeGitLab, type FakeGitLab } from './index';
import { api } from './test-client';

/** Rails' Rack::ETag, computed here on what was received. */
function rackEtag(body: Buffer): string {
  return `W/"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
}

for (const generation of generations) {
  describe(`fake GitLab ${generation}: job logs`, () => {
    let gl: FakeGitLab;
    const slices = featuresOf(generation).traceByteRange;
    const trace = (query = '', headers: Record<string, string> = {}) =>
      api(gl, `/projects/1/jobs/5001/trace${query}`, gl.tokens.reporter, { headers });
    before(async () => {
      gl = await startFakeGitLab({ generation });
    });
    after(async () => {
      await gl.close();
    });

    it('sends the raw log as text/plain with Rack\'s weak ETag (SHA-256, 32 hex), and 304 for If-None-Match', async () => {
      const res = await trace();
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'] ?? '', /^text\/plain/);
      assert.ok(res.text.includes('section_start:'));
      assert.equal(res.headers.etag, rackEtag(res.body));
      assert.equal(res.headers['cache-control'], 'max-age=0, private, must-revalidate');
      const again = await trace('', { 'If-None-Match': res.headers.etag ?? '' });
      assert.equal(again.status, 304);
      assert.equal(again.body.length, 0);
      assert.equal(again.headers.etag, res.headers.etag);
      assert.equal(again.headers['content-type'], undefined, 'Rack::ConditionalGet drops Content-Type');
      assert.equal(again.headers['content-disposition'], res.headers['content-disposition'], 'and keeps the other headers');
      assert.equal(again.headers['x-frame-options'], 'SAMEORIGIN');
    });

    it('answers 200 with a new ETag once the log has grown', async () => {
      const pipeline = gl.state.createPipelineForRef(1, 'main');
      const build = gl.state.pipelineJobs(pipeline.id).find((j) => j.name === 'build');
      assert.ok(build);
      gl.state.setJobTrace(build.id, 'Running with gitlab-runner\n');
      const path = `/projects/1/jobs/${build.id}/trace`;
      const first = await api(gl, path, gl.tokens.reporter);
      gl.state.setJobTrace(build.id, 'Running with gitlab-runner\n$ make\n');
      const grown = await api(gl, path, gl.tokens.reporter, { headers: { 'If-None-Match': first.headers.etag ?? '' } });
      assert.equal(grown.status, 200);
      assert.equal(grown.text, 'Running with gitlab-runner\n$ make\n');
      assert.equal(grown.headers.etag, rackEtag(grown.body));
      assert.notEqual(grown.headers.etag, first.headers.etag);
    });

    it('sends 200 with an empty body and no ETag for a job without a log', async () => {
      const pending = gl.state.findJobs({ pipelineId: 1008, name: 'test:unit' })[0];
      const res = await api(gl, `/projects/1/jobs/${pending?.id}/trace`, gl.tokens.reporter);
      assert.equal(res.status, 200);
      assert.equal(res.text, '');
      assert.equal(res.headers.etag, undefined);
    });

    it(slices ? 'refuses byte_limit=0 with 400 (the cheap probe for slices)' : 'ignores byte_limit=0 and sends the whole log with 200', async () => {
      const whole = (await trace()).body;
      const probe = await trace('?byte_limit=0');
      if (slices) {
        assert.equal(probe.status, 400);
        assert.deepEqual(probe.json(), { error: 'byte_limit does not have a valid value' });
      } else {
        assert.equal(probe.status, 200);
        assert.deepEqual(probe.body, whole);
      }
    });

    it(slices ? 'slices with byte_offset/byte_limit, the ETag covering the slice' : 'ignores byte_offset/byte_limit entirely', async () => {
      const whole = (await trace()).body;
      const slice = await trace('?byte_offset=10&byte_limit=20');
      assert.equal(slice.status, 200);
      assert.deepEqual(slice.body, slices ? whole.subarray(10, 30) : whole);
      assert.equal(slice.headers.etag, rackEtag(slice.body));
      const fromOffset = await trace(`?byte_offset=${whole.length - 5}`);
      assert.deepEqual(fromOffset.body, slices ? whole.subarray(whole.length - 5) : whole);
      const past = await trace(`?byte_offset=${whole.length + 100}&byte_limit=10`);
      assert.equal(past.status, 200);
      assert.deepEqual(past.body, slices ? Buffer.alloc(0) : whole);
    });

    it(slices ? 'caps byte_limit at 512000 and refuses negative offsets' : 'ignores out-of-range slice parameters', async () => {
      const widest = await trace('?byte_limit=512000');
      assert.equal(widest.status, 200);
      for (const query of ['?byte_limit=512001', '?byte_limit=-1', '?byte_offset=-1']) {
        const res = await trace(query);
        assert.equal(res.status, slices ? 400 : 200, query);
        if (slices) assert.match(res.json<{ error: string }>().error, /^byte_(limit|offset) does not have a valid value$/);
      }
    });
  });
}
