import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listLocalZip } from '../../src/gitlab/archive';
import { type FakeGitLab, type JobRecord, featuresOf, generations } from '../fake-gitlab';
import { makeZip, patchEntry, placeholder } from '../gitlab/archive/zipFixtures';
import { DEMO_PROJECT, type McpSession, type ProgressReport, closeDemoGitLab, failed, ok, startDemoGitLab, startDemoSession } from './harness';

interface Listed {
  path: string;
  type: 'file' | 'directory';
  size: number;
}

const APP_JS = 'console.log("demo-app");\n'.repeat(40);
const SUMMARY = 'tests: 3, failures: 1, duration: 1.204 s\ncoverage: 81.4%\n';

for (const generation of generations) describe(`MCP server: artifact tools on GitLab ${generation}`, () => {
  let gitlab: FakeGitLab;
  let session: McpSession;
  let scratch: string;
  let developer: McpSession;

  before(async () => {
    ({ gitlab, session } = await startDemoGitLab({ generation }));
    developer = await startDemoSession(gitlab, gitlab.tokens.developer);
    scratch = await mkdtemp(join(tmpdir(), 'mcp-artifacts-'));
  });

  after(async () => {
    await developer?.close();
    await closeDemoGitLab(session, gitlab);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const jobsWithArchive = (): JobRecord[] =>
    gitlab.state.findJobs({ projectId: gitlab.state.requireProject(DEMO_PROJECT).id, kind: 'build' }).filter((job) => gitlab.state.archiveOf(job) !== undefined);

  it('download-artifacts-archive-job-2 extracts the archive into the folder and lists it', async () => {
    const job = jobsWithArchive()[0];
    const directory = join(scratch, 'by-id');
    const progress: ProgressReport[] = [];
    const data = ok(await session.call('download-artifacts-archive-job-2', { job_id: job.id, directory }, progress));
    assert.equal(data.directory, directory);
    assert.equal(data.archive_bytes, gitlab.state.archiveOf(job)?.size);
    assert.equal(await readFile(join(directory, 'dist', 'app.js'), 'utf8'), APP_JS);
    assert.equal(await readFile(join(directory, 'reports', 'summary.txt'), 'utf8'), SUMMARY);
    const entries = data.entries as Listed[];
    assert.ok(entries.some((entry) => entry.path === 'dist/assets/logo.png' && entry.type === 'file' && entry.size === 6000));
    assert.ok(!JSON.stringify(data).includes('demo-app");'), 'file contents are not inlined');
    assert.ok(progress.some((report) => /Downloading/.test(report.message ?? '')), 'download progress was reported');
    assert.ok(progress.some((report) => /Extracting/.test(report.message ?? '')), 'extraction progress was reported');
    progress.slice(1).forEach((report, index) => assert.ok(report.progress > progress[index].progress, `progress only grows: ${JSON.stringify(progress)}`));
    for (const request of gitlab.objectStorage.requests) {
      assert.equal(request.headers.authorization, undefined, 'no credentials to object storage');
      assert.equal(request.headers['private-token'], undefined, 'no credentials to object storage');
    }
  });

  it('downloads into a fresh temporary folder when none is named, or keeps the zip when asked', async () => {
    const job = jobsWithArchive()[0];
    const fresh = ok(await session.call('download-artifacts-archive-job-2', { job_id: job.id }));
    try {
      assert.equal(await readFile(join(String(fresh.directory), 'dist', 'app.js'), 'utf8'), APP_JS);
    } finally {
      await rm(String(fresh.directory), { recursive: true, force: true });
    }

    const kept = ok(await session.call('download-artifacts-archive-job-2', { job_id: job.id, directory: join(scratch, 'zip'), extract: false }));
    const zipPath = String(kept.zip_path);
    assert.equal((await stat(zipPath)).size, kept.archive_bytes);
    assert.deepEqual((await listLocalZip(zipPath)).map((entry) => entry.path), (kept.entries as Listed[]).map((entry) => entry.path));
  });

  it('refuses a folder that is not empty unless told to overwrite it', async () => {
    const job = jobsWithArchive()[0];
    const directory = join(scratch, 'occupied');
    await mkdir(directory);
    await writeFile(join(directory, 'mine.txt'), 'keep me');
    assert.match(failed(await session.call('download-artifacts-archive-job-2', { job_id: job.id, directory })), /not empty.*overwrite/);
    assert.equal(await readFile(join(directory, 'mine.txt'), 'utf8'), 'keep me');
    ok(await session.call('download-artifacts-archive-job-2', { job_id: job.id, directory, overwrite: true }));
    assert.equal(await readFile(join(directory, 'dist', 'app.js'), 'utf8'), APP_JS);
  });

  it('download-artifacts-archive-job finds the job of the latest successful pipeline of a ref', async () => {
    const directory = join(scratch, 'by-ref');
    const data = ok(await session.call('download-artifacts-archive-job', { ref_name: 'main', job: 'build', search_recent_successful_pipelines: true, directory }));
    assert.equal(data.directory, directory);
    assert.equal(await readFile(join(directory, 'reports', 'summary.txt'), 'utf8'), SUMMARY);
    assert.match(failed(await session.call('download-artifacts-archive-job', { ref_name: 'main', job: 'no-such-job', directory: join(scratch, 'none') })), /404/);
  });

  it('download-specific-file-artifacts-archive-2 writes one file and inlines small text', async () => {
    const job = jobsWithArchive()[0];
    const directory = join(scratch, 'single');
    const text = ok(await session.call('download-specific-file-artifacts-archive-2', { job_id: job.id, artifact_path: 'reports/summary.txt', directory }));
    assert.equal(text.path, join(directory, 'reports', 'summary.txt'));
    assert.equal(text.content, SUMMARY);
    assert.equal(await readFile(String(text.path), 'utf8'), SUMMARY);

    const binary = ok(await session.call('download-specific-file-artifacts-archive-2', { job_id: job.id, artifact_path: 'dist/assets/logo.png', directory }));
    assert.equal(binary.size, 6000);
    assert.equal(binary.content, undefined);

    assert.match(failed(await session.call('download-specific-file-artifacts-archive-2', { job_id: job.id, artifact_path: '../escape.txt', directory })), /path-traversal/);
    assert.match(failed(await session.call('download-specific-file-artifacts-archive-2', { job_id: job.id, artifact_path: 'reports/summary.txt', directory })), /already exists/);
  });

  it('download-specific-file-artifacts-archive takes the file from the latest successful job of a ref', async () => {
    const directory = join(scratch, 'single-by-ref');
    const data = ok(await session.call('download-specific-file-artifacts-archive', { ref_name: 'main', job: 'build', artifact_path: 'dist/app.js', directory }));
    assert.equal(await readFile(join(directory, 'dist', 'app.js'), 'utf8'), APP_JS);
    assert.equal(data.content, APP_JS);
  });

  describe('list-all-files-artifacts-archive', () => {
    // How the object storage was read: nothing, only byte ranges, or the whole archive (once, then the cache).
    const modes = [
      { name: "GitLab's tree endpoint", features: { artifactsTree: true, objectStorageRanges: true }, source: 'gitlab-tree', storageReads: [] },
      { name: 'ranged reads of the zip', features: { artifactsTree: false, objectStorageRanges: true }, source: 'zip-central-directory', storageReads: ['ranged'] },
      { name: 'a downloaded copy', features: { artifactsTree: false, objectStorageRanges: false }, source: 'zip-central-directory', storageReads: ['ranged', 'whole'] },
    ];
    afterEach(() => Object.assign(gitlab.features, featuresOf(generation)));

    // The tree endpoint only where this GitLab has it; any GitLab may sit on object storage with or without ranges.
    for (const mode of modes.filter((candidate) => featuresOf(generation).artifactsTree || !candidate.features.artifactsTree)) {
      it(`lists one folder or everything below it, a page at a time, from ${mode.name}`, async () => {
        Object.assign(gitlab.features, mode.features);
        const job = jobsWithArchive()[mode.source === 'gitlab-tree' ? 0 : 1];
        const storageRequestsBefore = gitlab.objectStorage.requests.length;
        const paths = (data: Record<string, unknown>) => (data.entries as Listed[]).map((entry) => entry.path).sort();

        const root = ok(await session.call('list-all-files-artifacts-archive', { job_id: job.id }));
        assert.equal(root.source, mode.source);
        assert.deepEqual(paths(root), ['coverage', 'dist', 'logs', 'reports']);

        const dist = ok(await session.call('list-all-files-artifacts-archive', { job_id: job.id, path: 'dist', recursive: true }));
        assert.deepEqual(paths(dist), ['dist/app.js', 'dist/assets', 'dist/assets/logo.png', 'dist/assets/styles', 'dist/assets/styles/main.css', 'dist/index.html']);
        const appJs = (dist.entries as Listed[]).find((entry) => entry.path === 'dist/app.js');
        assert.equal(appJs?.size, APP_JS.length);

        const first = ok(await session.call('list-all-files-artifacts-archive', { job_id: job.id, path: 'dist', recursive: true, per_page: 4 }));
        const second = ok(await session.call('list-all-files-artifacts-archive', { job_id: job.id, path: 'dist', recursive: true, per_page: 4, page: 2 }));
        assert.equal(first.next_page, 2);
        assert.deepEqual([...paths(first), ...paths(second)].sort(), paths(dist));

        const storageReads = gitlab.objectStorage.requests.slice(storageRequestsBefore).map((request) => (request.headers.range === undefined ? 'whole' : 'ranged'));
        assert.deepEqual([...new Set(storageReads)].sort(), mode.storageReads);
        assert.ok(storageReads.filter((read) => read === 'whole').length <= 1, 'the archive is downloaded at most once');
      });

      it(`refuses a folder the archive does not have, from ${mode.name}`, async () => {
        Object.assign(gitlab.features, mode.features);
        const job = jobsWithArchive()[0];
        const missing = failed(await session.call('list-all-files-artifacts-archive', { job_id: job.id, path: 'dist/nope' }));
        assert.match(missing, /no folder dist\/nope/);
        assert.match(failed(await session.call('list-all-files-artifacts-archive', { job_id: job.id, path: 'nothing-here', recursive: true })), /no folder nothing-here/);
        assert.match(failed(await session.call('list-all-files-artifacts-archive', { job_id: job.id, path: 'dist/app.js' })), /is a file, not a folder/);
      });

      it(`lists entries named .. and marks them unsafe, from ${mode.name}`, async () => {
        Object.assign(gitlab.features, mode.features);
        const job = await jobWithHostileArchive();
        const root = ok(await session.call('list-all-files-artifacts-archive', { job_id: job.id }));
        const entries = root.entries as (Listed & { unsafe?: string })[];
        assert.equal(entries.find((entry) => entry.path === '..')?.unsafe, 'path-traversal', JSON.stringify(entries));
        assert.equal(entries.find((entry) => entry.path === 'ok.txt')?.unsafe, undefined);
        const below = ok(await session.call('list-all-files-artifacts-archive', { job_id: job.id, path: 'a', recursive: true }));
        const traversing = (below.entries as (Listed & { unsafe?: string })[]).filter((entry) => entry.path.includes('..'));
        assert.ok(traversing.length > 0 && traversing.every((entry) => entry.unsafe === 'path-traversal'), JSON.stringify(below.entries));
      });
    }
  });

  /** A finished job given an archive whose names yazl refuses to write: `..` and `a/../b.txt`, patched in. */
  async function jobWithHostileArchive(): Promise<JobRecord> {
    const names = ['ok.txt', '..', 'a/../b.txt'];
    let zip = await makeZip(names.map((name) => ({ name: placeholder(name), data: `${name}\n` })));
    names.forEach((name, index) => (zip = patchEntry(zip, index, { name })));
    const zipPath = join(scratch, `hostile-${Date.now()}.zip`);
    await writeFile(zipPath, zip);
    const job = gitlab.state.findJobs({ projectId: gitlab.state.requireProject(DEMO_PROJECT).id, kind: 'build', status: 'success' })
      .find((candidate) => gitlab.state.archiveOf(candidate) === undefined);
    assert.ok(job, 'a finished job without artifacts');
    gitlab.state.attachArchiveFile(job.id, zipPath);
    return job;
  }

  // Last: these change or remove the artifacts the tests above read.
  describe('keeping, deleting and expiring', () => {
    it('keep-artifacts-prevent-them-being clears the expiry', async () => {
      const job = jobsWithArchive().find((candidate) => candidate.artifactsExpireAt !== null);
      assert.ok(job, 'a job whose artifacts expire');
      const data = ok(await session.call('keep-artifacts-prevent-them-being', { job_id: job.id }));
      assert.equal(data.artifacts_expire_at, null);
      assert.equal(gitlab.state.requireJob(job.id).artifactsExpireAt, null);
    });

    it('delete-artifacts-files-job removes a job\'s artifacts (maintainers only)', async () => {
      const job = jobsWithArchive()[0];
      assert.match(failed(await developer.call('delete-artifacts-files-job', { job_id: job.id })), /403/);
      ok(await session.call('delete-artifacts-files-job', { project_id: DEMO_PROJECT, job_id: job.id }));
      assert.equal(gitlab.state.archiveOf(gitlab.state.requireJob(job.id)), undefined);
      assert.match(failed(await session.call('download-artifacts-archive-job-2', { job_id: job.id, directory: join(scratch, 'gone') })), /404/);
    });

    it('expire-artifacts-files-project schedules the expiry of every artifact of the project', async () => {
      const project = gitlab.state.requireProject(DEMO_PROJECT);
      assert.match(failed(await developer.call('expire-artifacts-files-project')), /403.*Maintainer/s);
      const data = ok(await session.call('expire-artifacts-files-project', { project_id: project.id }));
      assert.equal(data.scheduled, true);
      // GitLab expires them in the background: wait for the fake's worker, however long it takes.
      for (let polls = 0; jobsWithArchive().length > 0; polls++) {
        assert.ok(polls < 1000, 'the artifacts never expired');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
  });
});
