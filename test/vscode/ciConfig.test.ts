// The CI file in the editor: GitLab's CI Lint as diagnostics that appear and clear, the merged YAML preview,
// job lenses that follow the current pipeline, and Run Pipeline asking for the file's spec:inputs.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { FakeGitLab } from '../fake-gitlab';
import { repoRoot } from '../fake-gitlab/paths';
import { pipelineInputsOf } from '../fake-gitlab/routes-ci-lint';
import { signIn, signOut, waitForDetectedProject } from './session';
import { PROJECT_PATH } from './setup';
import { waitFor } from './waitFor';

const demoCiFile = readFileSync(path.join(repoRoot(), 'demo', 'workspace', '.gitlab-ci.yml'), 'utf8');

describe('CI config in the editor', function () {
  let fake: FakeGitLab;
  let api: ExtensionApi;
  let editor: vscode.TextEditor;
  const ciUri = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? assert.fail('a workspace folder'), '.gitlab-ci.yml');
  const lintDiagnostics = () => vscode.languages.getDiagnostics(ciUri()).filter((diagnostic) => diagnostic.source === 'GitLab CI Lint');
  const setText = async (text: string) => {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(ciUri(), new vscode.Range(0, 0, editor.document.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
  };
  let lastLenses: string[] = [];
  const lensTitles = async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', ciUri(), 10)) ?? [];
    lastLenses = lenses.map((lens) => `${lens.range.start.line}: ${lens.command?.title ?? ''}`);
    return lastLenses;
  };
  const seenLenses = () => `(seen: ${lastLenses.join(' | ')})`;

  before(async function () {
    this.timeout(60_000);
    ({ fake, api } = await signIn('developer', '18.2'));
    await waitForDetectedProject(api);
    editor = await vscode.window.showTextDocument(ciUri());
  });

  after(async function () {
    this.timeout(30_000);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOut(api?.services, fake);
  });

  it('shows CI Lint errors on the lines they name while typing, and clears them once fixed', async function () {
    this.timeout(60_000);
    await setText('stages: [build]\nbuild:\n  stage: build\n  scrip: npm ci\n');
    const shown = await waitFor(() => lintDiagnostics().find((diagnostic) => diagnostic.message === 'jobs:build config contains unknown keys: scrip'), () => `the unknown key diagnostic (seen: ${lintDiagnostics().map((d) => d.message).join(' | ')})`);
    assert.equal(shown.range.start.line, 3);
    assert.equal(shown.severity, vscode.DiagnosticSeverity.Error);
    const requestsBefore = fake.requests.filter((request) => request.path.endsWith('/ci/lint')).length;
    await setText('stages: [build]\nbuild:\n  stage: build\n  script: npm ci\n');
    await waitFor(() => lintDiagnostics().length === 0, () => `no diagnostics (seen: ${lintDiagnostics().map((d) => d.message).join(' | ')})`);
    assert.equal(fake.requests.filter((request) => request.path.endsWith('/ci/lint')).length, requestsBefore + 1, 'one lint for the fix');
    await setText('build:\n\tscript: npm ci\n');
    const local = await waitFor(() => lintDiagnostics().find((diagnostic) => diagnostic.message.startsWith('YAML:')), 'a local YAML error');
    assert.equal(local.range.start.line, 1);
    assert.equal(fake.requests.filter((request) => request.path.endsWith('/ci/lint')).length, requestsBefore + 1, 'a syntax error is found without GitLab');
  });

  it('opens the merged YAML, includes listed, as a read-only document', async function () {
    this.timeout(60_000);
    await setText(demoCiFile);
    await vscode.commands.executeCommand('gitlabCiLens.showMergedCiConfig');
    const merged = await waitFor(() => vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'gitlab-ci-merged' && document.getText().includes('deploy:production')), 'the merged configuration');
    assert.match(merged.getText(), /# Includes:\n# {3}- local: \.gitlab\/ci\/deploy\.yml/);
    assert.match(merged.getText(), /image: node:20/);
    assert.equal(merged.languageId, 'yaml');
    await vscode.window.showTextDocument(editor.document);
  });

  it('puts the current pipeline\'s job states above the job keys, following the pipeline, gone for a renamed job', async function () {
    this.timeout(90_000);
    await setText(demoCiFile);
    const pipeline = fake.state.createPipelineForRef(PROJECT_PATH, 'main');
    const jobOf = (name: string) => fake.state.pipelineJobs(pipeline.id).find((job) => job.name === name) ?? assert.fail(name);
    await api.services.refresher.refreshNow();
    const buildLine = demoCiFile.split('\n').indexOf('build:');
    await waitFor(async () => (await lensTitles()).some((title) => title.startsWith(`${buildLine}: ◌ pending · #${jobOf('build').id}`)), () => `a pending build lens ${seenLenses()}`);
    fake.state.setJobStatus(jobOf('build').id, 'running');
    fake.state.finishJob(jobOf('build'), 'failed', { exitCode: 1 });
    await api.services.refresher.refreshNow();
    await waitFor(async () => (await lensTitles()).some((title) => title.startsWith(`${buildLine}: ✗ failed`)), () => `a failed build lens ${seenLenses()}`);
    assert.ok((await lensTitles()).includes(`${buildLine}: Retry`), 'a failed job offers a retry');
    await setText(demoCiFile.replace('\nbuild:\n', '\ncompile:\n'));
    await waitFor(async () => !(await lensTitles()).some((title) => title.startsWith(`${buildLine}: `)), 'the renamed job to lose its lenses');
  });

  it('asks for the CI file\'s inputs when running a pipeline, and sends them', async function () {
    this.timeout(60_000);
    await setText(demoCiFile);
    const window = vscode.window as unknown as {
      showQuickPick: (items: readonly { label: string }[], options?: vscode.QuickPickOptions) => Thenable<unknown>;
      showInputBox: (options?: vscode.InputBoxOptions) => Thenable<string | undefined>;
    };
    const original = { showQuickPick: window.showQuickPick, showInputBox: window.showInputBox };
    const asked: string[] = [];
    window.showQuickPick = (items, options) => {
      asked.push(options?.title ?? '');
      return Promise.resolve(items.find((item) => item.label === 'review' || item.label === 'false'));
    };
    window.showInputBox = async (options) => {
      asked.push(options?.title ?? '');
      assert.equal(await options?.validateInput?.('twenty'), 'The value must match /^\\d+$/.');
      return '22';
    };
    try {
      const project = api.services.projects.list()[0];
      const created = await vscode.commands.executeCommand<{ id: number } | undefined>('gitlabCiLens.runPipeline', project, 'main', []);
      assert.ok(created, 'a pipeline was created');
      assert.deepEqual(asked, ['Run Pipeline for main: input 1/3, environment', 'Run Pipeline for main: input 2/3, node_version', 'Run Pipeline for main: input 3/3, run_lint']);
      assert.deepEqual(pipelineInputsOf(fake.state.requirePipeline(created.id)), { environment: 'review', node_version: '22', run_lint: 'false' }, 'the values that differ from the defaults');
    } finally {
      Object.assign(window, original);
    }
  });
});
