// What a user sees: signing in (token in SecretStorage only), the project found from the workspace's git
// remote, the pipelines tree with stages and jobs, and the status bar following a pipeline as a simulated
// runner runs it. The fake GitLab runs here, in the extension host, on the port the setup hook chose.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { isFinished } from '../../src/gitlab/models';
import type { ProjectContext } from '../../src/ui/services';
import type { FakeGitLab } from '../fake-gitlab';
import { SimulatedRunner } from '../fake-gitlab/simulated-runner';
import { takeScreenshot } from './screenshot';
import { activateExtension, messagesShownDuring, signOut, startWorkspaceFakeGitLab } from './session';
import { PROJECT_PATH } from './setup';
import { descriptionOf, labelOf } from './treeItems';
import { waitFor } from './waitFor';

describe('pipelines tree, status bar and account', function () {
  let fake: FakeGitLab;
  let api: ExtensionApi;
  let runner: SimulatedRunner | undefined;

  before(async function () {
    fake = await startWorkspaceFakeGitLab();
    api = await activateExtension();
  });

  after(async function () {
    await runner?.stop();
    await signOut(api?.services, fake);
  });

  const tree = () => api.services.tree;
  const detectedProject = () => api.services.projects.list().find((project) => project.projectPath === PROJECT_PATH && project.repositoryRoot !== undefined);

  it('signs in with the token kept in SecretStorage only', async function () {
    const account = await vscode.commands.executeCommand<{ username: string } | undefined>('gitlabCiLens.addAccount', { instanceUrl: fake.url, token: fake.tokens.maintainer });
    assert.equal(account?.username, 'maria');
    const { context } = api.services;
    assert.equal(await context.secrets.get(`gitlabCiLens.token:${fake.url}`), fake.tokens.maintainer);
    const everywhereElse = JSON.stringify([
      context.globalState.keys().map((key) => context.globalState.get(key)),
      context.workspaceState.keys().map((key) => context.workspaceState.get(key)),
      vscode.workspace.getConfiguration('gitlabCiLens'),
    ]);
    assert.ok(!everywhereElse.includes(fake.tokens.maintainer), 'the token is nowhere but in SecretStorage');
    const userRequest = fake.requests.find((request) => request.path === '/api/v4/user');
    assert.equal(userRequest?.headers.authorization, `Bearer ${fake.tokens.maintainer}`, 'the token was checked against GitLab');
  });

  it('refuses a bad token with a message that says what to do', async function () {
    const shown = await messagesShownDuring('showErrorMessage', () => vscode.commands.executeCommand('gitlabCiLens.addAccount', { instanceUrl: fake.url, token: fake.tokens.expired }));
    assert.equal(shown.length, 1);
    assert.match(shown[0], /expired or was revoked\. Sign in again/);
    assert.equal(await api.services.context.secrets.get(`gitlabCiLens.token:${fake.url}`), fake.tokens.maintainer, 'the good token stays');
  });

  it('finds the project from the git remote, on the checked-out branch', async function () {
    const project = await waitFor(detectedProject, 'the project from the git remote');
    assert.equal(project.instanceUrl, fake.url);
    assert.equal(project.branch, 'main');
  });

  it('shows the current branch\'s pipeline first, then recent ones, with stages in order and jobs', async function () {
    await vscode.commands.executeCommand('workbench.view.extension.gitlabCiLens');
    await vscode.commands.executeCommand('gitlabCiLens.refresh');
    const roots = await waitFor(async () => {
      const nodes = await tree().getChildren();
      return nodes.some((node) => node.kind === 'pipeline') ? nodes : undefined;
    }, 'pipelines in the tree');
    const current = roots[0];
    assert.equal(current.kind, 'pipeline');
    assert.equal(current.kind === 'pipeline' && current.isCurrent, true);
    assert.equal(labelOf(current), 'main');
    assert.ok(roots.filter((node) => node.kind === 'pipeline').length >= 4, 'recent pipelines follow');

    const finished = roots.find((node) => node.kind === 'pipeline' && !node.isCurrent && node.pipeline.ref === 'feature/login');
    assert.ok(finished);
    // A pipeline whose jobs upload JUnit reports shows its Tests node before the stages.
    const children = await tree().getChildren(finished);
    assert.match(labelOf(children[0]), /^Tests: \d+ failed, \d+ passed$/);
    const stages = children.filter((node) => node.kind === 'stage');
    assert.deepEqual(stages.map(labelOf), ['build', 'test', 'deploy']);
    assert.match(descriptionOf(stages[1]), /^failed · 3 jobs$/);
    const testJobs = await tree().getChildren(stages[1]);
    assert.deepEqual(testJobs.map(labelOf), ['docs:child', 'test:lint', 'test:unit']);
    const unit = testJobs.find((node) => labelOf(node) === 'test:unit');
    assert.ok(unit);
    const item = unit.toTreeItem();
    assert.match(String(item.contextValue), /\bjob\b.*\bretryable\b/);
    assert.match(String(item.contextValue), /\bhasTrace\b/);
    assert.doesNotMatch(String(item.contextValue), /\bcancelable\b/);

    const bridge = testJobs.find((node) => node.kind === 'bridge');
    assert.ok(bridge);
    const [child] = await tree().getChildren(bridge);
    assert.equal(child.kind, 'pipeline');
    assert.deepEqual((await tree().getChildren(child)).map(labelOf), ['build', 'publish']);
  });

  it('follows the current pipeline in the status bar as a runner runs it', async function () {
    this.timeout(120_000);
    const project: ProjectContext = await waitFor(detectedProject, 'the project');
    const statusText = () => api.statusBar.text;
    await waitFor(() => /Pipeline (pending|created)/.test(statusText()), `a waiting pipeline in the status bar (got "${statusText()}")`);
    await takeScreenshot('status-bar-pending', { element: '#workbench\\.parts\\.statusbar' });

    runner = new SimulatedRunner({ instanceUrl: fake.url, runnerToken: fake.tokens.runner, chunkBytes: 600, chunkIntervalMs: 60, pollIntervalMs: 100, concurrency: 2 });
    runner.start();
    const seen = new Set<string>();
    const finalText = await waitFor(async () => {
      await api.services.refresher.refreshNow();
      seen.add(statusText());
      const current = api.services.model.stateOf(project)?.current;
      const done = current && (isFinished(current.status) || current.status === 'manual');
      return done && /Pipeline (success|manual|failed|canceled)$/.test(statusText()) ? statusText() : undefined;
    }, 'the pipeline to finish', 100_000);
    const running = [...seen].filter((text) => /^\$\(sync~spin\) Pipeline running \d+\/\d+$/.test(text));
    assert.ok(running.length >= 2, `the running count advanced: ${[...seen].join(' | ')}`);
    assert.match(finalText, /Pipeline (success|manual|failed)/);
  });

  it('takes screenshots of the tree expanded for the README', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.view.extension.gitlabCiLens');
    await api.services.refresher.refreshNow();
    await takeScreenshot('pipelines-tree', { waitFor: 'text=deploy' });
  });
});
