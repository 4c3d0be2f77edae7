// What a new user hit (issue 13, section 4): a sign-in check that gives up on a silent port, a URL that is
// not GitLab, the filter shown on the view, multi-project downstream pipelines named by their project, and
// the current pipeline's expansion not sticking to it once it is no longer current.
import * as assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import { type Socket, createServer as createTcpServer } from 'node:net';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/tree/nodes';
import type { FakeGitLab } from '../fake-gitlab';
import { activateExtension, messagesShownDuring, signOut, startWorkspaceFakeGitLab } from './session';
import { PROJECT_PATH } from './setup';
import { labelOf } from './treeItems';
import { waitFor } from './waitFor';

const SOME_TOKEN = 'glpat-papercuts-test-token';

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '');
    });
  });
}

describe('what a new user hit', function () {
  let fake: FakeGitLab;
  let api: ExtensionApi;

  before(async function () {
    fake = await startWorkspaceFakeGitLab('18.2');
    api = await activateExtension();
    await vscode.commands.executeCommand('gitlabCiLens.addAccount', { instanceUrl: fake.url, token: fake.tokens.maintainer });
    await vscode.commands.executeCommand('workbench.view.extension.gitlabCiLens');
  });

  after(async function () {
    await vscode.commands.executeCommand('gitlabCiLens.clearPipelineFilter');
    await signOut(api?.services, fake);
  });

  const tree = () => api.services.tree;
  const project = () => waitFor(() => api.services.projects.list().find((candidate) => candidate.projectPath === PROJECT_PATH && candidate.repositoryRoot !== undefined), 'the project');
  const pipelineRows = async () => (await tree().getChildren()).filter((node) => node.kind === 'pipeline');

  it('gives up on a port that accepts but never answers after one bounded attempt, storing nothing', async function () {
    this.timeout(45_000);
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket)); // accepts, reads, never answers
    const url = await listen(silent);
    try {
      const shown = await messagesShownDuring('showErrorMessage', () => vscode.commands.executeCommand('gitlabCiLens.addAccount', { instanceUrl: url, token: SOME_TOKEN }));
      assert.equal(sockets.length, 1, 'one attempt, not four of 30 s each');
      assert.equal(shown.length, 1);
      assert.match(shown[0], /did not answer in time/);
      assert.equal(api.services.accounts.find(url), undefined);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('says a URL that serves no GitLab API does not look like GitLab', async function () {
    const notGitLab = createServer((_request, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    const url = await listen(notGitLab);
    try {
      const shown = await messagesShownDuring('showErrorMessage', () => vscode.commands.executeCommand('gitlabCiLens.addAccount', { instanceUrl: url, token: SOME_TOKEN }));
      assert.equal(shown.length, 1);
      assert.match(shown[0], /does not look like a GitLab instance/);
      assert.doesNotMatch(shown[0], /it is gone/);
      assert.ok(!shown[0].includes(SOME_TOKEN));
    } finally {
      notGitLab.close();
    }
  });

  it('shows an active filter on the view, until Clear Filter', async function () {
    await project();
    await vscode.commands.executeCommand('gitlabCiLens.filterPipelines', { status: 'failed' });
    assert.equal(tree().view.description, 'Filtered: status failed');
    const rows = await pipelineRows();
    assert.ok(rows.length > 0 && rows.every((node) => node.kind === 'pipeline' && (node.isCurrent || node.pipeline.status === 'failed')), 'only failed recent pipelines');
    await vscode.commands.executeCommand('gitlabCiLens.clearPipelineFilter');
    assert.equal(tree().view.description, undefined);
    assert.deepEqual(api.services.model.filter, {});
  });

  it('names a multi-project downstream pipeline\'s project', async function () {
    await project();
    await api.services.refresher.refreshNow();
    const rows = await waitFor(async () => {
      const found = await pipelineRows();
      return found.length > 0 ? found : undefined;
    }, 'pipelines');
    const bridgePipeline = fake.state.findJobs({ kind: 'bridge', name: 'deploy-service:trigger' }).find((bridge) => bridge.downstreamPipelineId !== null);
    assert.ok(bridgePipeline, 'the seed has a multi-project trigger that ran');
    const upstream = rows.find((node) => node.kind === 'pipeline' && node.pipeline.id === bridgePipeline.pipelineId);
    assert.ok(upstream, `pipeline #${bridgePipeline.pipelineId} is shown`);
    const stages = await tree().getChildren(upstream);
    const deploy = stages.find((node) => labelOf(node) === 'deploy');
    assert.ok(deploy);
    const bridge = (await tree().getChildren(deploy)).find((node) => node.kind === 'bridge' && labelOf(node) === 'deploy-service:trigger');
    assert.ok(bridge);
    const [downstream] = await tree().getChildren(bridge);
    assert.equal(labelOf(downstream), `#${bridgePipeline.downstreamPipelineId} main in demo-group/platform/deploy-service`);
    assert.equal(downstream.kind === 'pipeline' && downstream.project.projectPath, 'demo-group/platform/deploy-service');
  });

  it('starts only the current pipeline expanded: one that was current does not stay expanded', async function () {
    const projectContext = await project();
    await api.services.refresher.refreshNow();
    const before = await waitFor(async () => (await pipelineRows()).find((node) => node.kind === 'pipeline' && node.isCurrent), 'the current pipeline');
    assert.equal(before.toTreeItem().collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const newer = fake.state.createPipelineForRef(PROJECT_PATH, 'main', { source: 'push' });
    const rows = await waitFor(async () => {
      await api.services.refresher.refreshNow();
      const found = await pipelineRows();
      return api.services.model.stateOf(projectContext)?.current?.id === newer.id ? found : undefined;
    }, `pipeline #${newer.id} to become current`);
    const formerCurrent = rows.find((node) => node.kind === 'pipeline' && !node.isCurrent && node.pipeline.id === (before.kind === 'pipeline' ? before.pipeline.id : -1));
    assert.ok(formerCurrent, 'the former current pipeline is listed among recent ones');
    const item = formerCurrent.toTreeItem();
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.notEqual(item.id, before.toTreeItem().id, 'a new id, so VS Code does not carry over its expansion');
  });

  it('with Show Retried Jobs on, leaves superseded attempts out of the stage status and marks them retried', async function () {
    await project();
    const failed = fake.state.findJobs({ pipelineId: 1004, name: 'test:unit' })[0];
    assert.ok(failed, 'the seed has a failed test:unit on feature/login');
    const attempt = fake.state.retryJob(failed, 1);
    fake.state.setJobStatus(attempt.id, 'success');
    await vscode.commands.executeCommand('gitlabCiLens.showRetriedJobs');
    try {
      await api.services.refresher.refreshNow();
      const pipeline = await waitFor(async () => (await pipelineRows()).find((node) => node.kind === 'pipeline' && node.pipeline.id === 1004), 'pipeline #1004');
      const stage = (await tree().getChildren(pipeline)).find((node) => labelOf(node) === failed.stage);
      assert.ok(stage);
      assert.doesNotMatch(String(stage.toTreeItem().description), /^failed/);
      const rows = (await tree().getChildren(stage)).filter((node) => labelOf(node) === 'test:unit');
      const describe = (node: TreeNode) => [node.kind === 'job' ? node.job.id : 0, String(node.toTreeItem().description)];
      const [older, newer] = rows.map(describe).sort((a, b) => Number(a[0]) - Number(b[0]));
      assert.equal(older[0], failed.id);
      assert.match(String(older[1]), /\bretried\b/);
      assert.doesNotMatch(String(newer[1]), /\bretried\b/);
    } finally {
      await vscode.commands.executeCommand('gitlabCiLens.hideRetriedJobs');
    }
  });
});
