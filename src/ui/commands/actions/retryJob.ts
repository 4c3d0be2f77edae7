import * as vscode from 'vscode';
import type { Job } from '../../../gitlab/models';
import { jobCapabilities } from '../../../gitlab/status';
import type { Services } from '../../services';
import { resolveJob } from '../pick';
import { registerCommand } from '../register';
import { canWrite, isJobRowId, jobTitle, notify, refreshAfterAction, revealWhenShown } from './shared';

/**
 * "Retry Job": GitLab makes a NEW job (new id). Sent once and never repeated on a timeout, since a repeat
 * would start a second attempt. The new job is selected in the tree when its old one was shown there.
 * Automation: `(project, job)`; returns the new job.
 */
export function registerRetryJob(services: Services): void {
  registerCommand(services, 'gitlabCiLens.retryJob', 'Retry job', async (...args: unknown[]): Promise<Job | undefined> => {
    const target = await resolveJob(services, args, (job) => jobCapabilities(job).retryable, vscode.l10n.t('Which job to retry?'));
    if (!target || !canWrite(services, target.project, 'Retry job')) return undefined;
    const { project, job } = target;
    const gitlab = await services.gitlabFor(project);
    const newJob = await gitlab.jobs.retry(project.projectPath, job.id);
    const oldJobWasShown = services.tree.view.visible && services.tree.shownIds().some(isJobRowId(services, job.id));
    notify(services, 'info', vscode.l10n.t('Retrying job {0} as #{1}.', jobTitle(job), newJob.id), {
      title: vscode.l10n.t('Follow Log'),
      run: () => vscode.commands.executeCommand('gitlabCiLens.followJobLog', project, newJob),
    });
    await refreshAfterAction(services, project, job.pipeline.id);
    if (oldJobWasShown) await revealWhenShown(services, isJobRowId(services, newJob.id));
    return newJob;
  });
}
