import * as vscode from 'vscode';
import type { Services } from '../services';
import { resolveJob } from '../commands/pick';
import { registerCommand } from '../commands/register';
import { hasOrWillHaveLog } from './jobSummary';
import type { JobLogDocuments, OpenedLog } from './logDocuments';

/**
 * "Open Job Log" (also a click on a job in the tree): the log as a read-only document with colours and
 * folding sections, filled as the job runs. Automation: `(project, job)` and gets `{ uri, done }`.
 */
export function registerOpenJobLog(services: Services, documents: JobLogDocuments): void {
  registerCommand(services, 'gitlabCiLens.openJobLog', 'Open job log', async (...args: unknown[]): Promise<OpenedLog | undefined> => {
    const target = await resolveJob(services, args, hasOrWillHaveLog, vscode.l10n.t('Open the log of which job?'));
    return target && documents.open(target.project, target.job);
  });
}
