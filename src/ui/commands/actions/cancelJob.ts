import * as vscode from 'vscode';
import type { Job } from '../../../gitlab/models';
import { jobCapabilities } from '../../../gitlab/status';
import type { Services } from '../../services';
import { statusLabel } from '../../tree/statusIcons';
import { resolveJob } from '../pick';
import { registerCommand } from '../register';
import { canWrite, jobTitle, notify, refreshAfterAction, cancelOutcome } from './shared';

/**
 * "Cancel Job". GitLab answers 201 with the job even when it could not cancel it (it had finished
 * meanwhile), so the message follows the returned status, not the answer's code.
 * Automation: `(project, job)`; returns the job as GitLab left it.
 */
export function registerCancelJob(services: Services): void {
  registerCommand(services, 'gitlabCiLens.cancelJob', 'Cancel job', async (...args: unknown[]): Promise<Job | undefined> => {
    const target = await resolveJob(services, args, (job) => jobCapabilities(job).cancelable, vscode.l10n.t('Which job to cancel?'));
    if (!target || !canWrite(services, target.project, 'Cancel job')) return undefined;
    const { project, job } = target;
    const gitlab = await services.gitlabFor(project);
    const result = await gitlab.jobs.cancel(project.projectPath, job.id);
    await refreshAfterAction(services, project, job.pipeline.id);
    const outcome = cancelOutcome(result.status);
    if (outcome) notify(services, 'info', outcome === 'Canceled' ? vscode.l10n.t('Canceled job {0}.', jobTitle(job)) : vscode.l10n.t('Canceling job {0}.', jobTitle(job)));
    else notify(services, 'warning', vscode.l10n.t('Job {0} was not canceled: it is {1}.', jobTitle(job), statusLabel(result.status)));
    return result;
  });
}
