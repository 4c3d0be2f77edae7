// From a red pipeline to the failing line, in a real VS Code: Problems entries from a failed job's log (real
// tsc and ESLint output) on the workspace's files, cleared when a later pipeline passes the job; the log
// document's links, outline, Next/Previous Error, its cursor on the first error; the diff with the last green run.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Job } from '../../src/gitlab/models';
import type { OpenedLog } from '../../src/ui/logs/logDocuments';
import type { ProjectContext, Services } from '../../src/ui/services';
import type { FakeGitLab } from '../fake-gitlab';
import { demoLintLog } from '../fake-gitlab/demo-logs';
import { takeScreenshot } from './screenshot';
import { signIn, signOut } from './session';
import { PROJECT_PATH } from './setup';
import { waitFor } from './waitFor';

const DEMO_SOURCES = path.resolve(__dirname, '..', '..', '..', 'demo', 'workspace', 'src');

describe('CI problems and log navigation', function () {
  let fake: FakeGitLab;
  let services: Services;
  let project: ProjectContext;
  let folder: vscode.Uri;

  before(async function () {
    ({ fake, api: { services } } = await signIn('maintainer'));
    project = { key: `${fake.url}|${PROJECT_PATH}`, instanceUrl: fake.url, projectPath: PROJECT_PATH };
    folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? assert.fail('no workspace folder');
    // The demo's sources, which the failing job's log points into.
    for (const name of ['checkout.ts', 'format.ts']) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'src', name), readFileSync(path.join(DEMO_SOURCES, name)));
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'src'), { recursive: true });
    await signOut(services, fake);
  });

  /** A new pipeline on main whose `lint` job ends as asked (failing with the demo's lint log), `unit` passing. */
  async function pipelineWithLint(status: 'success' | 'failed'): Promise<Job> {
    for (const pipeline of fake.state.pipelines.values()) fake.state.cancelPipeline(pipeline);
    const pipeline = fake.state.createPipelineForRef(PROJECT_PATH, 'main', { template: { stages: ['test'], jobs: [{ name: 'lint', stage: 'test' }, { name: 'unit', stage: 'test' }] } });
    for (const record of fake.state.pipelineJobs(pipeline.id)) {
      fake.state.setJobStatus(record.id, 'running');
      const failing = record.name === 'lint' && status === 'failed';
      fake.state.setJobTrace(record.id, failing ? `${demoLintLog(record.id)}/etc/passwd:1:1: error: outside the workspace\n` : `Checking out 9f00c0ffee for job ${record.id}...\nall good\n`);
      fake.state.finishJob(record, failing ? 'failed' : 'success');
    }
    const lint = fake.state.pipelineJobs(pipeline.id).find((record) => record.name === 'lint');
    assert.ok(lint);
    return (await services.gitlabFor(project)).jobs.get(PROJECT_PATH, lint.id);
  }

  const ciDiagnostics = () =>
    vscode.languages.getDiagnostics().flatMap(([uri, diagnostics]) => diagnostics.filter((d) => d.source?.startsWith('GitLab CI:')).map((d) => ({ uri, d })));

  it("puts a failed job's problems on the workspace's files, and clears them when a later pipeline passes the job", async () => {
    await pipelineWithLint('failed');
    const found = await waitFor(async () => {
      await services.refresher.refreshNow();
      const all = ciDiagnostics();
      return all.length >= 2 ? all : undefined;
    }, () => `Problems entries from lint (have ${JSON.stringify(ciDiagnostics().map(({ uri, d }) => `${uri.path}:${d.range.start.line}`))})`);
    const shown = found.map(({ uri, d }) => `${path.relative(folder.fsPath, uri.fsPath)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${typeof d.code === "object" ? String(d.code.value) : String(d.code)} ${d.source ?? ''}`).sort();
    assert.deepEqual(shown, ['src/checkout.ts:14:9 TS2322 GitLab CI: lint', 'src/format.ts:9:9 @typescript-eslint/no-unused-vars GitLab CI: lint']);
    assert.ok(found.every(({ uri }) => uri.fsPath.startsWith(folder.fsPath)), 'nothing outside the workspace');
    assert.equal(found.find(({ uri }) => uri.path.endsWith('checkout.ts'))?.d.severity, vscode.DiagnosticSeverity.Error);
    // The README's picture: the failing line in the editor, the CI's entries in the Problems panel.
    const source = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'src', 'checkout.ts'));
    source.selection = new vscode.Selection(13, 8, 13, 8);
    source.revealRange(source.selection, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await takeScreenshot('problems-from-ci', { waitFor: 'text=GitLab CI: lint' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    await pipelineWithLint('success');
    await waitFor(async () => {
      await services.refresher.refreshNow();
      return ciDiagnostics().length === 0;
    }, 'the entries to go once lint passed');
  });

  it('opens a failed log at its first error, with links, an outline, Next/Previous Error, and a diff with the last green run', async () => {
    await pipelineWithLint('success'); // the green run to compare with
    const failed = await pipelineWithLint('failed');
    const opened = await vscode.commands.executeCommand<OpenedLog>('gitlabCiLens.openJobLog', project, failed);
    await opened.done;
    const editor = await waitFor(() => vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === opened.uri.toString()), 'the log editor');
    const document = editor.document;
    const lineOf = (text: string) => document.getText().split('\n').findIndex((line) => line.includes(text));
    const tscLine = lineOf('error TS2322');
    const eslintLine = lineOf("'separator' is assigned");
    assert.ok(tscLine > 0 && eslintLine > tscLine, `tsc's error then ESLint's in the log (at ${tscLine} and ${eslintLine}):\n${document.getText().slice(0, 3000)}`);
    await waitFor(() => editor.selection.active.line === tscLine, () => `the cursor on the first error (line ${tscLine}), not at ${editor.selection.active.line}`);

    await vscode.commands.executeCommand('gitlabCiLens.nextLogError');
    assert.equal(editor.selection.active.line, eslintLine);
    await vscode.commands.executeCommand('gitlabCiLens.nextLogError');
    assert.equal(editor.selection.active.line, lineOf('ERROR: Job failed'), 'the red line the runner wrote');
    await vscode.commands.executeCommand('gitlabCiLens.previousLogError');
    assert.equal(editor.selection.active.line, eslintLine);

    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri);
    const targets = links.map((link) => link.target?.toString(true) ?? '');
    assert.ok(targets.includes(vscode.Uri.joinPath(folder, 'src', 'checkout.ts').with({ fragment: 'L14,9' }).toString(true)), targets.join('\n'));
    assert.ok(targets.includes('https://typescript-eslint.io/rules/no-unused-vars'), targets.join('\n'));
    assert.ok(targets.every((target) => /^(https?|file):/.test(target)), 'only workspace files and web pages');
    assert.ok(!targets.some((target) => target.includes('passwd')), 'no link outside the workspace');

    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
    assert.deepEqual(symbols.map((symbol) => [symbol.name, symbol.detail]), [
      ['Preparing the "docker" executor', '3s'],
      ['Getting source from Git repository', '2s'],
      ['Executing "step_script" stage of the job script', '14s'],
      ['Cleaning up project directory and file based variables', '1s'],
    ]);

    const compared = await vscode.commands.executeCommand<{ left: vscode.Uri; right: vscode.Uri; passedJobId: number }>('gitlabCiLens.compareWithLastSuccessfulRun', project, failed);
    const diff = await waitFor(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    }, 'the diff editor');
    assert.equal(diff.modified.toString(), compared.right.toString());
    const [left, right] = await Promise.all([compared.left, compared.right].map(async (uri) => (await vscode.workspace.openTextDocument(uri)).getText()));
    assert.match(left ?? '', /Checking out <hash> for job <job>\.\.\./);
    assert.match(right ?? '', /Checking out <hash> for job <job>\.\.\./);
    assert.match(right ?? '', /error TS2322/);
    assert.doesNotMatch(right ?? '', new RegExp(`\\b${failed.id}\\b`), 'the ids are normalised');
  });
});
