import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { bogusArtifactEtag } from './downloads';
import { featuresOf, generations, startFakeGitLab, writeZip, type FakeGitLab } from './index';
import { api, call } from './test-client';

interface TreeEntry { name: string; path: string; type: string; size?: number; mode: string | null }

for (const generation of generations) {
  describe(`fake GitLab ${generation}: artifacts and object storage`, () => {
    let gl: FakeGitLab;
    let zip: Buffer;
    let workDir: string;
    let archivePath: string;
    before(async () => {
      gl = await startFakeGitLab({ generation });
      workDir = await mkdtemp(path.join(tmpdir(), 'fake-gitlab-test-'));
      archivePath = gl.state.archiveOf(gl.state.requireJob(5001))?.filePath ?? '';
      zip = await readFile(archivePath);
    });
    after(async () => {
      await gl.close();
      await rm(workDir, { recursive: true, force: true });
    });
    afterEach(() => {
      Object.assign(gl.features, featuresOf(generation));
    });

    it('lists artifacts on the job: archive, junit, and the log as a trace with file_format null', async () => {
      const job = (await api(gl, '/projects/1/jobs/5001', gl.tokens.reporter)).json<{
        artifacts: { file_type: string; file_format: string | null; filename: string; size: number }[];
        artifacts_file: { filename: string; size: number };
      }>();
      assert.deepEqual(job.artifacts.map((a) => a.file_type), ['archive', 'junit', 'trace']);
      assert.equal(job.artifacts.find((a) => a.file_type === 'trace')?.file_format, null);
      assert.deepEqual(job.artifacts_file, { filename: 'artifacts.zip', size: zip.length });
      const noArchive = (await api(gl, '/projects/1/jobs/5003', gl.tokens.reporter)).json<object>();
      assert.ok(!('artifacts_file' in noArchive));
    });

    it('redirects downloads to the other origin with a signed URL', async () => {
      const res = await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter);
      assert.equal(res.status, 302);
      const location = new URL(res.headers.location ?? '');
      assert.equal(location.origin, gl.objectStorage.url);
      assert.notEqual(location.hostname, new URL(gl.url).hostname);
      assert.ok(location.searchParams.get('X-Amz-Signature'));
      const download = await call(location.href);
      assert.equal(download.status, 200);
      assert.deepEqual(download.body, zip);
      assert.equal(download.headers['content-disposition'], 'attachment; filename="artifacts.zip"');
    });

    if (featuresOf(generation).artifactEtag) {
      it('tags downloads with strong sha256 ETags (archive; archive sha256 and path for one file) and answers 304', async () => {
        const sha256 = createHash('sha256').update(zip).digest('hex');
        const archive = await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter);
        assert.equal(archive.headers.etag, `"${sha256}"`);
        const byRef = await api(gl, '/projects/1/jobs/artifacts/main/download?job=build', gl.tokens.reporter);
        assert.equal(byRef.headers.etag, `"${sha256}"`);
        const file = await api(gl, '/projects/1/jobs/5001/artifacts/reports/summary.txt', gl.tokens.reporter);
        assert.equal(file.headers.etag, `"${createHash('sha256').update(`${sha256}:reports/summary.txt`).digest('hex')}"`);
        for (const [url, etag] of [['/projects/1/jobs/5001/artifacts', archive.headers.etag], ['/projects/1/jobs/5001/artifacts/reports/summary.txt', file.headers.etag]]) {
          const again = await api(gl, url ?? '', gl.tokens.reporter, { headers: { 'If-None-Match': etag ?? '' } });
          assert.equal(again.status, 304, url);
        }
      });
    } else {
      it('tags every download with the same bogus weak ETag, and answers 304 to it even after the artifact changed', async () => {
        const paths = ['/projects/1/jobs/5001/artifacts', '/projects/1/jobs/artifacts/main/download?job=build',
          '/projects/1/jobs/5001/artifacts/reports/summary.txt', '/projects/1/jobs/artifacts/main/raw/reports/junit.xml?job=test:unit'];
        for (const url of paths) assert.equal((await api(gl, url, gl.tokens.reporter)).headers.etag, bogusArtifactEtag, url);
        const file = path.join(workDir, 'replacement.zip');
        await writeZip(file, { 'other.txt': 'not the same archive\n' });
        gl.state.attachArchiveFile(5001, file);
        try {
          const stale = await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter, { headers: { 'If-None-Match': bogusArtifactEtag } });
          assert.equal(stale.status, 304, 'gitlab-org/gitlab#371991');
        } finally {
          gl.state.attachArchiveFile(5001, archivePath);
        }
      });
    }

    it('serves byte ranges on object storage (206 + Content-Range), or ignores them when switched off', async () => {
      const location = (await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter)).headers.location ?? '';
      const probe = await call(location, { headers: { Range: 'bytes=0-0' } });
      assert.equal(probe.status, 206);
      assert.equal(probe.headers['content-range'], `bytes 0-0/${zip.length}`);
      assert.deepEqual(probe.body, zip.subarray(0, 1));
      const tail = await call(location, { headers: { Range: 'bytes=-22' } });
      assert.deepEqual(tail.body, zip.subarray(zip.length - 22));
      const from = await call(location, { headers: { Range: `bytes=${zip.length - 10}-` } });
      assert.equal(from.headers['content-range'], `bytes ${zip.length - 10}-${zip.length - 1}/${zip.length}`);
      const beyond = await call(location, { headers: { Range: `bytes=${zip.length}-` } });
      assert.equal(beyond.status, 416);
      gl.features.objectStorageRanges = false;
      const ignored = await call(location, { headers: { Range: 'bytes=0-0' } });
      assert.equal(ignored.status, 200);
      assert.equal(ignored.body.length, zip.length);
    });

    it('refuses tampered or expired signatures at object storage', async () => {
      const location = new URL((await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter)).headers.location ?? '');
      const tampered = new URL(location);
      tampered.searchParams.set('X-Amz-Expires', '999999');
      assert.equal((await call(tampered.href)).status, 403);
      const realClock = gl.state.clock;
      gl.state.clock = { now: () => realClock.now() + 3600_000 };
      try {
        const expired = await call(location.href);
        assert.equal(expired.status, 403);
        assert.match(expired.text, /Request has expired/);
      } finally {
        gl.state.clock = realClock;
      }
    });

    it('never receives a GitLab token at object storage when the client follows by hand', async () => {
      const res = await call(`${gl.apiUrl}/projects/1/jobs/5001/artifacts`, { headers: { Authorization: `Bearer ${gl.tokens.reporter}` } });
      await call(res.headers.location ?? '');
      assert.ok(gl.objectStorage.requests.length > 0);
      for (const request of gl.objectStorage.requests) {
        assert.equal(request.headers['private-token'], undefined);
        assert.equal(request.headers.authorization, undefined);
      }
    });

    it('serves the archive itself with Content-Disposition when not redirecting', async () => {
      gl.features.artifactsRedirect = false;
      const res = await api(gl, '/projects/1/jobs/5001/artifacts', gl.tokens.reporter);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/octet-stream');
      assert.equal(res.headers['content-disposition'], 'attachment; filename="artifacts.zip"');
      assert.equal(res.headers['content-length'], String(zip.length));
      assert.deepEqual(res.body, zip);
    });

    it('answers 404 for a job without an archive', async () => {
      const res = await api(gl, '/projects/1/jobs/5003/artifacts', gl.tokens.reporter);
      assert.equal(res.status, 404);
    });

    it('streams one file out of the archive, 404 when missing, 400 for a path that climbs out', async () => {
      const file = await api(gl, '/projects/1/jobs/5001/artifacts/reports/summary.txt', gl.tokens.reporter);
      assert.equal(file.status, 200);
      assert.match(file.text, /^tests: 3, failures: 1/);
      const binary = await api(gl, '/projects/1/jobs/5001/artifacts/dist/assets/logo.png', gl.tokens.reporter);
      assert.equal(binary.body.length, 6000);
      assert.deepEqual(binary.body.subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      assert.equal((await api(gl, '/projects/1/jobs/5001/artifacts/nope.txt', gl.tokens.reporter)).status, 404);
      assert.equal((await api(gl, '/projects/1/jobs/5001/artifacts/dist/..%2F..%2Fetc%2Fpasswd', gl.tokens.reporter)).status, 400);
    });

    if (featuresOf(generation).artifactsTree) {
      it('lists the archive tree: folders first with a trailing slash and no size, modes as six octal digits', async () => {
        const root = (await api(gl, '/projects/1/jobs/5001/artifacts/tree', gl.tokens.reporter)).json<TreeEntry[]>();
        assert.deepEqual(root.map((e) => [e.name, e.path, e.type]), [
          ['coverage', 'coverage/', 'directory'], ['dist', 'dist/', 'directory'], ['logs', 'logs/', 'directory'], ['reports', 'reports/', 'directory'],
        ]);
        assert.ok(root.every((e) => !('size' in e)), 'folders have no size');
        // logs/ is stored in the zip (yazl's default 0775); the other folders are only implied by their files' paths.
        assert.deepEqual(root.map((e) => e.mode), [null, null, '000775', null]);
        const assets = (await api(gl, '/projects/1/jobs/5001/artifacts/tree?path=dist/assets/', gl.tokens.reporter)).json<TreeEntry[]>();
        assert.deepEqual(assets.map((e) => e.path), ['dist/assets/styles/', 'dist/assets/logo.png']);
        assert.deepEqual(assets[1], { name: 'logo.png', path: 'dist/assets/logo.png', type: 'file', size: 6000, mode: '000664' });
        const all = (await api(gl, '/projects/1/jobs/5001/artifacts/tree?recursive=true&per_page=100', gl.tokens.reporter)).json<TreeEntry[]>();
        assert.ok(all.some((e) => e.path === 'dist/assets/styles/main.css'));
        assert.equal((await api(gl, '/projects/1/jobs/5001/artifacts/tree?path=nope', gl.tokens.reporter)).status, 404);
      });

      it('takes modes from the zip as Workhorse does: permission bits only', async () => {
        const file = path.join(workDir, 'folders.zip');
        await writeZip(file, { 'out/': '', 'out/a.txt': 'a\n' });
        const job = gl.state.findJobs({ pipelineId: 1004, name: 'test:unit' })[0];
        gl.state.attachArchiveFile(job?.id ?? 0, file);
        const root = (await api(gl, `/projects/1/jobs/${job?.id}/artifacts/tree`, gl.tokens.reporter)).json<TreeEntry[]>();
        assert.deepEqual(root, [{ name: 'out', path: 'out/', type: 'directory', mode: '000775' }]);
        const inside = (await api(gl, `/projects/1/jobs/${job?.id}/artifacts/tree?path=out`, gl.tokens.reporter)).json<TreeEntry[]>();
        assert.deepEqual(inside, [{ name: 'a.txt', path: 'out/a.txt', type: 'file', size: 2, mode: '000664' }]);
      });
    } else {
      it('has no archive tree: the URL falls through to the single-file route (a file named "tree")', async () => {
        const res = await api(gl, '/projects/1/jobs/5001/artifacts/tree', gl.tokens.reporter);
        assert.equal(res.status, 404);
        assert.deepEqual(res.json(), { message: '404 Not Found' });
      });
    }

    it('downloads by ref and job name from the newest successful pipeline', async () => {
      gl.features.artifactsRedirect = false;
      const byRef = await api(gl, '/projects/1/jobs/artifacts/main/download?job=build', gl.tokens.reporter);
      assert.equal(byRef.status, 200);
      assert.deepEqual(byRef.body, zip);
      const missing = await api(gl, '/projects/1/jobs/artifacts/main/download', gl.tokens.reporter);
      assert.equal(missing.status, 400);
      assert.deepEqual(missing.json(), { error: 'job is missing' });
      const failedRef = await api(gl, '/projects/1/jobs/artifacts/feature%2Flogin/download?job=build', gl.tokens.reporter);
      assert.equal(failedRef.status, 404);
      const child = await api(gl, '/projects/1/jobs/artifacts/main/download?job=docs:build', gl.tokens.reporter);
      assert.equal(child.status, 404);
      assert.deepEqual(child.json(), { message: '404 Not Found' });
      const sha = await api(gl, '/projects/1/jobs/artifacts/3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f/download?job=build', gl.tokens.reporter);
      assert.equal(sha.status, 404);
      const raw = await api(gl, '/projects/1/jobs/artifacts/main/raw/reports/junit.xml?job=test:unit', gl.tokens.reporter);
      assert.equal(raw.status, 200);
      assert.match(raw.text, /<testsuites/);
    });

    it('accepts a running job\'s JOB-TOKEN for downloads', async () => {
      const running = gl.state.setJobStatus(gl.state.findJobs({ pipelineId: 1008, name: 'build' })[0]?.id ?? 0, 'running');
      gl.features.artifactsRedirect = false;
      const res = await api(gl, '/projects/1/jobs/5001/artifacts', null, { headers: { 'JOB-TOKEN': running.token ?? '' } });
      assert.equal(res.status, 200);
      gl.state.finishJob(running, 'success');
      const after = await api(gl, '/projects/1/jobs/5001/artifacts', null, { headers: { 'JOB-TOKEN': running.token ?? '' } });
      assert.equal(after.status, 401);
    });

    it('keeps artifacts (expiry cleared) and deletes them (maintainer)', async () => {
      const kept = await api(gl, '/projects/1/jobs/5002/artifacts/keep', gl.tokens.developer, { method: 'POST' });
      assert.equal(kept.status, 200);
      assert.equal(kept.json<{ artifacts_expire_at: string | null }>().artifacts_expire_at, null);
      const deleted = await api(gl, '/projects/1/jobs/5002/artifacts', gl.tokens.maintainer, { method: 'DELETE' });
      assert.equal(deleted.status, 204);
      assert.equal((await api(gl, '/projects/1/jobs/5002/artifacts', gl.tokens.maintainer)).status, 404);
    });

    it('registers a zip from disk and streams it', async () => {
      const file = path.join(workDir, 'big.zip');
      await writeZip(file, { 'a/b/c.txt': 'hello\n', 'bin.dat': Buffer.alloc(100_000, 7) });
      const job = gl.state.findJobs({ pipelineId: 1004, name: 'test:lint' })[0];
      gl.state.attachArchiveFile(job?.id ?? 0, file);
      gl.features.artifactsRedirect = false;
      const res = await api(gl, `/projects/1/jobs/${job?.id}/artifacts`, gl.tokens.reporter);
      assert.deepEqual(res.body, await readFile(file));
      const entry = await api(gl, `/projects/1/jobs/${job?.id}/artifacts/bin.dat`, gl.tokens.reporter);
      assert.deepEqual(entry.body, Buffer.alloc(100_000, 7));
    });

    it('expires all of a project\'s artifacts shortly after DELETE /projects/:id/artifacts', async () => {
      const res = await api(gl, '/projects/1/artifacts', gl.tokens.maintainer, { method: 'DELETE' });
      assert.equal(res.status, 202);
      assert.deepEqual(res.json(), { message: '202 Accepted' });
      assert.ok(gl.state.archiveOf(gl.state.requireJob(5001)));
      await delay(200);
      assert.equal(gl.state.archiveOf(gl.state.requireJob(5001)), undefined);
    });
  });
}
