import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitLab, GitLabError } from '../../../src/gitlab';
import { ArchiveEntryNotFoundError } from '../../../src/gitlab/archive';
import { ArchiveBrowser, entryDestination, type BrowseEntry } from '../../../src/gitlab/archive/browse';
import { featuresOf, generations, startFakeGitLab, type FakeGitLab, type RecordedRequest } from '../../fake-gitlab';
import { makeZip, TempRoot } from './zipFixtures';

const PROJECT = 'demo-group/demo-app';
const CREDENTIAL_HEADERS = ['private-token', 'authorization', 'job-token', 'cookie'];
const BLOB = randomBytes(4 * 1024 * 1024);
const SUMMARY = 'tests: 3, failures: 0\n';

// Folders are listed as entries, as runners write them (GitLab's tree endpoint knows only those).
const ENTRIES = [
  { name: 'dist/' },
  { name: 'dist/assets/' },
  { name: 'dist/assets/blob.bin', data: BLOB, compress: false },
  { name: 'dist/app.js', data: 'console.log("app");\n' },
  { name: 'reports/' },
  { name: 'reports/summary.txt', data: SUMMARY },
  { name: 'readme.txt', data: 'read me\n' },
];

const names = (entries: readonly BrowseEntry[]): string[] => entries.map((entry) => `${entry.path}${entry.type === 'directory' ? '/' : ''}`);

/** Bytes asked of object storage by Range headers, and whether anything was asked without one. */
function rangedBytes(requests: readonly RecordedRequest[]): { bytes: number; unranged: number } {
  let bytes = 0;
  let unranged = 0;
  for (const request of requests) {
    const range = /^bytes=(\d+)-(\d+)$/.exec(String(request.headers.range ?? ''));
    if (range) bytes += Number(range[2]) - Number(range[1]) + 1;
    else unranged++;
  }
  return { bytes, unranged };
}

