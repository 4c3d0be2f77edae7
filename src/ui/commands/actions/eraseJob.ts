import * as vscode from 'vscode';
import type { Job } from '../../../gitlab/models';
import { jobCapabilities } from '../../../gitlab/status';
import type { Services } from '../../services';
import { resolveJob } from '../pick';
import { registerCommand } from '../register';
import { canWrite, isConfirmed, jobTitle, notify, refreshAfterAction } from './shared';

/**
 * "Erase Job…": deletes a finished job's log and artifacts, after a modal confirmation. Automation:
 * `(project, job, { confirmed: true })` skips the dialog (the test runner refuses dialogs); returns the
 * erased job.
 */
export function registerEraseJob(services: Services): void {
  registerCommand(services, 'gitlabCiLens.eraseJob', 'Erase job', async (...args: unknown[]): Promise<Job | undefined> => {
    const target = await resolveJob(services, args, (job) => jobCapabilities(job).erasable, vscode.l10n.t('Which job to erase?'));
    if (!target || !canWrite(services, target.project, 'Erase job')) return undefined;
    const { project, job } = target;
    if (!isConfirmed(args[2])) {
      const erase = vscode.l10n.t('Erase');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Erase job {0}? Its log and artifacts are deleted.', jobTitle(job)), { modal: true }, erase);
      if (answer !== erase) return undefined;
    }
    const gitlab = await services.gitlabFor(project);
    const erased = await gitlab.jobs.erase(project.projectPath, job.id);
    await refreshAfterAction(services, project, job.pipeline.id);
    notify(services, 'info', vscode.l10n.t('Erased job {0}: its log and artifacts are gone.', jobTitle(job)));
    return erased;
  });
}
