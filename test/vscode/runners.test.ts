// The Runners section in a real VS Code, against a fake GitLab this suite starts in the extension host (on
// the setup hook's port). It reads the tree the way VS Code does (getChildren of the extension's own
// provider), acts through the contributed commands, and checks the fake's state.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { RunnerDetails } from '../../src/gitlab/runners';
import type { OpenedLog } from '../../src/ui/logs/logDocuments';
import type { RunnersTreeNode } from '../../src/ui/runners/provider';
import { type FakeGitLab, startFakeGitLab } from '../fake-gitlab';
import { takeScreenshot } from './screenshot';
import { activateExtension } from './session';
import { FAKE_PORT_VARIABLE, PROJECT_PATH } from './setup';
import { descriptionOf, labelOf } from './treeItems';

type ShowMessage = (message: string, ...rest: unknown[]) => Thenable<string | undefined>;

/** Replaces one of VS Code's message functions for the length of `body`, recording what it was asked. */
async function answering<T>(name: 'showWarningMessage' | 'showErrorMessage', answer: string | undefined, body: (asked: string[]) => Promise<T>): Promise<T> {
  const window = vscode.window as unknown as Record<string, ShowMessage>;
  const original = window[name];
  const asked: string[] = [];
  window[name] = (message) => {
    asked.push(message);
    return Promise.resolve(answer);
  };
  try {
    return await body(asked);
  } finally {
    window[name] = original;
  }
}

