// Artifacts in a real VS Code: the archive browsed in the tree, an archive and single files downloaded into
// the workspace (checked on disk), keep, delete (and a 403 explained), expire. The fake GitLab runs here, in
// the extension host, on the setup hook's port; commands get automation options instead of dialogs.
import * as assert from 'node:assert/strict';
import { readFile, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Job } from '../../src/gitlab/models';
import type { DownloadedArtifacts } from '../../src/ui/artifacts/downloadArtifacts';
import type { ProjectContext, Services } from '../../src/ui/services';
import type { FakeGitLab, JobRecord } from '../fake-gitlab';
import { fakePng } from '../fake-gitlab/zips';
import { captureMessages, signInWithSeededBuild, signOut } from './session';
import { PROJECT_PATH } from './setup';
import { labelOf } from './treeItems';
import { waitFor } from './waitFor';

const ARTIFACTS_FOLDER = path.join('.gitlab', 'artifacts', 'demo-group', 'demo-app');

describe('artifacts', function () {
  let fake: FakeGitLab;
  let services: Services;
  let project: ProjectContext;
  let workspaceFolder: string;
  let buildRecord: JobRecord;
  let build: Job;
  let errors: string[];
  let restoreErrors: () => void;

  before(async function () {
    ({ fake, services, project, workspaceFolder, buildRecord, build } = await signInWithSeededBuild());
  });

  after(async function () {
    await rm(path.join(workspaceFolder, '.gitlab'), { recursive: true, force: true });
    await signOut(services, fake);
  });

  // Failures are reported as error messages: recorded here, answered at once (nobody clicks in a test).
  beforeEach(() => ({ texts: errors, restore: restoreErrors } = captureMessages('showErrorMessage')));
  afterEach(() => restoreErrors());

  it('lists an archive in the tree, and a folder when it is expanded', async function () {
    // The ranged reads of older GitLab; GitLab's own tree endpoint is covered by the core's tests.
    fake.features.artifactsTree = false;
    try {
      await vscode.commands.executeCommand('gitlabCiLens.refresh');
      const tree = services.tree;
      const pipeline = await waitFor(async () => (await tree.getChildren()).find((node) => node.kind === 'pipeline' && node.pipeline.id === buildRecord.pipelineId), 'the pipeline in the tree');
      const stage = (await tree.getChildren(pipeline)).find((node) => labelOf(node) === 'build');
      assert.ok(stage);
      const job = (await tree.getChildren(stage)).find((node) => labelOf(node) === 'build');
      assert.ok(job);
      const archive = (await tree.getChildren(job)).find((node) => node.kind === 'artifact' && node.isArchive);
      assert.ok(archive, 'the job shows its archive');

      const top = await tree.getChildren(archive);
      assert.deepEqual(top.map(labelOf), ['coverage', 'dist', 'logs', 'reports']);
      const dist = top.find((node) => labelOf(node) === 'dist');
      assert.ok(dist);
      const inDist = await tree.getChildren(dist);
      assert.deepEqual(inDist.map(labelOf), ['assets', 'app.js', 'index.html']);
      assert.match(String(inDist[1].toTreeItem().contextValue), /\bartifactFile\b/);

      const fromNode = await vscode.commands.executeCommand<{ file: string } | undefined>('gitlabCiLens.downloadArtifactFile', inDist[1], { overwrite: true });
      assert.equal(fromNode?.file, path.join(workspaceFolder, ARTIFACTS_FOLDER, `${build.id}-build`, 'dist', 'app.js'));
      assert.equal(await readFile(fromNode.file, 'utf8'), 'console.log("demo-app");\n'.repeat(40));
    } finally {
      fake.features.artifactsTree = true;
    }
  });

  it('downloads an archive into the workspace folder the setting names', async function () {
    const result = await vscode.commands.executeCommand<DownloadedArtifacts | undefined>('gitlabCiLens.downloadArtifacts', project, build, { overwrite: true });

    const folder = path.join(workspaceFolder, ARTIFACTS_FOLDER, `${build.id}-build`);
    assert.deepEqual(result, { folder, files: 7 });
    assert.equal(await readFile(path.join(folder, 'reports', 'summary.txt'), 'utf8'), 'tests: 3, failures: 1, duration: 1.204 s\ncoverage: 81.4%\n');
    assert.deepEqual(await readFile(path.join(folder, 'dist', 'assets', 'logo.png')), fakePng(6000));
    assert.ok((await stat(path.join(folder, 'logs'))).isDirectory(), 'empty folders too');
    await assert.rejects(stat(`${folder}.zip`), 'the zip is dropped unless artifacts.keepZip says otherwise');
    assert.deepEqual(errors, []);
  });

  it('downloads one text file by job id and opens it in an editor', async function () {
    const result = await vscode.commands.executeCommand<{ file: string } | undefined>('gitlabCiLens.downloadArtifactFile', project, { jobId: build.id }, { path: 'reports/summary.txt', overwrite: true });

    const file = path.join(workspaceFolder, ARTIFACTS_FOLDER, `${build.id}-build`, 'reports', 'summary.txt');
    assert.equal(result?.file, file);
    assert.match(await readFile(file, 'utf8'), /^tests: 3, failures: 1/);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === file, 'the file in an editor');
  });

  it('downloads one binary file by branch and job name, without opening it as text', async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const result = await vscode.commands.executeCommand<{ file: string } | undefined>('gitlabCiLens.downloadArtifactFile', project, { ref: 'main', job: 'build' }, { path: 'dist/assets/logo.png', overwrite: true });

    const file = path.join(workspaceFolder, ARTIFACTS_FOLDER, 'main-build', 'dist', 'assets', 'logo.png');
    assert.equal(result?.file, file);
    assert.deepEqual(await readFile(file), fakePng(6000));
    assert.equal(vscode.window.activeTextEditor, undefined);
  });

  it('keeps artifacts: GitLab no longer expires them', async function () {
    assert.ok(buildRecord.artifactsExpireAt, 'the seeded artifacts expire');
    const kept = await vscode.commands.executeCommand<Job | undefined>('gitlabCiLens.keepArtifacts', project, build);

    assert.equal(kept?.artifacts_expire_at, null);
    assert.equal(buildRecord.artifactsExpireAt, null);
  });

  it('explains a 403 when the role may not delete artifacts, and deletes them as a maintainer', async function () {
    await services.accounts.add(fake.url, fake.tokens.developer);
    try {
      const refused = await vscode.commands.executeCommand('gitlabCiLens.deleteArtifacts', project, build, { confirmed: true });
      assert.equal(refused, undefined);
      assert.equal(errors.length, 1);
      assert.match(errors[0], /^Delete artifacts failed: your token or role can't do this here\./);
      assert.ok(fake.state.archiveOf(buildRecord), 'still there');
    } finally {
      await services.accounts.add(fake.url, fake.tokens.maintainer);
    }

    assert.equal(await vscode.commands.executeCommand('gitlabCiLens.deleteArtifacts', project, build, { confirmed: true }), true);
    assert.equal(fake.state.archiveOf(buildRecord), undefined);
  });

  it('expires all the project\'s artifacts', async function () {
    assert.equal(await vscode.commands.executeCommand('gitlabCiLens.expireProjectArtifacts', project, { confirmed: true }), true);

    const projectId = fake.state.requireProject(PROJECT_PATH).id;
    await waitFor(() => fake.state.findJobs({ projectId }).every((job) => job.artifacts.length === 0), 'GitLab expiring them in the background');
  });
});
