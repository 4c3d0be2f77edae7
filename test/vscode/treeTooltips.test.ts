// A job row's hover text is built when VS Code asks for it (resolveTreeItem), not with the row: a big stage
// opens without building thousands of Markdown tooltips (the scale bench's clicks).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { FakeGitLab } from '../fake-gitlab';
import { signIn, signOut, waitForDetectedProject } from './session';
import { waitFor } from './waitFor';

describe('job row hover text on demand', function () {
  let fake: FakeGitLab;
  let api: ExtensionApi;

  before(async function () {
    this.timeout(60_000);
    ({ fake, api } = await signIn('developer'));
    await waitForDetectedProject(api);
  });

  after(async function () {
    this.timeout(30_000);
    await signOut(api?.services, fake);
  });

  it('leaves the tooltip out of a job row and gives it, as untrusted Markdown, when VS Code resolves the row', async function () {
    this.timeout(60_000);
    const { tree, refresher } = api.services;
    await refresher.refreshNow();
    const pipeline = await waitFor(async () => (await tree.getChildren()).find((node) => node.kind === 'pipeline'), 'a pipeline row');
    const stages = (await tree.getChildren(pipeline)).filter((node) => node.kind === 'stage');
    const jobs = (await Promise.all(stages.map((stage) => tree.getChildren(stage)))).flat();
    const job = jobs.find((node) => node.kind === 'job');
    assert.ok(job?.kind === 'job', `a job row under pipeline ${pipeline.kind === 'pipeline' ? pipeline.pipeline.id : ''}`);

    const item = tree.getTreeItem(job);
    assert.equal(item.tooltip, undefined, 'no hover text is built with the row');
    const tooltip = tree.resolveTreeItem(item, job).tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.equal(tooltip.isTrusted, false);
    assert.ok(tooltip.value.includes(`**${job.job.name}**`), tooltip.value);
    assert.match(tooltip.value, new RegExp(`\\\\#${job.job.id}\\b`));
  });
});
