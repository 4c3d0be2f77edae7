import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitLab } from '../../../src/gitlab';
import { ArchiveBrowser } from '../../../src/gitlab/archive/browse';
import { generations, startFakeGitLab, type FakeGitLab } from '../../fake-gitlab';
import { type RewritingProxy, startRewritingProxy } from '../rewritingProxy';
import { makeZip, TempRoot } from './zipFixtures';

const PROJECT = 'demo-group/demo-app';
/** What GitLab sends for every artifact while `workhorse_download_etag_caching` is off (the default). */
const BOGUS_WEAK_ETAG = 'W/"12ae32cb1ec02d01eda3581b127c1fee"';

for (const generation of generations) {
  describe(`artifact caches on GitLab ${generation} sending its one bogus weak ETag for every artifact`, () => {
    let gl: FakeGitLab;
    let proxy: RewritingProxy;
    let gitlab: GitLab;
    let root: TempRoot;
    let buildJobs: number[];

    /** Gives every build job on main an archive holding `version.txt` with `text` (every version the same size). */
    async function attachVersion(text: string): Promise<void> {
      const zipPath = await root.write(`${text}.zip`, await makeZip([{ name: 'version.txt', data: `${text}\n` }]));
      for (const jobId of buildJobs) gl.state.attachArchiveFile(jobId, zipPath);
    }

    before(async () => {
      gl = await startFakeGitLab({ generation });
      // Object storage without ranges: the browser downloads whole archives into its cache.
      gl.features.objectStorageRanges = false;
      // GitLab's single-file endpoint failing: files come out of the downloaded archive.
      gl.faults.add({ route: /\/version\.txt$/, origin: 'api', kind: 'serverError', times: Infinity });
      proxy = await startRewritingProxy(gl.url, {
        response: (url, answer, requestHeaders) => {
          if (!url.pathname.includes('/artifacts')) return answer;
          const headers = { ...answer.headers, etag: BOGUS_WEAK_ETAG };
          // gitlab-org/gitlab#371991: a 304 to that ETag, whatever the artifact is now.
          return requestHeaders['if-none-match'] === BOGUS_WEAK_ETAG ? { status: 304, headers } : { status: answer.status, headers };
        },
      });
      gitlab = new GitLab({ instanceUrl: proxy.url, token: gl.tokens.developer, retry: { maxAttempts: 1 } });
      buildJobs = gl.state.findJobs({ name: 'build', status: 'success' }).filter((job) => gl.state.pipelines.get(job.pipelineId)?.ref === 'main').map((job) => job.id);
      assert.ok(buildJobs.length > 0);
    });
    after(async () => {
      await proxy.close();
      await gl.close();
    });
    beforeEach(async () => {
      root = await TempRoot.create();
    });
    afterEach(() => root.remove());

    const noneAskedIfNoneMatch = () => {
      for (const request of [...gl.requests, ...gl.objectStorage.requests]) assert.equal(request.headers['if-none-match'], undefined, `${request.path} carried If-None-Match`);
    };

    it('a file by ref comes from the archive the ref has now, not from a cached one with the same weak ETag', async () => {
      const cacheDir = join(root.path, 'cache');
      await attachVersion('version A');
      const first = await new ArchiveBrowser({ cacheDir }).fetchFile(gitlab, PROJECT, { ref: 'main', job: 'build' }, 'version.txt', join(root.path, 'a.txt'));
      await attachVersion('version B');
      const second = await new ArchiveBrowser({ cacheDir }).fetchFile(gitlab, PROJECT, { ref: 'main', job: 'build' }, 'version.txt', join(root.path, 'b.txt'));

      assert.deepEqual([first.source, second.source], ['cached-download', 'cached-download']);
      assert.equal(await readFile(first.path, 'utf8'), 'version A\n');
      assert.equal(await readFile(second.path, 'utf8'), 'version B\n');
      assert.deepEqual((await root.snapshot()).filter((path) => path.startsWith('cache/') && path !== 'cache/'), [], 'downloads by ref are not kept');
      noneAskedIfNoneMatch();
    });

    it('an archive by job id is cached by job id and size, whatever the ETag', async () => {
      const cacheDir = join(root.path, 'cache');
      await attachVersion('version C');
      const [jobId] = buildJobs;
      const storageBefore = gl.objectStorage.requests.length;
      const first = await new ArchiveBrowser({ cacheDir }).fetchFile(gitlab, PROJECT, { jobId }, 'version.txt', join(root.path, 'c.txt'));
      const storageBetween = gl.objectStorage.requests.length;
      const second = await new ArchiveBrowser({ cacheDir }).fetchFile(gitlab, PROJECT, { jobId }, 'version.txt', join(root.path, 'd.txt'));

      assert.deepEqual([first.source, second.source], ['cached-download', 'cached-download']);
      assert.equal(await readFile(second.path, 'utf8'), 'version C\n');
      // Each browser locates the archive (its size); only the first downloads it.
      assert.deepEqual([storageBetween - storageBefore, gl.objectStorage.requests.length - storageBetween], [2, 1]);
      noneAskedIfNoneMatch();
    });
  });
}
