import * as vscode from 'vscode';
import type { Services } from '../../services';
import { resolveJob } from '../pick';
import { registerCommand } from '../register';
import { jobTitle, notify } from './shared';

/** "Copy Job URL". Automation: `(project, job)`; returns the URL copied. */
export function registerCopyJobUrl(services: Services): void {
  registerCommand(services, 'gitlabCiLens.copyJobUrl', 'Copy job URL', async (...args: unknown[]): Promise<string | undefined> => {
    const target = await resolveJob(services, args, undefined, vscode.l10n.t('Which job’s URL to copy?'));
    if (!target) return undefined;
    await vscode.env.clipboard.writeText(target.job.web_url);
    notify(services, 'info', vscode.l10n.t('Copied the URL of job {0}.', jobTitle(target.job)));
    return target.job.web_url;
  });
}
