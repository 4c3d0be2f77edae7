// The status bar: the current pipeline's trigger jobs count in "running n/m", its end is announced in plain
// words, a loading state shows until the first look lands, and its actions' quick pick has a plain title.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { PipelineTemplate } from '../fake-gitlab/model';
import type { FakeGitLab } from '../fake-gitlab';
import { type CapturedMessages, captureMessages, signIn, signOut } from './session';
import { PROJECT_PATH } from './setup';
import { waitFor } from './waitFor';

const LOADING = '$(loading~spin) Pipeline…';
/** One build job and one trigger job: "0/2" only when the trigger job counts. */
const BUILD_AND_TRIGGER: PipelineTemplate = {
  stages: ['build', 'deploy'],
  jobs: [
    { name: 'build', stage: 'build', script: ['make'] },
    { name: 'deploy-service:trigger', stage: 'deploy', trigger: { kind: 'project', projectPath: 'demo-group/platform/deploy-service' } },
  ],
};

describe('status bar', function () {
  let fake: FakeGitLab;
  let api: ExtensionApi;
  let captured: CapturedMessages;
  const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? assert.fail('a workspace folder');
  const pointOriginAt = async (projectPath: string) => {
    execFileSync('git', ['remote', 'set-url', 'origin', `${fake.url}/${projectPath}.git`], { cwd: folder(), stdio: 'pipe' });
    await vscode.commands.executeCommand('git.refresh');
    const seen = () => api.services.projects.list().map((project) => project.projectPath).join(', ');
    await waitFor(() => api.services.projects.list().some((project) => project.projectPath === projectPath), () => `${projectPath} to be detected (seen: ${seen()})`);
  };

  before(async function () {
    this.timeout(60_000);
    ({ fake, api } = await signIn('developer', '18.2'));
    captured = captureMessages('showInformationMessage', 'showErrorMessage');
  });

  after(async function () {
    this.timeout(30_000);
    captured.restore();
    await signOut(api?.services, fake);
  });

  it('counts a trigger job in "running n/m" and announces the end in plain words', async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand('gitlabCiLens.pipelines.focus');
    const pipeline = fake.state.createPipelineForRef(PROJECT_PATH, 'main', { template: BUILD_AND_TRIGGER });
    const build = fake.state.findJobs({ pipelineId: pipeline.id }).find((job) => job.name === 'build');
    assert.ok(build);
    fake.state.setJobStatus(build.id, 'running');

    const current = () => api.services.model.projectStates().find((state) => state.project.projectPath === PROJECT_PATH)?.current;
    await waitFor(async () => {
      await api.services.refresher.refreshNow();
      return current()?.id === pipeline.id && /^\$\(sync~spin\) Pipeline running 0\/2$/.test(api.statusBar.text);
    }, () => `the status bar to show #${pipeline.id} running 0/2 (got "${api.statusBar.text}", current #${current()?.id ?? 'none'})`);

    for (const job of fake.state.findJobs({ pipelineId: pipeline.id })) fake.state.setJobStatus(job.id, 'success');
    await waitFor(async () => {
      await api.services.refresher.refreshNow();
      return /^\$\(pass\) Pipeline success$/.test(api.statusBar.text);
    }, () => `the status bar to show the pipeline passed (got "${api.statusBar.text}")`);
    const announced = `Pipeline #${pipeline.id} on main passed`;
    await waitFor(() => captured.texts.includes(announced), () => `"${announced}" (shown: ${JSON.stringify(captured.texts)})`);
  });

  it('shows a loading state, not "No pipeline", until the first look at a project lands', async function () {
    this.timeout(90_000);
    // Slow answers for a project not looked at yet: however fast the status bar is, its first look is still on the way.
    const slow = fake.faults.add({ route: /deploy-service/, kind: 'latency', ms: 4_000, times: Infinity });
    try {
      await pointOriginAt('demo-group/platform/deploy-service');
      await waitFor(() => api.statusBar.text === LOADING, () => `the loading state (got "${api.statusBar.text}")`);
      slow.remove();
      await waitFor(() => api.statusBar.text !== LOADING, () => 'the first look to land');
      assert.match(api.statusBar.text, /Pipeline/);
    } finally {
      slow.remove();
      await pointOriginAt(PROJECT_PATH);
    }
  });

  it('titles its pipeline actions quick pick in plain words: titles render no codicons', async function () {
    this.timeout(30_000);
    const state = await waitFor(async () => {
      await api.services.refresher.refreshNow();
      return api.services.model.projectStates().find((candidate) => candidate.project.projectPath === PROJECT_PATH && candidate.current);
    }, () => 'the current pipeline, seen by the status bar');
    assert.ok(state.current);
    const window = vscode.window as unknown as { showQuickPick: (items: unknown, options?: vscode.QuickPickOptions) => Thenable<undefined> };
    const original = window.showQuickPick;
    const titles: (string | undefined)[] = [];
    window.showQuickPick = (_items, options) => {
      titles.push(options?.title);
      return Promise.resolve(undefined);
    };
    try {
      await vscode.commands.executeCommand('gitlabCiLens.pipelineActions', state.project, state.current);
    } finally {
      window.showQuickPick = original;
    }
    assert.deepEqual(titles, [`Pipeline #${state.current.id} · main · ${state.current.status}`]);
  });
  it('follows a new pipeline to its end with the view hidden, asking for the current pipeline alone', async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor(() => !api.services.tree.view.visible, 'the GitLab view to be hidden');
    const hiddenSince = Date.now();
    const pipeline = fake.state.createPipelineForRef(PROJECT_PATH, 'main', { template: BUILD_AND_TRIGGER });
    const build = fake.state.findJobs({ pipelineId: pipeline.id }).find((job) => job.name === 'build');
    assert.ok(build);
    fake.state.setJobStatus(build.id, 'running');

    // No refresh asked for here: the refresher's own checks must find it.
    const current = () => api.services.model.projectStates().find((state) => state.project.projectPath === PROJECT_PATH)?.current;
    await waitFor(() => current()?.id === pipeline.id && /^\$\(sync~spin\) Pipeline running \d\/2$/.test(api.statusBar.text), () => `the status bar to show #${pipeline.id} running (got "${api.statusBar.text}", current #${current()?.id ?? 'none'})`);

    for (const job of fake.state.findJobs({ pipelineId: pipeline.id })) fake.state.setJobStatus(job.id, 'success');
    await waitFor(() => /^\$\(pass\) Pipeline success$/.test(api.statusBar.text), () => `the status bar to show the pipeline passed (got "${api.statusBar.text}")`);
    const announced = `Pipeline #${pipeline.id} on main passed`;
    await waitFor(() => captured.texts.includes(announced), () => `"${announced}" (shown: ${JSON.stringify(captured.texts)})`);

    const whileHidden = fake.requests.filter((request) => request.at >= hiddenSince && request.path.startsWith('/api/v4/projects/'));
    const listed = whileHidden.filter((request) => /\/pipelines$/.test(request.path) && request.method === 'GET');
    assert.deepEqual(listed.map((request) => request.path), [], 'the pipelines list is not asked for while the view is hidden');
    assert.ok(whileHidden.some((request) => request.path.endsWith('/pipelines/latest')), 'the branch\'s latest pipeline is what is asked');
  });
});