for (const generation of generations) describe(`ArchiveBrowser over the fake GitLab ${generation}`, () => {
  let gl: FakeGitLab;
  let gitlab: GitLab;
  let archiveRoot: TempRoot;
  let archiveSize: number;
  let jobIds: number[];
  let root: TempRoot;
  let browser: ArchiveBrowser;

  before(async () => {
    gl = await startFakeGitLab({ generation });
    archiveRoot = await TempRoot.create();
    const archive = await makeZip(ENTRIES);
    archiveSize = archive.length;
    const zipPath = await archiveRoot.write('stored.zip', archive);
    jobIds = gl.state.findJobs({ name: 'build', status: 'success' }).map((job) => job.id).sort((a, b) => a - b);
    for (const jobId of jobIds) gl.state.attachArchiveFile(jobId, zipPath);
    gitlab = new GitLab({ instanceUrl: gl.url, token: gl.tokens.developer, tokenHeader: 'private-token', retry: { maxAttempts: 1 } });
  });
  after(async () => {
    await gl.close();
    await archiveRoot.remove();
  });

  beforeEach(async () => {
    root = await TempRoot.create();
    browser = new ArchiveBrowser({ cacheDir: join(root.path, 'cache') });
    gl.faults.clear();
    Object.assign(gl.features, featuresOf(generation));
  });
  afterEach(() => root.remove());

  const apiRequestsTo = (pattern: RegExp, since: number): RecordedRequest[] => gl.requests.slice(since).filter((request) => pattern.test(request.path));

  describe('listing', () => {
    it(`lists one folder at a time, ${featuresOf(generation).artifactsTree ? 'by GitLab\'s tree endpoint, remembering each answer' : 'from the central directory read by byte ranges'}`, async () => {
      const [jobId] = jobIds;
      const storageBefore = gl.objectStorage.requests.length;
      const apiBefore = gl.requests.length;

      assert.deepEqual(names(await browser.list(gitlab, PROJECT, jobId)), ['dist/', 'reports/', 'readme.txt']);
      assert.deepEqual(names(await browser.list(gitlab, PROJECT, jobId, 'dist')), ['dist/assets/', 'dist/app.js']);
      const sizes = await browser.list(gitlab, PROJECT, jobId, 'dist/assets/');
      assert.deepEqual(sizes.map(({ name, size }) => [name, size]), [['blob.bin', BLOB.length]]);
      const folders = await browser.list(gitlab, PROJECT, jobId, 'dist');
      assert.ok(folders.every((entry) => Number.isInteger(entry.size)), 'every entry has a size, folders included');

      const storage = gl.objectStorage.requests.slice(storageBefore);
      if (gl.features.artifactsTree) {
        assert.equal(apiRequestsTo(/\/artifacts\/tree$/, apiBefore).length, 3, 'one request per folder, none again');
        assert.equal(storage.length, 0, 'nothing read from the archive itself');
      } else {
        assert.equal(apiRequestsTo(/\/artifacts\/tree$/, apiBefore).length, 1, 'the tree endpoint was tried once');
        assert.equal(rangedBytes(storage).unranged, 0, 'every object-storage request was ranged');
      }
    });

    it('without the tree endpoint, reads the central directory by byte ranges, and stops asking that instance for trees', async () => {
      gl.features.artifactsTree = false;
      const storageBefore = gl.objectStorage.requests.length;
      const apiBefore = gl.requests.length;

      assert.deepEqual(names(await browser.list(gitlab, PROJECT, jobIds[0])), ['dist/', 'reports/', 'readme.txt']);
      assert.deepEqual(names(await browser.list(gitlab, PROJECT, jobIds[0], 'dist')), ['dist/assets/', 'dist/app.js']);
      assert.deepEqual(names(await browser.list(gitlab, PROJECT, jobIds[1], 'reports')), ['reports/summary.txt']);

      assert.equal(apiRequestsTo(/\/artifacts\/tree$/, apiBefore).length, 1, 'the tree endpoint was tried once for the instance');
      const storage = gl.objectStorage.requests.slice(storageBefore);
      const { bytes, unranged } = rangedBytes(storage);
      assert.equal(unranged, 0, 'every object-storage request was ranged');
      assert.ok(bytes < archiveSize * 0.1, `read ${bytes} of ${archiveSize} bytes for two listings`);
      for (const request of storage) {
        for (const header of CREDENTIAL_HEADERS) assert.equal(request.headers[header], undefined, `${header} reached object storage`);
      }
    });

    it('without ranges either, downloads the archive once into the cache and lists it from there', async () => {
      Object.assign(gl.features, { artifactsTree: false, objectStorageRanges: false });
      const [jobId] = jobIds;

      assert.deepEqual(names(await browser.list(gitlab, PROJECT, jobId)), ['dist/', 'reports/', 'readme.txt']);
      const apiBefore = gl.requests.length;
      const storageBefore = gl.objectStorage.requests.length;
      assert.deepEqual(names(await browser.list(gitlab, PROJECT, jobId, 'dist/assets')), ['dist/assets/blob.bin']);
      const file = await browser.fetchFile(gitlab, PROJECT, { jobId }, 'reports/summary.txt', join(root.path, 'out', 'summary.txt'));

      assert.equal(file.source, 'cached-download');
      assert.equal(await readFile(file.path, 'utf8'), SUMMARY);
      assert.equal(gl.requests.length, apiBefore, 'folders and the file come from the cache');
      assert.equal(gl.objectStorage.requests.length, storageBefore);
      const cached = (await root.snapshot()).filter((path) => path.startsWith('cache/') && path !== 'cache/');
      assert.equal(cached.length, 1, `one zip in the cache, no temporary file: ${cached.join(', ')}`);
      assert.match(cached[0], /\.zip$/);
    });

    it('gives an empty list for a folder the archive does not have', async () => {
      gl.features.artifactsTree = false;
      assert.deepEqual(await browser.list(gitlab, PROJECT, jobIds[0], 'nowhere'), []);
    });

    it('turns a connection cut during a ranged read into a network GitLabError', async () => {
      gl.features.artifactsTree = false;
      gl.faults.add({ route: /^\/gitlab-artifacts\//, origin: 'objectStorage', kind: 'reset', bytes: 100, times: Infinity });

      await assert.rejects(browser.list(gitlab, PROJECT, jobIds[0]), (error: unknown) => error instanceof GitLabError && error.reason === 'network');

      gl.faults.clear();
      assert.equal((await browser.list(gitlab, PROJECT, jobIds[0])).length, 3, 'a failure is not remembered');
    });
  });

  describe('one file', () => {
    it('streams it from GitLab\'s single-file endpoint, by job id or by ref and job name', async () => {
      const storageBefore = gl.objectStorage.requests.length;

      const byId = await browser.fetchFile(gitlab, PROJECT, { jobId: jobIds[0] }, 'dist/assets/blob.bin', join(root.path, 'a', 'blob.bin'));
      const byRef = await browser.fetchFile(gitlab, PROJECT, { ref: 'main', job: 'build' }, 'reports/summary.txt', join(root.path, 'b', 'summary.txt'));

      assert.deepEqual([byId.source, byRef.source], ['single-file-endpoint', 'single-file-endpoint']);
      assert.equal(byId.size, BLOB.length);
      assert.deepEqual(await readFile(byId.path), BLOB);
      assert.equal(await readFile(byRef.path, 'utf8'), SUMMARY);
      assert.equal(gl.objectStorage.requests.length, storageBefore, 'GitLab sent just the entry');
    });

    it('falls back to a ranged read of just that entry when the single-file endpoint fails', async () => {
      gl.faults.add({ route: /\/artifacts\/reports\/summary\.txt$/, origin: 'api', kind: 'serverError' });
      const storageBefore = gl.objectStorage.requests.length;

      const file = await browser.fetchFile(gitlab, PROJECT, { jobId: jobIds[0] }, 'reports/summary.txt', join(root.path, 'summary.txt'));

      assert.equal(file.source, 'ranged-read');
      assert.equal(await readFile(file.path, 'utf8'), SUMMARY);
      const { bytes, unranged } = rangedBytes(gl.objectStorage.requests.slice(storageBefore));
      assert.equal(unranged, 0);
      assert.ok(bytes < archiveSize * 0.1, `read ${bytes} of ${archiveSize} bytes`);
    });

    it('says precisely when the archive has no such file, and writes nothing', async () => {
      await assert.rejects(
        browser.fetchFile(gitlab, PROJECT, { jobId: jobIds[0] }, 'reports/missing.txt', join(root.path, 'x', 'missing.txt')),
        ArchiveEntryNotFoundError,
      );
      assert.deepEqual(await root.snapshot(), []);
    });

    it('cancelled: an aborted GitLabError and nothing written', async () => {
      const controller = new AbortController();
      const fetching = browser.fetchFile(gitlab, PROJECT, { jobId: jobIds[0] }, 'dist/assets/blob.bin', join(root.path, 'x', 'blob.bin'), {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      });

      await assert.rejects(fetching, (error: unknown) => error instanceof GitLabError && error.reason === 'aborted');
      assert.deepEqual(await root.snapshot(), []);
    });
  });

  describe('entryDestination', () => {
    it('places an entry at its own path below the folder', () => {
      assert.equal(entryDestination('/work/out', 'dist/app.js'), join('/work/out', 'dist', 'app.js'));
    });

    it('refuses names that would land anywhere else', () => {
      for (const name of ['../escape.txt', 'a/../../escape.txt', '/etc/passwd', 'C:/x.txt', '', 'a//b', './a']) {
        assert.throws(() => entryDestination('/work/out', name), /cannot be written safely/, name);
      }
    });
  });
});
