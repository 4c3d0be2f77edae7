import assert from 'node:assert/strict';
import { GitLab, findBranchPipeline } from '../../src/gitlab';
import { GitLabHttpError } from '../../src/gitlab/errors';
import { type FakeGitLab, generations } from '../fake-gitlab';
import { startWithClient } from './fakeSession';

const STOREFRONT = 'demo-group/storefront';

for (const generation of generations) {
  describe(`merge request pipelines (GitLab ${generation})`, () => {
    let fake: FakeGitLab;
    let gitlab: GitLab;
    const mergeRequest = () => fake.state.mergeRequests.require(STOREFRONT, 1);
    const askedPaths = () => fake.requests.map((request) => request.path.replace(/^\/api\/v4\/projects\/[^/]+/, ''));

    beforeEach(async () => {

      ({ fake, gitlab } = await startWithClient({ generation }));
    });
    afterEach(async () => {
      await fake.close();
    });

    it('finds an MR-only branch\'s pipeline through its merge request\'s head pipeline', async () => {
      const found = await findBranchPipeline(gitlab, STOREFRONT, 'feature/checkout');
      assert.equal(found.source, 'head-pipeline');
      assert.equal(found.pipeline?.ref, 'refs/merge-requests/1/merge');
      assert.equal(found.pipeline?.source, 'merge_request_event');
      assert.ok(found.pipeline?.detailed_status, 'a full pipeline');
      assert.deepEqual(found.mergeRequest, { iid: 1, title: 'Checkout: pay with saved cards', web_url: `${fake.url}/${STOREFRONT}/-/merge_requests/1` });
      assert.ok(!askedPaths().some((path) => path.startsWith('/pipelines/latest')), 'no branch look-up when the MR answers');
    });

    it('falls back to the newest of the MR\'s pipelines when the head pipeline is null', async () => {
      const mr = mergeRequest();
      const detached = fake.state.mergeRequests.createPipeline(mr, 2, 'detached');
      fake.state.mergeRequests.clearHeadPipeline(mr);
      const found = await findBranchPipeline(gitlab, STOREFRONT, 'feature/checkout');
      assert.equal(found.source, 'merge-request-pipelines');
      assert.equal(found.pipeline?.id, detached.id);
      assert.ok(found.pipeline?.detailed_status, 'the listed pipeline is fetched in full');
      assert.equal(found.mergeRequest?.iid, 1);
    });

    it('falls back to the MR\'s pipelines when the head pipeline is not readable', async () => {
      fake.state.mergeRequests.hideHeadPipeline(mergeRequest());
      const newest = fake.state.mergeRequests.pipelinesOf(mergeRequest())[0];
      const found = await findBranchPipeline(gitlab, STOREFRONT, 'feature/checkout');
      assert.equal(found.source, 'merge-request-pipelines');
      assert.equal(found.pipeline?.id, newest?.id);
    });

    it('keeps the branch\'s behaviour without a merge request', async () => {
      const found = await findBranchPipeline(gitlab, 'demo-group/demo-app', 'feature/login');
      assert.equal(found.source, 'branch');
      assert.equal(found.pipeline?.ref, 'feature/login');
      assert.equal(found.mergeRequest, undefined);
      const nothing = await findBranchPipeline(gitlab, STOREFRONT, 'main');
      assert.deepEqual(nothing, { pipeline: undefined, source: 'none' });
    });

    it('says "none" for an MR without any pipeline, and names the MR', async () => {
      const project = fake.state.requireProject(STOREFRONT);
      project.refs.push({ name: 'feature/search', kind: 'branch', protected: false, commits: project.refs[0]?.commits ?? [] });
      fake.state.mergeRequests.open(project, { title: 'Search', sourceBranch: 'feature/search', authorId: 2 });
      const found = await findBranchPipeline(gitlab, STOREFRONT, 'feature/search');
      assert.equal(found.source, 'none');
      assert.equal(found.pipeline, undefined);
      assert.equal(found.mergeRequest?.title, 'Search');
    });

    it('takes the most recently updated of several open merge requests', async () => {
      const project = fake.state.requireProject(STOREFRONT);
      project.refs.push({ name: 'release', kind: 'branch', protected: false, commits: project.refs[0]?.commits ?? [] });
      const second = fake.state.mergeRequests.open(project, { title: 'Checkout into release', sourceBranch: 'feature/checkout', targetBranch: 'release', authorId: 2 });
      const pipeline = fake.state.mergeRequests.createPipeline(second, 2);
      second.updatedAt = new Date(Date.now() + 60_000);
      const found = await findBranchPipeline(gitlab, STOREFRONT, 'feature/checkout');
      assert.equal(found.mergeRequest?.iid, second.iid);
      assert.equal(found.pipeline?.id, pipeline.id);
      mergeRequest().updatedAt = new Date(Date.now() + 120_000);
      const again = await findBranchPipeline(gitlab, STOREFRONT, 'feature/checkout');
      assert.equal(again.mergeRequest?.iid, 1);
    });

    it('creates a detached MR pipeline, and reports a reporter\'s 403 as such', async () => {
      const created = await gitlab.mergeRequests.createPipeline(STOREFRONT, 1);
      assert.equal(created.ref, 'refs/merge-requests/1/head');
      assert.equal(fake.state.pipelines.get(created.id)?.source, 'merge_request_event');
      const page = await gitlab.mergeRequests.pipelines(STOREFRONT, 1, { perPage: 2 });
      assert.equal(page.items[0]?.id, created.id);
      assert.equal(page.nextPage, 2);
      const reporter = new GitLab({ instanceUrl: fake.url, token: fake.tokens.reporter });
      await assert.rejects(reporter.mergeRequests.createPipeline(STOREFRONT, 1), (error: unknown) => error instanceof GitLabHttpError && error.status === 403);
      assert.equal(fake.requests.filter((request) => request.method === 'POST').length, 2, 'each POST sent once');
    });

    it('downloads an MR pipeline\'s artifacts and one file by the MR ref', async () => {
      const archive = await gitlab.artifacts.downloadArchive(STOREFRONT, { ref: 'refs/merge-requests/1/head', job: 'build' });
      let bytes = 0;
      for await (const chunk of archive.body as AsyncIterable<Buffer>) bytes += chunk.length;
      assert.ok(bytes > 0);
      const file = await gitlab.artifacts.downloadFile(STOREFRONT, { ref: 'refs/merge-requests/1/head', job: 'build' }, 'dist/index.html');
      let text = '';
      for await (const chunk of file.body as AsyncIterable<Buffer>) text += chunk.toString('utf8');
      assert.match(text, /<title>demo-app<\/title>/);
    });
  });
}