describe('runners view', function () {
  let fake: FakeGitLab;
  let api: ExtensionApi;

  const iconOf = (node: RunnersTreeNode) => (node.toTreeItem().iconPath as vscode.ThemeIcon).id;
  const roots = () => api.runners.getChildren();
  async function runnerRow(id: number): Promise<RunnersTreeNode> {
    const row = (await roots()).find((node) => node.kind === 'runner' && node.runner.id === id);
    assert.ok(row, `runner #${id} is shown`);
    return row;
  }
  const putRequests = () => fake.requests.filter((request) => request.method === 'PUT' && request.path.startsWith('/api/v4/runners/')).length;

  before(async function () {
    fake = await startFakeGitLab({ generation: '18.2', port: Number(process.env[FAKE_PORT_VARIABLE] ?? 0) });
    api = await activateExtension();
    await api.services.accounts.add(fake.url, fake.tokens.maintainer);
    await api.services.projects.addManual(fake.url, PROJECT_PATH);
    assert.ok(api.services.projects.list().length >= 1);
    await vscode.commands.executeCommand('workbench.view.extension.gitlabCiLens');
    await vscode.commands.executeCommand('gitlabCiLens.runners.focus');
  });

  after(async function () {
    if (api && fake) await api.services.accounts.remove(fake.url);
    await fake?.close();
  });

  afterEach(() => api.services.accounts.add(fake.url, fake.tokens.maintainer));

  it("lists the project's runners with their status: online, offline, stale and paused", async function () {
    assert.equal(api.services.projects.list().length, 1, 'one project: its runners are the roots');
    const rows = await roots();
    assert.deepEqual(rows.map(labelOf), ['shared-runner-legacy', 'group-runner-arm64', 'fake-runner-1']);
    assert.deepEqual(rows.map(descriptionOf), ['stale · paused · instance · #9', 'offline · group · #8', 'online · project · #7']);
    assert.deepEqual(rows.map(iconOf), ['debug-pause', 'vm-outline', 'vm-running']);
    assert.deepEqual(rows.map((row) => row.toTreeItem().contextValue), ['runner resumable', 'runner pausable', 'runner pausable']);
    await takeScreenshot('runners-view', { waitFor: 'text=fake-runner-1' });
  });

  it("expands a runner to its recent jobs: the pipelines tree's job rows, with their menus and logs", async function () {
    const jobs = await api.runners.getChildren(await runnerRow(7));
    const ran = [...fake.state.jobs.values()].filter((job) => job.runnerId === 7).map((job) => job.id).sort((a, b) => b - a);
    assert.deepEqual(jobs.map((node) => (node.kind === 'job' ? node.job.id : undefined)), ran.slice(0, 20), 'newest first');
    const failed = jobs.find((node) => node.kind === 'job' && node.job.status === 'failed');
    assert.ok(failed && failed.kind === 'job');
    assert.match(String(failed.toTreeItem().contextValue), /^job\b.*\bretryable\b.*\bhasTrace\b/);
    assert.equal(failed.toTreeItem().command?.command, 'gitlabCiLens.openJobLog');
    assert.equal(failed.project.projectPath, fake.state.requireProject(failed.job.pipeline.project_id).fullPath, 'acts in the job\'s own project');

    const opened = await vscode.commands.executeCommand<OpenedLog>('gitlabCiLens.openJobLog', failed);
    assert.equal(opened.uri.scheme, 'gitlab-job-log');
    await opened.done;
    const text = (await vscode.workspace.openTextDocument(opened.uri)).getText();
    assert.ok(text.startsWith(`Job ${failed.job.name} #${failed.job.id}`), 'the same log document as from the pipelines tree');
    await api.runners.view.reveal(await runnerRow(7), { expand: true, select: false });
    await takeScreenshot('runners-view-jobs', { waitFor: `text=${failed.job.name}` });
  });

  it('pauses and resumes a runner after a confirmation, and shows it paused in between', async function () {
    const sentBefore = putRequests();
    const declined = await answering('showWarningMessage', undefined, async (asked) => {
      const result = await vscode.commands.executeCommand('gitlabCiLens.pauseRunner', await runnerRow(7));
      assert.match(asked[0] ?? '', /^Pause runner 'fake-runner-1' \(#7\)\? It takes no new jobs/);
      return result;
    });
    assert.equal(declined, undefined);
    assert.equal(putRequests(), sentBefore, 'nothing sent when the dialog is dismissed');

    const paused = await answering('showWarningMessage', 'Pause', async () => vscode.commands.executeCommand<RunnerDetails>('gitlabCiLens.pauseRunner', await runnerRow(7)));
    assert.equal(paused?.paused, true);
    assert.equal(fake.state.runners.get(7)?.paused, true);
    const pausedRow = await runnerRow(7);
    assert.equal(descriptionOf(pausedRow), 'online · paused · project · #7');
    assert.equal(pausedRow.toTreeItem().contextValue, 'runner resumable');
    await takeScreenshot('runners-view-paused', { waitFor: 'text=fake-runner-1' });

    // Automation skips the dialog, as the other commands' `{ confirmed: true }` does.
    const resumed = await vscode.commands.executeCommand<RunnerDetails>('gitlabCiLens.resumeRunner', pausedRow, { confirmed: true });
    assert.equal(resumed?.paused, false);
    assert.equal(fake.state.runners.get(7)?.paused, false);
    assert.equal(descriptionOf(await runnerRow(7)), 'online · project · #7');
  });

  it('says who may pause when GitLab refuses, and changes nothing', async function () {
    const message = await answering('showErrorMessage', undefined, async (asked) => {
      const result = await vscode.commands.executeCommand('gitlabCiLens.pauseRunner', await runnerRow(8), { confirmed: true });
      assert.equal(result, undefined);
      for (let waited = 0; asked.length === 0 && waited < 50; waited++) await new Promise((resolve) => setTimeout(resolve, 20));
      return asked[0];
    });
    assert.match(message ?? '', /^Pause runner 'group-runner-arm64' \(#8\): only its administrators can/);
    assert.equal(fake.state.runners.get(8)?.paused, false);
  });

  it("shows a message row where GitLab says 403: a runner's jobs, and every runner for a developer", async function () {
    const jobs = await api.runners.getChildren(await runnerRow(9));
    assert.deepEqual(jobs.map(labelOf), ['Only its administrators see its jobs']);

    await api.services.accounts.add(fake.url, fake.tokens.developer);
    api.runners.refresh();
    const rows = await roots();
    assert.deepEqual(rows.map((row) => [row.kind, labelOf(row), iconOf(row)]), [['message', 'Only maintainers may see runners', 'lock']]);
    await takeScreenshot('runners-view-forbidden', { waitFor: 'text=Only maintainers may see runners' });
  });

  it('asks GitLab nothing while hidden, even when the refresher refreshes, and reloads once shown again', async function () {
    const runnerRequests = () => fake.requests.filter((request) => request.path.includes('/runners')).length;
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitUntil(() => !api.runners.view.visible, 'the Runners view hidden');
    const before = runnerRequests();
    await api.services.refresher.refreshNow();
    await vscode.commands.executeCommand('gitlabCiLens.refreshRunners');
    // VS Code asks a visible tree for its rows right after a change event; give a hidden one the same chance.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(runnerRequests(), before, 'no runner request while hidden');

    await vscode.commands.executeCommand('gitlabCiLens.runners.focus');
    await waitUntil(() => runnerRequests() > before, 'the runners reloaded once shown');
  });
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
  }
}
