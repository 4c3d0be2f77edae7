// Job rows are given to VS Code without their tooltip, which is built when the row is hovered
// (resolveTreeItem): rows of a running stage are rebuilt often, and each Markdown tooltip costs a parse.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { FakeGitLab } from '../fake-gitlab';
import { signIn, signOut } from './session';
import { PROJECT_PATH } from './setup';
import { waitFor } from './waitFor';

describe('job row tooltips on hover', function () {
  let fake: FakeGitLab;
  let api: ExtensionApi;

  before(async function () {
    this.timeout(60_000);
    ({ fake, api } = await signIn('developer', '18.2'));
  });

  after(async function () {
    this.timeout(30_000);
    await signOut(api?.services, fake);
  });

  it('gives a job row without its tooltip, and the job\'s tooltip when VS Code resolves the row', async function () {
    this.timeout(60_000);
    const pipeline = fake.state.seedBigPipeline({ projectId: 1, jobCount: 12, ref: 'main', status: 'success' });
    const job = fake.state.findJobs({ pipelineId: pipeline.id })[0];
    await vscode.commands.executeCommand('gitlabCiLens.pipelines.focus');
    const current = () => api.services.model.projectStates().find((state) => state.project.projectPath === PROJECT_PATH)?.current;
    await waitFor(async () => {
      await api.services.refresher.refreshNow();
      return current()?.id === pipeline.id;
    }, () => `#${pipeline.id} as the current pipeline (got #${current()?.id ?? 'none'})`);

    const tree = api.services.tree;
    const pipelineRow = await waitFor(async () => (await tree.getChildren()).find((node) => node.kind === 'pipeline' && node.pipeline.id === pipeline.id), 'the pipeline\'s row');
    const stageRow = await waitFor(async () => (await tree.getChildren(pipelineRow)).find((node) => node.kind === 'stage' && node.name === job.stage), `the ${job.stage} stage's row`);
    const jobRow = await waitFor(async () => (await tree.getChildren(stageRow)).find((node) => node.kind === 'job' && node.job.id === job.id), `the row of job #${job.id}`);

    const item = tree.getTreeItem(jobRow);
    assert.equal(item.tooltip, undefined, 'no tooltip built with the row');
    const resolved = tree.resolveTreeItem(item, jobRow);
    assert.ok(resolved.tooltip instanceof vscode.MarkdownString, 'a Markdown tooltip on hover');
    const { value } = resolved.tooltip;
    assert.ok(value.includes(`**${job.name}**`) && value.includes(String(job.id)) && value.includes(`Stage: ${job.stage}`), `the job's tooltip, got: ${value}`);
  });
});
