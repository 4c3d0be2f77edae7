import * as assert from 'node:assert/strict';
import { generations, startFakeGitLab, type FakeGitLab } from './index';
import { api, call, jsonBody } from './test-client';

const STOREFRONT = encodeURIComponent('demo-group/storefront');

interface MergeRequest { iid: number; title: string; state: string; source_branch: string; sha: string; web_url: string; head_pipeline?: Pipeline | null }
interface Pipeline { id: number; ref: string; sha: string; source: string; status: string; detailed_status?: unknown; before_sha?: string }

for (const generation of generations) {
  describe(`fake GitLab ${generation}: merge requests and their pipelines`, () => {
    let gl: FakeGitLab;
    beforeEach(async () => {
      gl = await startFakeGitLab({ generation });
    });
    afterEach(async () => {
      await gl.close();
    });

    it('lists open merge requests by source branch, without head_pipeline', async () => {
      const res = await api(gl, `/projects/${STOREFRONT}/merge_requests?source_branch=feature%2Fcheckout&state=opened`, gl.tokens.reporter);
      assert.equal(res.status, 200);
      const list = res.json<MergeRequest[]>();
      assert.deepEqual(list.map((mr) => [mr.iid, mr.state, mr.source_branch]), [[1, 'opened', 'feature/checkout']]);
      assert.equal(list[0]?.sha, '6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192');
      assert.ok(list[0]?.web_url.endsWith('/demo-group/storefront/-/merge_requests/1'));
      assert.ok(!('head_pipeline' in (list[0] ?? {})));
      assert.equal(res.headers['x-total'], '1');
      const none = await api(gl, `/projects/${STOREFRONT}/merge_requests?source_branch=main&state=opened`, gl.tokens.reporter);
      assert.deepEqual(none.json(), []);
      const bad = await api(gl, `/projects/${STOREFRONT}/merge_requests?state=nope`, gl.tokens.reporter);
      assert.equal(bad.status, 400);
    });

    it('runs MR pipelines on refs/merge-requests/:iid/head|merge, never under the branch name', async () => {
      const mr = (await api(gl, `/projects/${STOREFRONT}/merge_requests/1`, gl.tokens.reporter)).json<MergeRequest>();
      const head = mr.head_pipeline;
      assert.ok(head, 'the MR has a head pipeline');
      assert.equal(head.ref, 'refs/merge-requests/1/merge', 'the newest, merged results');
      assert.equal(head.source, 'merge_request_event');
      assert.ok(head.detailed_status, 'head_pipeline is the full pipeline entity');
      assert.notEqual(head.sha, mr.sha, 'a merged results pipeline runs on the merge commit');

      const listed = await api(gl, `/projects/${STOREFRONT}/merge_requests/1/pipelines`, gl.tokens.reporter);
      const pipelines = listed.json<Pipeline[]>();
      assert.deepEqual(pipelines.map((p) => p.ref), ['refs/merge-requests/1/merge', 'refs/merge-requests/1/head']);
      assert.ok(pipelines.every((p) => p.source === 'merge_request_event' && !('before_sha' in p)), 'basic entities');
      assert.equal(pipelines[1]?.sha, mr.sha);

      const latest = await api(gl, `/projects/${STOREFRONT}/pipelines/latest?ref=feature%2Fcheckout`, gl.tokens.reporter);
      assert.equal(latest.status, 403);
      const byRef = await api(gl, `/projects/${STOREFRONT}/pipelines?ref=feature%2Fcheckout`, gl.tokens.reporter);
      assert.deepEqual(byRef.json(), []);
      const branches = await api(gl, `/projects/${STOREFRONT}/pipelines?scope=branches`, gl.tokens.reporter);
      assert.deepEqual(branches.json(), [], 'MR refs are not branches');
    });

    it('serves an MR pipeline\'s artifacts by its ref', async () => {
      const ref = encodeURIComponent('refs/merge-requests/1/head');
      const res = await api(gl, `/projects/${STOREFRONT}/jobs/artifacts/${ref}/download?job=build`, gl.tokens.reporter);
      assert.ok(res.status === 200 || res.status === 302, `got ${res.status}`);
      const missing = await api(gl, `/projects/${STOREFRONT}/jobs/artifacts/feature%2Fcheckout/download?job=build`, gl.tokens.reporter);
      assert.equal(missing.status, 404, 'the branch itself has no pipeline');
    });

    it('creates a detached MR pipeline for developers, refuses reporters, and keeps branch pipelines filtered out', async () => {
      const refused = await api(gl, `/projects/${STOREFRONT}/merge_requests/1/pipelines`, gl.tokens.reporter, { method: 'POST' });
      assert.equal(refused.status, 403);
      const created = await api(gl, `/projects/${STOREFRONT}/merge_requests/1/pipelines`, gl.tokens.developer, { method: 'POST' });
      assert.equal(created.status, 201);
      const pipeline = created.json<Pipeline>();
      assert.equal(pipeline.ref, 'refs/merge-requests/1/head');
      assert.equal(pipeline.source, 'merge_request_event');
      const mr = (await api(gl, `/projects/${STOREFRONT}/merge_requests/1`, gl.tokens.reporter)).json<MergeRequest>();
      assert.equal(mr.head_pipeline?.id, pipeline.id, 'the new pipeline is the head pipeline');

      const branchRun = await api(gl, `/projects/${STOREFRONT}/pipeline`, gl.tokens.developer, { method: 'POST', ...jsonBody({ ref: 'feature/checkout' }) });
      assert.equal(branchRun.status, 400);
      assert.deepEqual(branchRun.json(), { message: { base: ['Pipeline filtered out by workflow rules.'] } });
      const unknown = await api(gl, `/projects/${STOREFRONT}/merge_requests/99/pipelines`, gl.tokens.developer, { method: 'POST' });
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.json(), { message: '404 Merge Request Not Found' });
    });

    it('gives a runner an MR pipeline\'s job with its MR variables and no branch refspec', async () => {
      for (const pipeline of gl.state.pipelines.values()) gl.state.cancelPipeline(pipeline);
      const pipeline = gl.state.mergeRequests.createPipeline(gl.state.mergeRequests.require('demo-group/storefront', 1), 2, 'merged_results');
      const res = await call(`${gl.apiUrl}/jobs/request`, { method: 'POST', ...jsonBody({ token: gl.tokens.runner, info: { name: 'gitlab-runner', version: '17.5.0' } }) });
      assert.equal(res.status, 201);
      const payload = res.json<{ job_info: { pipeline_id: number }; git_info: { refspecs: string[] }; variables: { key: string; value: string }[] }>();
      assert.equal(payload.job_info.pipeline_id, pipeline.id);
      assert.deepEqual(payload.git_info.refspecs, [`+refs/pipelines/${pipeline.id}:refs/pipelines/${pipeline.id}`]);
      const variables = new Map(payload.variables.map((v) => [v.key, v.value]));
      assert.equal(variables.get('CI_PIPELINE_SOURCE'), 'merge_request_event');
      assert.equal(variables.get('CI_MERGE_REQUEST_IID'), '1');
      assert.equal(variables.get('CI_MERGE_REQUEST_EVENT_TYPE'), 'merged_result');
      assert.equal(variables.has('CI_COMMIT_BRANCH'), false);
    });

    it('can make the head pipeline null or unreadable', async () => {
      const mr = gl.state.mergeRequests.require('demo-group/storefront', 1);
      gl.state.mergeRequests.clearHeadPipeline(mr);
      const cleared = (await api(gl, `/projects/${STOREFRONT}/merge_requests/1`, gl.tokens.reporter)).json<MergeRequest>();
      assert.equal(cleared.head_pipeline, null);
      gl.state.mergeRequests.hideHeadPipeline(mr);
      const hidden = (await api(gl, `/projects/${STOREFRONT}/merge_requests/1`, gl.tokens.reporter)).json<MergeRequest>();
      assert.ok(!('head_pipeline' in hidden));
      assert.equal(hidden.iid, 1);
    });
  });
}
