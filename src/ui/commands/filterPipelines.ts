import * as vscode from 'vscode';
import { KNOWN_STATUSES } from '../../gitlab/models';
import type { Services } from '../services';
import { registerCommand } from './register';

const SOURCES = ['push', 'web', 'trigger', 'schedule', 'api', 'merge_request_event', 'parent_pipeline', 'pipeline'];

/** "Filter Pipelines…": by ref, status and source; an empty answer clears that part. */
export function registerFilterPipelines(services: Services): void {
  registerCommand(services, 'gitlabCiLens.filterPipelines', 'Filtering pipelines', async () => {
    const current = services.model.filter;
    const ref = await vscode.window.showInputBox({ title: 'Filter Pipelines (1/3)', prompt: 'Branch or tag (empty: any)', value: current.ref ?? '' });
    if (ref === undefined) return;
    const status = await vscode.window.showQuickPick(['(any)', ...KNOWN_STATUSES], { title: 'Filter Pipelines (2/3)', placeHolder: 'Status' });
    if (status === undefined) return;
    const source = await vscode.window.showQuickPick(['(any)', ...SOURCES], { title: 'Filter Pipelines (3/3)', placeHolder: 'Source' });
    if (source === undefined) return;
    services.model.setFilter({
      ref: ref.trim() || undefined,
      status: status === '(any)' ? undefined : status,
      source: source === '(any)' ? undefined : source,
    });
    await services.refresher.refreshNow();
  });
}
