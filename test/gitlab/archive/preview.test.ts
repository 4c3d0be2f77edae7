import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitLab } from '../../../src/gitlab';
import { ArchiveEntryNotFoundError } from '../../../src/gitlab/archive';
import { ArchiveBrowser } from '../../../src/gitlab/archive/browse';
import { ArchiveEntryTooLargeError, findArchiveEntry, readArchiveEntry } from '../../../src/gitlab/archive/preview';
import { featuresOf, generations, startFakeGitLab, type FakeGitLab } from '../../fake-gitlab';
import { makeZip, TempRoot } from './zipFixtures';

const PROJECT = 'demo-group/demo-app';
const IMAGE = randomBytes(300 * 1024);
const SUMMARY = 'tests: 3, failures: 0\n';

const ENTRIES = [
  { name: 'dist/' },
  { name: 'dist/logo.png', data: IMAGE, compress: false },
  { name: 'reports/' },
  { name: 'reports/summary.txt', data: SUMMARY },
];

const previewFolders = async (): Promise<string[]> => (await readdir(tmpdir())).filter((name) => name.startsWith('gitlab-ci-lens-preview-'));

for (const generation of generations) describe(`readArchiveEntry over the fake GitLab ${generation}`, () => {
  let gl: FakeGitLab;
  let gitlab: GitLab;
  let archiveRoot: TempRoot;
  let jobId: number;
  let cache: TempRoot;
  let browser: ArchiveBrowser;

  before(async () => {
    gl = await startFakeGitLab({ generation });
    archiveRoot = await TempRoot.create();
    const zipPath = await archiveRoot.write('preview.zip', await makeZip(ENTRIES));
    [jobId] = gl.state.findJobs({ name: 'build', status: 'success' }).map((job) => job.id);
    gl.state.attachArchiveFile(jobId, zipPath);
    gitlab = new GitLab({ instanceUrl: gl.url, token: gl.tokens.developer, tokenHeader: 'private-token', retry: { maxAttempts: 1 } });
  });
  after(async () => {
    await gl.close();
    await archiveRoot.remove();
  });
  beforeEach(async () => {
    cache = await TempRoot.create();
    browser = new ArchiveBrowser({ cacheDir: join(cache.path, 'cache') });
    gl.faults.clear();
    Object.assign(gl.features, featuresOf(generation));
  });
  afterEach(() => cache.remove());

  it('reads a text file and a binary file into memory, leaving no temporary file behind', async () => {
    const before = await previewFolders();

    assert.equal((await readArchiveEntry(browser, gitlab, PROJECT, jobId, 'reports/summary.txt')).toString('utf8'), SUMMARY);
    assert.deepEqual(await readArchiveEntry(browser, gitlab, PROJECT, jobId, 'dist/logo.png'), IMAGE);

    assert.deepEqual(await previewFolders(), before);
  });

  it('refuses a file over the cap before fetching any of it, and says what to do instead', async () => {
    await findArchiveEntry(browser, gitlab, PROJECT, jobId, 'dist/logo.png');
    const apiBefore = gl.requests.length;
    const storageBefore = gl.objectStorage.requests.length;

    await assert.rejects(readArchiveEntry(browser, gitlab, PROJECT, jobId, 'dist/logo.png', { maxBytes: 100 * 1024 }), (error: unknown) => {
      assert.ok(error instanceof ArchiveEntryTooLargeError);
      assert.equal(error.size, IMAGE.length);
      assert.match(error.message, /^dist\/logo\.png is 0\.3 MB, more than the 0\.1 MB a preview reads\. Download it instead/);
      return true;
    });
    assert.equal(gl.requests.length, apiBefore, 'the listing was enough to refuse');
    assert.equal(gl.objectStorage.requests.length, storageBefore);
  });

  it('tells a missing file and a folder apart', async () => {
    await assert.rejects(readArchiveEntry(browser, gitlab, PROJECT, jobId, 'reports/missing.txt'), (error: unknown) => error instanceof ArchiveEntryNotFoundError && /has no file/.test(error.message));
    await assert.rejects(readArchiveEntry(browser, gitlab, PROJECT, jobId, 'reports'), (error: unknown) => error instanceof ArchiveEntryNotFoundError && /is a folder/.test(error.message));
  });

  it('finds entries, the root included, as their folder lists them', async () => {
    assert.deepEqual(await findArchiveEntry(browser, gitlab, PROJECT, jobId, ''), { name: '', path: '', type: 'directory', size: 0 });
    assert.equal((await findArchiveEntry(browser, gitlab, PROJECT, jobId, 'dist'))?.type, 'directory');
    assert.deepEqual(await findArchiveEntry(browser, gitlab, PROJECT, jobId, '/reports/summary.txt'), { name: 'summary.txt', path: 'reports/summary.txt', type: 'file', size: SUMMARY.length });
    assert.equal(await findArchiveEntry(browser, gitlab, PROJECT, jobId, 'dist/nothing.png'), undefined);
  });
});
