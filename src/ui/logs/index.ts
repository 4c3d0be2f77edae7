import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerCompareWithLastSuccessful } from './compareWithLastSuccessful';
import { registerErrorNavigation } from './errorNavigation';
import { FollowedChannels } from './followedChannels';
import { registerFollowJobLog } from './followJobLog';
import { JOB_LOG_SELECTOR, JobLogLinks } from './logLinks';
import { JobLogDocuments } from './logDocuments';
import { JobLogOutline } from './logOutline';
import { registerOpenJobLog } from './openJobLog';
import { registerSaveRawJobLog } from './saveRawJobLog';
import { registerStopFollowingJobLog } from './stopFollowingJobLog';

/**
 * Following, opening and saving job logs. Each followed log is a follower feeding a renderer feeding a sink
 * (an output channel or a document); all of them end with the extension (context.subscriptions).
 */
export function registerLogCommands(services: Services): void {
  const channels = new FollowedChannels(services);
  const documents = new JobLogDocuments(services);
  services.context.subscriptions.push(channels, documents);
  registerFollowJobLog(services, channels);
  registerOpenJobLog(services, documents);
  registerStopFollowingJobLog(services, [channels, documents]);
  registerSaveRawJobLog(services);
  registerLogNavigation(services, documents);
}

/** Links, outline and Next/Previous Error in log documents, and the comparison with the last green run. */
function registerLogNavigation(services: Services, documents: JobLogDocuments): void {
  const modelOf = (uri: vscode.Uri) => documents.modelOf(uri);
  const folderOf = (project: { key: string }) => projectFolder(services, project.key);
  services.context.subscriptions.push(
    vscode.languages.registerDocumentLinkProvider(JOB_LOG_SELECTOR, new JobLogLinks(folderOf)),
    vscode.languages.registerDocumentSymbolProvider(JOB_LOG_SELECTOR, new JobLogOutline(modelOf), { label: vscode.l10n.t('Job log sections') }),
  );
  registerErrorNavigation(services, modelOf);
  registerCompareWithLastSuccessful(services);
}

/** The workspace folder of a project: its repository's, else the only folder of the workspace. */
export function projectFolder(services: Services, projectKey: string): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return services.projects.list().find((known) => known.key === projectKey)?.repositoryRoot ?? (folders.length === 1 ? folders[0]?.uri : undefined);
}
