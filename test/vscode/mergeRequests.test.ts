// A branch whose project runs pipelines only for merge requests: GitLab's `pipelines/latest?ref=<branch>`
// finds nothing there, yet the tree and the status bar show the merge request's head pipeline. The workspace
// repository is pointed at that project and branch for this suite, then put back as it was.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { PipelineDetail } from '../../src/gitlab/models';
import type { ProjectContext } from '../../src/ui/services';
import type { TreeNode } from '../../src/ui/tree/nodes';
import type { FakeGitLab } from '../fake-gitlab';
import { takeScreenshot } from './screenshot';
import { signIn, signOut } from './session';
import { PROJECT_PATH } from './setup';
import { labelOf } from './treeItems';
import { waitFor } from './waitFor';

const STOREFRONT = 'demo-group/storefront';
const MR_BRANCH = 'feature/checkout';

describe('merge request pipelines in the tree and the status bar', function () {
  let fake: FakeGitLab;
  let api: ExtensionApi;
  const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? assert.fail('a workspace folder');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: folder(), stdio: 'pipe' });
  const remoteOf = (projectPath: string) => `${fake.url}/${projectPath}.git`;
  const detected = (projectPath: string, branch: string) => () =>
    api.services.projects.list().find((project) => project.projectPath === projectPath && project.branch === branch && project.repositoryRoot !== undefined);
  const switchTo = async (projectPath: string, branch: string): Promise<ProjectContext> => {
    await vscode.commands.executeCommand('git.refresh');
    return waitFor(detected(projectPath, branch), () => `${projectPath} on ${branch} (seen: ${api.services.projects.list().map((p) => `${p.projectPath}@${p.branch ?? ''}`).join(', ')})`);
  };

  /** The storefront's rows: the roots, or under its project row when other tests left more projects open. */
  const pipelineRows = async (): Promise<TreeNode[]> => {
    const roots = await api.services.tree.getChildren();
    const projectRow = roots.find((node) => node.kind === 'project' && node.project.projectPath === STOREFRONT);
    return projectRow ? api.services.tree.getChildren(projectRow) : roots;
  };

  before(async function () {
    this.timeout(60_000);
    ({ fake, api } = await signIn('developer', '18.2'));
    git('remote', 'set-url', 'origin', remoteOf(STOREFRONT));
    git('checkout', '-q', '-b', MR_BRANCH);
  });

  after(async function () {
    this.timeout(60_000);
    git('checkout', '-q', 'main');
    git('branch', '-q', '-D', MR_BRANCH);
    git('remote', 'set-url', 'origin', remoteOf(PROJECT_PATH));
    await switchTo(PROJECT_PATH, 'main');
    await signOut(api?.services, fake);
  });

  it('shows the merge request\'s head pipeline as the current one, labelled !iid and title, and the MR\'s pipelines among recent ones', async function () {
    this.timeout(60_000);
    await switchTo(STOREFRONT, MR_BRANCH);
    await vscode.commands.executeCommand('workbench.view.extension.gitlabCiLens');
    let seen: string[] = [];
    const roots = await waitFor(async () => {
      await api.services.refresher.refreshNow(); // a refresh already running when the branch changed is joined, so ask again
      const nodes = await pipelineRows();
      seen = nodes.map(labelOf);
      return nodes.some((node) => node.kind === 'pipeline' && node.isCurrent) ? nodes : undefined;
    }, () => `a current pipeline in the tree (seen: ${seen.join(' | ')})`);
    const [current] = roots;
    assert.ok(current?.kind === 'pipeline' && current.isCurrent);
    assert.equal(labelOf(current), '!1 Checkout: pay with saved cards');
    assert.equal(current.pipeline.ref, 'refs/merge-requests/1/merge');
    assert.match(String(current.toTreeItem().description), /^failed · .* · #1010 · merged results$/);
    const recent = roots.filter((node) => node.kind === 'pipeline' && !node.isCurrent).map(labelOf);
    assert.deepEqual(recent, ['#1009 !1 detached'], 'the detached MR pipeline, once; the current one not again');
    assert.ok(
      // The status bar looks at other branches' latest pipelines meanwhile: only this branch's counts.
      fake.requests.some((request) => request.path.endsWith('/pipelines/latest') && request.query.get('ref') === MR_BRANCH) === false,
      'the branch is not looked up: its MR answered',
    );

    await waitFor(() => /^\$\(error\) !1 Pipeline failed$/.test(api.statusBar.text), () => `the status bar to follow the MR pipeline (got "${api.statusBar.text}")`);
    await takeScreenshot('merge-request-pipeline', { waitFor: 'text=!1 Checkout: pay with saved cards' });
    await takeScreenshot('merge-request-status-bar', { element: '#workbench\\.parts\\.statusbar' });

    // Nothing moved: the next refreshes read the pipeline list alone for this project, the merge request
    // (looked up every 2 minutes), its head pipeline and its pipelines are the ones held.
    const from = fake.requests.length;
    await api.services.refresher.refreshNow();
    await api.services.refresher.refreshNow();
    const storefront = `/api/v4/projects/${encodeURIComponent(STOREFRONT)}/`;
    const asked = fake.requests.slice(from).filter((request) => request.path.startsWith(storefront)).map((request) => request.path.slice(storefront.length));
    assert.deepEqual(asked, ['pipelines', 'pipelines'], `what two quiet refreshes asked of the storefront: ${asked.join(', ')}`);
    assert.deepEqual((await pipelineRows()).map(labelOf), roots.map(labelOf), 'the same rows');
  });

  it('runs a pipeline for the merge request, which becomes the current one', async function () {
    this.timeout(60_000);
    const project = await switchTo(STOREFRONT, MR_BRANCH);
    const created = await vscode.commands.executeCommand<PipelineDetail | undefined>('gitlabCiLens.runPipeline', project, { mergeRequestIid: 1 });
    assert.ok(created);
    assert.equal(created.ref, 'refs/merge-requests/1/head');
    assert.ok(fake.requests.some((request) => request.method === 'POST' && request.path === `/api/v4/projects/${encodeURIComponent(STOREFRONT)}/merge_requests/1/pipelines`));
    await waitFor(() => api.services.model.stateOf(project)?.current?.id === created.id, () => 'the new MR pipeline to become current');
    await waitFor(() => /!1 Pipeline (created|pending)( \d+\/\d+)?$/.test(api.statusBar.text), () => `the status bar to follow it (got "${api.statusBar.text}")`);
  });
});
