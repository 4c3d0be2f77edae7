import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitLab, GitLabError } from '../../../src/gitlab';
import { DestinationExistsError } from '../../../src/gitlab/archive';
import { downloadArchiveInto, downloadToFile, sha256FromEtag, type ArchiveDownloadProgress } from '../../../src/gitlab/archive/download';
import { featuresOf, generations, startFakeGitLab, type FakeGitLab } from '../../fake-gitlab';
import { makeZip, TempRoot } from './zipFixtures';

const PROJECT = 'demo-group/demo-app';
const CREDENTIAL_HEADERS = ['private-token', 'authorization', 'job-token', 'cookie'];

// Stored (not deflated) random data: the zip is as large as its content, so a cut lands mid-entry.
const FILES = {
  'dist/app.js': 'console.log("app");\n'.repeat(200),
  'dist/assets/blob.bin': randomBytes(3 * 1024 * 1024),
  'reports/summary.txt': 'tests: 3, failures: 0\n',
};

/** The folders and files the archive extracts to under `prefix`, as TempRoot.snapshot() lists them. */
function extractedPaths(prefix: string): string[] {
  const paths = new Set([`${prefix}/`]);
  for (const name of Object.keys(FILES)) {
    const parts = name.split('/');
    parts.forEach((_, index) => paths.add(`${prefix}/${parts.slice(0, index + 1).join('/')}${index < parts.length - 1 ? '/' : ''}`));
  }
  return [...paths];
}

