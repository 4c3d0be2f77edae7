import * as vscode from 'vscode';
import type { Services } from '../../services';
import { resolveJob } from '../pick';
import { registerCommand } from '../register';
import { openWebUrl } from './shared';

/** "Open Job in Browser". Automation: `(project, job)`; returns whether the browser was asked to open it. */
export function registerOpenJobInBrowser(services: Services): void {
  registerCommand(services, 'gitlabCiLens.openJobInBrowser', 'Open job in browser', async (...args: unknown[]): Promise<boolean> => {
    const target = await resolveJob(services, args, undefined, vscode.l10n.t('Which job to open?'));
    return target ? openWebUrl(target.job.web_url) : false;
  });
}
