import * as vscode from 'vscode';
import type { Services } from '../../services';
import { resolveJob } from '../pick';
import { registerCommand } from '../register';
import { jobTitle, notify } from './shared';

/** "Copy Job ID". Automation: `(project, job)`; returns the id copied, as text. */
export function registerCopyJobId(services: Services): void {
  registerCommand(services, 'gitlabCiLens.copyJobId', 'Copy job ID', async (...args: unknown[]): Promise<string | undefined> => {
    const target = await resolveJob(services, args, undefined, vscode.l10n.t('Which job’s ID to copy?'));
    if (!target) return undefined;
    const id = String(target.job.id);
    await vscode.env.clipboard.writeText(id);
    notify(services, 'info', vscode.l10n.t('Copied {0}, the ID of job {1}.', id, jobTitle(target.job)));
    return id;
  });
}