function isGitLabError(reason: GitLabError['reason']): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof GitLabError, `expected a GitLabError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    return true;
  };
}

for (const generation of generations) describe(`artifact downloads over the fake GitLab ${generation}`, () => {
  let gl: FakeGitLab;
  let gitlab: GitLab;
  let archiveRoot: TempRoot;
  let archive: Buffer;
  let jobId: number;
  let root: TempRoot;

  before(async () => {
    gl = await startFakeGitLab({ generation });
    archiveRoot = await TempRoot.create();
    archive = await makeZip(Object.entries(FILES).map(([name, data]) => ({ name, data, compress: typeof data === 'string' })));
    const build = gl.state.findJobs({ name: 'build', status: 'success' }).sort((a, b) => a.id - b.id)[0];
    jobId = build.id;
    gl.state.attachArchiveFile(jobId, await archiveRoot.write('stored.zip', archive));
    // One attempt: these tests are about what a single failure leaves behind.
    gitlab = new GitLab({ instanceUrl: gl.url, token: gl.tokens.developer, retry: { maxAttempts: 1 } });
  });
  after(async () => {
    await gl.close();
    await archiveRoot.remove();
  });

  beforeEach(async () => {
    root = await TempRoot.create();
    gl.faults.clear();
    Object.assign(gl.features, featuresOf(generation));
  });
  afterEach(() => root.remove());

  async function assertExtracted(destDir: string): Promise<void> {
    for (const [name, data] of Object.entries(FILES)) {
      assert.deepEqual(await readFile(join(destDir, name)), Buffer.isBuffer(data) ? data : Buffer.from(data), name);
    }
  }

  for (const [redirect, ranges, etag] of [[true, true, true], [true, false, true], [true, true, false], [false, true, true], [false, true, false]] as const) {
    const from = redirect ? `from object storage ${ranges ? 'that serves ranges' : 'that ignores Range'}` : 'from GitLab itself';
    it(`downloads and extracts an archive ${from}, ${etag ? 'checking the sha256 ETag' : 'without an ETag'}`, async () => {
      Object.assign(gl.features, { artifactsRedirect: redirect, objectStorageRanges: ranges, artifactEtag: etag });
      const destDir = join(root.path, 'artifacts', `${jobId}-build`);

      const result = await downloadArchiveInto(gitlab, PROJECT, { jobId }, destDir, { expectedSize: archive.length });

      assert.equal(result.destDir, destDir);
      assert.equal(result.archiveBytes, archive.length);
      assert.equal(result.zipFile, undefined);
      await assertExtracted(destDir);
      assert.deepEqual(await root.snapshot(), ['artifacts/', ...extractedPaths(`artifacts/${jobId}-build`)].sort(), 'no zip and no temporary file left');
    });
  }

  it('keeps the zip beside the folder when asked, and by ref + job name too', async () => {
    const destDir = join(root.path, 'main-build');

    const result = await downloadArchiveInto(gitlab, PROJECT, { ref: 'main', job: 'build' }, destDir, { keepZip: true });

    assert.equal(result.zipFile, `${destDir}.zip`);
    assert.deepEqual(await readFile(`${destDir}.zip`), archive);
    await assertExtracted(destDir);
  });

  it('never sends the token to object storage, whichever header carries it', async () => {
    for (const tokenHeader of ['private-token', 'authorization'] as const) {
      const client = new GitLab({ instanceUrl: gl.url, token: gl.tokens.developer, tokenHeader });
      const before = gl.objectStorage.requests.length;
      await downloadArchiveInto(client, PROJECT, { jobId }, join(root.path, tokenHeader));
      const storageRequests = gl.objectStorage.requests.slice(before);
      assert.ok(storageRequests.length > 0, 'the download went through object storage');
      for (const request of storageRequests) {
        for (const header of CREDENTIAL_HEADERS) assert.equal(request.headers[header], undefined, `${header} reached object storage`);
      }
    }
  });

  it('reports download progress with sizes and a rate, then extraction progress', async () => {
    const seen: ArchiveDownloadProgress[] = [];

    await downloadArchiveInto(gitlab, PROJECT, { jobId }, join(root.path, 'out'), { onProgress: (progress) => seen.push(progress) });

    const downloads = seen.filter((progress) => progress.phase === 'download');
    const last = downloads[downloads.length - 1];
    assert.ok(last.phase === 'download' && last.bytes === archive.length && last.total === archive.length && last.bytesPerSecond > 0);
    assert.ok(seen.some((progress) => progress.phase === 'extract' && progress.entriesDone === progress.entriesTotal));
    assert.ok(seen.findIndex((progress) => progress.phase === 'extract') > seen.indexOf(last), 'extraction comes after the download');
  });

  for (const [kind, origin] of [['reset', 'objectStorage'], ['truncate', 'objectStorage'], ['reset', 'api'], ['truncate', 'api']] as const) {
    it(`turns a connection ${kind === 'reset' ? 'reset' : 'closed early'} mid-body (${origin}) into a network GitLabError, leaving nothing`, async () => {
      gl.features.artifactsRedirect = origin === 'objectStorage';
      gl.faults.add({ route: origin === 'api' ? /\/artifacts$/ : /^\/gitlab-artifacts\//, origin, kind, bytes: 1024 * 1024 });

      await assert.rejects(downloadArchiveInto(gitlab, PROJECT, { jobId }, join(root.path, 'deep', 'dest')), isGitLabError('network'));

      assert.deepEqual(await root.snapshot(), [], 'neither the folder, its parents, the zip nor a temporary file');
    });
  }

  it(featuresOf(generation).artifactEtag ? 'refuses an archive whose bytes do not match the sha256 ETag, leaving nothing' : 'without a strong ETag, has no sha256 to check: a stored sha256 changes nothing', async () => {
    const stored = gl.state.attachArchiveFile(jobId, join(archiveRoot.path, 'stored.zip'), { sha256: 'f'.repeat(64) });
    try {
      const downloading = downloadArchiveInto(gitlab, PROJECT, { jobId }, join(root.path, 'dest'));
      if (gl.features.artifactEtag) {
        await assert.rejects(downloading, isGitLabError('malformed-response'));
        assert.deepEqual(await root.snapshot(), []);
      } else {
        await downloading;
        await assertExtracted(join(root.path, 'dest'));
      }
    } finally {
      delete stored.sha256;
    }
  });

  it('refuses a download of another size than expected', async () => {
    const download = await gitlab.artifacts.downloadArchive(PROJECT, { jobId });
    await assert.rejects(downloadToFile(download, join(root.path, 'a.zip'), { expectedSize: archive.length + 1 }), isGitLabError('network'));
    assert.deepEqual(await root.snapshot(), []);
  });

  it('leaves file system errors as they are: a disk problem is no network failure', async () => {
    await root.write('not-a-folder', '');
    const download = await gitlab.artifacts.downloadArchive(PROJECT, { jobId });

    await assert.rejects(downloadToFile(download, join(root.path, 'not-a-folder', 'a.zip')), (error: unknown) => {
      assert.ok(!(error instanceof GitLabError));
      assert.ok(['EEXIST', 'ENOTDIR'].includes(String((error as NodeJS.ErrnoException).code)), String(error));
      return true;
    });
    assert.ok(download.body.destroyed, 'the connection is released');
  });

  it('checks a sha256 given by the caller and returns it', async () => {
    gl.features.artifactEtag = false;
    const sha256 = createHash('sha256').update(archive).digest('hex');

    const file = await downloadToFile(await gitlab.artifacts.downloadArchive(PROJECT, { jobId }), join(root.path, 'a.zip'), { expectedSha256: sha256 });

    assert.equal(file.sha256, sha256);
    assert.equal(file.size, archive.length);
  });

  it('cancelled mid-download: an aborted GitLabError and nothing left', async () => {
    const controller = new AbortController();
    const onProgress = (progress: ArchiveDownloadProgress): void => {
      if (progress.phase === 'download' && progress.bytes > 0) controller.abort();
    };

    await assert.rejects(
      downloadArchiveInto(gitlab, PROJECT, { jobId }, join(root.path, 'deep', 'dest'), { signal: controller.signal, onProgress }),
      isGitLabError('aborted'),
    );
    assert.deepEqual(await root.snapshot(), []);
  });

  it('cancelled while extracting: an aborted GitLabError and nothing left', async () => {
    const controller = new AbortController();
    const onProgress = (progress: ArchiveDownloadProgress): void => {
      if (progress.phase === 'extract') controller.abort();
    };

    await assert.rejects(
      downloadArchiveInto(gitlab, PROJECT, { jobId }, join(root.path, 'deep', 'dest'), { signal: controller.signal, onProgress, keepZip: true }),
      isGitLabError('aborted'),
    );
    assert.deepEqual(await root.snapshot(), []);
  });

  it('refuses an existing folder before downloading anything, and replaces it with overwrite', async () => {
    const destDir = join(root.path, 'dest');
    await mkdir(destDir);
    await downloadArchiveInto(gitlab, PROJECT, { jobId }, join(root.path, 'elsewhere'));
    const requestsBefore = gl.requests.length;

    await assert.rejects(downloadArchiveInto(gitlab, PROJECT, { jobId }, destDir), DestinationExistsError);
    assert.equal(gl.requests.length, requestsBefore, 'no request sent');

    await downloadArchiveInto(gitlab, PROJECT, { jobId }, destDir, { overwrite: true });
    await assertExtracted(destDir);
  });

  it('passes GitLab refusals on as typed errors', async () => {
    const reporter = new GitLab({ instanceUrl: gl.url, token: 'glpat-nope', retry: { maxAttempts: 1 } });
    await assert.rejects(downloadArchiveInto(reporter, PROJECT, { jobId }, join(root.path, 'dest')), isGitLabError('unauthorized'));
    await assert.rejects(downloadArchiveInto(gitlab, PROJECT, { jobId: 999_999 }, join(root.path, 'dest')), isGitLabError('not-found'));
    assert.deepEqual(await root.snapshot(), []);
  });

  it('reads the sha256 only from a strong ETag of 64 hex digits', () => {
    const sha = 'a'.repeat(64);
    assert.equal(sha256FromEtag(`"${sha}"`), sha);
    assert.equal(sha256FromEtag(`"${sha.toUpperCase()}"`), sha);
    assert.equal(sha256FromEtag(`W/"${sha}"`), undefined);
    assert.equal(sha256FromEtag('"d41d8cd98f00b204e9800998ecf8427e"'), undefined);
    assert.equal(sha256FromEtag(undefined), undefined);
  });
});
