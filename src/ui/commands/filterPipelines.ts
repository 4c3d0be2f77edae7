import * as vscode from 'vscode';
import { KNOWN_STATUSES } from '../../gitlab/models';
import type { Services } from '../services';
import type { PipelineFilter } from '../tree/model';
import { registerCommand } from './register';

const SOURCES = ['push', 'web', 'trigger', 'schedule', 'api', 'merge_request_event', 'parent_pipeline', 'pipeline'];

/**
 * "Filter Pipelines…": by ref, status and source; an empty answer clears that part. "Clear Filter" drops it all.
 * Automation may pass the filter (`{ status: 'failed' }`) instead of answering the prompts.
 */
export function registerFilterPipelines(services: Services): void {
  registerCommand(services, 'gitlabCiLens.filterPipelines', 'Filtering pipelines', async (given?: unknown) => {
    if (typeof given === 'object' && given !== null) return applyFilter(services, given);
    const current = services.model.filter;
    const ref = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter Pipelines (1/3)'), prompt: vscode.l10n.t('Branch or tag (empty: any)'), value: current.ref ?? '' });
    if (ref === undefined) return;
    const any = vscode.l10n.t('(any)');
    const status = await vscode.window.showQuickPick([any, ...KNOWN_STATUSES], { title: vscode.l10n.t('Filter Pipelines (2/3)'), placeHolder: vscode.l10n.t('Status') });
    if (status === undefined) return;
    const source = await vscode.window.showQuickPick([any, ...SOURCES], { title: vscode.l10n.t('Filter Pipelines (3/3)'), placeHolder: vscode.l10n.t('Source') });
    if (source === undefined) return;
    await applyFilter(services, {
      ref: ref.trim() || undefined,
      status: status === any ? undefined : status,
      source: source === any ? undefined : source,
    });
  });
  registerCommand(services, 'gitlabCiLens.clearPipelineFilter', 'Clearing the pipeline filter', () => applyFilter(services, {}));
}

/** Sets the filter and shows it where the user looks: the view's description, and a Clear Filter button while it is on. */
async function applyFilter(services: Services, filter: PipelineFilter): Promise<void> {
  services.model.setFilter(filter);
  const description = describeFilter(filter);
  services.tree.view.description = description;
  await vscode.commands.executeCommand('setContext', 'gitlabCiLens.filtered', description !== undefined);
  await services.refresher.refreshNow();
}

/** `Filtered: ref main · status failed`, or undefined when nothing is filtered. */
export function describeFilter(filter: PipelineFilter): string | undefined {
  const parts = Object.entries(filter)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .map(([key, value]) => `${key} ${value}`);
  return parts.length > 0 ? `Filtered: ${parts.join(' · ')}` : undefined;
}
