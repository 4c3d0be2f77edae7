import * as vscode from 'vscode';
import type { Services } from '../services';
import { LoadMoreNode } from '../tree/nodes';
import { pickProject } from './pick';
import { registerCommand } from './register';

/** The view's own commands: refresh, load more, retried jobs on/off, show the extension log. */
export function registerViewCommands(services: Services): void {
  registerCommand(services, 'gitlabCiLens.refresh', 'Refreshing', () => services.refresher.refreshNow());
  registerCommand(services, 'gitlabCiLens.loadMorePipelines', 'Loading more pipelines', async (node?: unknown) => {
    const project = node instanceof LoadMoreNode ? node.project : await pickProject(services);
    if (project) await services.model.loadMore(project);
  });
  const setShowRetried = async (show: boolean) => {
    services.model.setShowRetried(show);
    await vscode.commands.executeCommand('setContext', 'gitlabCiLens.showRetried', show);
  };
  registerCommand(services, 'gitlabCiLens.showRetriedJobs', 'Showing retried jobs', () => setShowRetried(true));
  registerCommand(services, 'gitlabCiLens.hideRetriedJobs', 'Hiding retried jobs', () => setShowRetried(false));
  registerCommand(services, 'gitlabCiLens.showLog', 'Showing the log', () => services.log.show());
}
