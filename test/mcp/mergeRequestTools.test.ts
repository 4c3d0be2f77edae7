import * as assert from 'node:assert/strict';
import type { FakeGitLab } from '../fake-gitlab';
import { type McpSession, closeDemoGitLab, failed, ok, startDemoGitLab } from './harness';

const STOREFRONT = 'demo-group/storefront';

describe('MCP server: the pipelines of a merge request or branch', () => {
  let gitlab: FakeGitLab;
  let session: McpSession;

  before(async () => {
    ({ gitlab, session } = await startDemoGitLab({ generation: '18.2' }));
  });

  after(() => closeDemoGitLab(session, gitlab));

  const pipelineIdsOf = (project: string, filter: (ref: string) => boolean): number[] =>
    [...gitlab.state.pipelines.values()]
      .filter((p) => p.projectId === gitlab.state.requireProject(project).id && p.source !== 'parent_pipeline' && filter(p.ref))
      .map((p) => p.id)
      .sort((a, b) => b - a);

  it('a branch with an open merge request: its MR pipelines, which the branch alone never lists', async () => {
    const mrPipelines = pipelineIdsOf(STOREFRONT, (ref) => ref.startsWith('refs/merge-requests/1/'));
    assert.ok(mrPipelines.length >= 2, 'the fixture has detached and merged-results pipelines');
    const byBranch = ok(await session.call('gitlab_list_merge_request_pipelines', { project_id: STOREFRONT, branch: 'feature/checkout' }));
    assert.equal((byBranch.merge_request as { iid: number }).iid, 1);
    const ids = (byBranch.pipelines as { id: number; ref: string }[]).map((p) => p.id);
    assert.ok(mrPipelines.every((id) => ids.includes(id)), `${JSON.stringify(ids)} holds ${JSON.stringify(mrPipelines)}`);
    assert.deepEqual(ok(await session.call('gitlab_list_pipelines', { project_id: STOREFRONT, ref: 'feature/checkout' })).pipelines, [], 'why the tool exists');

    const byIid = ok(await session.call('gitlab_list_merge_request_pipelines', { project_id: STOREFRONT, merge_request_iid: '1' }));
    assert.deepEqual((byIid.pipelines as { id: number }[]).map((p) => p.id), ids);
  });

  it('a branch without a merge request: its own pipelines', async () => {
    const data = ok(await session.call('gitlab_list_merge_request_pipelines', { branch: 'feature/login' }));
    assert.equal(data.merge_request, null);
    assert.deepEqual((data.pipelines as { id: number }[]).map((p) => p.id), pipelineIdsOf('demo-group/demo-app', (ref) => ref === 'feature/login'));
  });

  it('asks for exactly one of merge_request_iid and branch, and says when the merge request does not exist', async () => {
    assert.match(failed(await session.call('gitlab_list_merge_request_pipelines', {})), /either merge_request_iid or branch/);
    assert.match(failed(await session.call('gitlab_list_merge_request_pipelines', { branch: 'main', merge_request_iid: 1 })), /either merge_request_iid or branch/);
    assert.match(failed(await session.call('gitlab_list_merge_request_pipelines', { project_id: STOREFRONT, merge_request_iid: 99 })), /404/);
  });
});
