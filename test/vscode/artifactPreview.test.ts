// Artifacts without downloading, in a real VS Code: a file inside an archive clicked in the tree opens
// read-only through the gitlab-artifact file system (text in an editor, an image in VS Code's image preview)
// with nothing written to the workspace; and what is downloaded into the workspace (artifacts, saved logs)
// lands in folders whose own `.gitignore` keeps git status clean.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Job } from '../../src/gitlab/models';
import type { DownloadedArtifacts } from '../../src/ui/artifacts/downloadArtifacts';
import { IGNORE_EVERYTHING } from '../../src/ui/ignoredFolder';
import type { ProjectContext, Services } from '../../src/ui/services';
import type { ArchiveEntryNode, TreeNode } from '../../src/ui/tree/nodes';
import type { FakeGitLab, JobRecord } from '../fake-gitlab';
import { fakePng } from '../fake-gitlab/zips';
import { takeScreenshot } from './screenshot';
import { messagesShownDuring, signInWithSeededBuild, signOut } from './session';
import { labelOf } from './treeItems';
import { waitFor } from './waitFor';

const SUMMARY = 'tests: 3, failures: 1, duration: 1.204 s\ncoverage: 81.4%\n';

describe('artifact preview and downloads kept out of Source Control', function () {
  let fake: FakeGitLab;
  let services: Services;
  let project: ProjectContext;
  let workspaceFolder: string;
  let buildRecord: JobRecord;
  let build: Job;

  /** Everything git sees in the workspace, ignored files included: a file written anywhere shows here. */
  const gitStatus = (...extra: string[]): string =>
    execFileSync('git', ['status', '--porcelain', '--untracked-files=all', ...extra], { cwd: workspaceFolder, encoding: 'utf8' });

  before(async function () {
    ({ fake, services, project, workspaceFolder, buildRecord, build } = await signInWithSeededBuild());
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await rm(path.join(workspaceFolder, '.gitlab'), { recursive: true, force: true });
    await signOut(services, fake);
  });

  /** The tree's node for `entryPath` in the build job's archive, found by expanding as a user does. */
  async function archiveEntry(entryPath: string): Promise<ArchiveEntryNode> {
    await vscode.commands.executeCommand('gitlabCiLens.refresh');
    const tree = services.tree;
    let node = await waitFor(async () => (await tree.getChildren()).find((candidate) => candidate.kind === 'pipeline' && candidate.pipeline.id === buildRecord.pipelineId), 'the pipeline in the tree');
    for (const label of ['build', 'build']) {
      const next = (await tree.getChildren(node)).find((candidate) => labelOf(candidate) === label);
      assert.ok(next, `${label} under ${labelOf(node)}`);
      node = next;
    }
    const archive = (await tree.getChildren(node)).find((candidate) => candidate.kind === 'artifact' && candidate.isArchive);
    assert.ok(archive, 'the job shows its archive');
    node = archive;
    for (const segment of entryPath.split('/')) {
      const next = (await tree.getChildren(node)).find((candidate) => labelOf(candidate) === segment);
      assert.ok(next, `${segment} in the archive`);
      node = next;
    }
    if (node.kind !== 'archiveEntry') assert.fail(`${entryPath} is a ${node.kind} node`);
    return node;
  }

  /** What a click on the node runs. */
  async function click(node: TreeNode): Promise<vscode.Uri | undefined> {
    const { command } = node.toTreeItem();
    assert.ok(command, 'a click does something');
    return vscode.commands.executeCommand<vscode.Uri | undefined>(command.command, ...((command.arguments ?? []) as unknown[]));
  }

  it('opens a text file of an archive read-only in an editor, writing nothing to the workspace', async function () {
    const statusBefore = gitStatus('--ignored');
    const node = await archiveEntry('reports/summary.txt');
    const uri = await click(node);

    assert.equal(uri?.scheme, 'gitlab-artifact');
    const editor = await waitFor(() => (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() ? vscode.window.activeTextEditor : undefined), 'the file in an editor');
    assert.equal(editor.document.getText(), SUMMARY);
    assert.equal(path.basename(editor.document.uri.path), 'summary.txt', 'titled by its own name');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('changed'))), /read-only|NoPermissions/i);
    assert.equal(gitStatus('--ignored'), statusBefore, 'nothing written to the workspace');

    // For README: the file beside its row in the tree.
    await vscode.commands.executeCommand('gitlabCiLens.pipelines.focus');
    assert.ok(await services.tree.revealById(node.id), 'the row shows in the tree');
    await takeScreenshot('artifact-preview', { waitFor: '.monaco-editor' });
  });

  it('opens an image in VS Code\'s own image preview', async function () {
    const uri = await click(await archiveEntry('dist/assets/logo.png'));
    assert.ok(uri);

    const tab = await waitFor(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.uri.toString() === uri.toString() ? input : undefined;
    }, 'the image in a preview tab');
    assert.equal(tab.viewType, 'imagePreview.previewEditor');
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(uri)), fakePng(6000));
  });

  it('offers a download instead of opening a file over the preview cap', async function () {
    const small = await archiveEntry('reports/summary.txt');
    // The extension's own class (the bundle's, not this suite's copy), as the tree would list a huge file.
    const huge: ArchiveEntryNode = Object.assign(Object.create(Object.getPrototypeOf(small) as object) as ArchiveEntryNode, small, { path: 'reports/huge.bin', size: 30 * 1024 * 1024 });
    const warnings = await messagesShownDuring('showWarningMessage', async () => assert.equal(await click(huge), undefined));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^reports\/huge\.bin is 30(\.0)? MB, more than the 20(\.0)? MB an editor preview reads\. Download it instead\?$/);
  });

  it('downloads artifacts (the zip kept too) and saves a raw log into folders of their own that git ignores', async function () {
    const settings = vscode.workspace.getConfiguration('gitlabCiLens');
    await settings.update('artifacts.keepZip', true, vscode.ConfigurationTarget.Global);
    let downloaded: DownloadedArtifacts | undefined;
    try {
      await waitFor(() => services.settings.keepArtifactZip, 'the setting read');
      downloaded = await vscode.commands.executeCommand<DownloadedArtifacts | undefined>('gitlabCiLens.downloadArtifacts', project, build, { overwrite: true });
    } finally {
      await settings.update('artifacts.keepZip', undefined, vscode.ConfigurationTarget.Global);
    }
    const single = await vscode.commands.executeCommand<{ file: string } | undefined>('gitlabCiLens.downloadArtifactFile', project, { ref: 'main', job: 'build' }, { path: 'reports/summary.txt', overwrite: true });
    const logFile = path.join(workspaceFolder, '.gitlab', 'logs', `build-${build.id}.log`);
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>('gitlabCiLens.saveRawJobLog', project, build, logFile);

    assert.ok(downloaded?.zipFile && single && saved, 'all three written, and the zip kept');
    const artifactsRoot = path.join(workspaceFolder, '.gitlab', 'artifacts');
    for (const folder of [artifactsRoot, downloaded.folder, path.dirname(path.dirname(single.file)), path.dirname(logFile)]) {
      assert.equal(await readFile(path.join(folder, '.gitignore'), 'utf8'), IGNORE_EVERYTHING, `${folder} has its .gitignore`);
    }
    assert.equal(await readFile(single.file, 'utf8'), SUMMARY);
    assert.ok((await readFile(logFile)).length > 0, 'the log was saved');
    assert.equal(gitStatus('--', '.gitlab'), '', 'Source Control shows nothing new');
  });
});
