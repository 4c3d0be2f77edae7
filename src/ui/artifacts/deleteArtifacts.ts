import * as vscode from 'vscode';
import type { ArchiveBrowser } from '../../gitlab/archive/browse';
import { jobCapabilities } from '../../gitlab/status';
import { canWrite, jobTitle, notify } from '../commands/actions/shared';
import { resolveJob } from '../commands/pick';
import { registerCommand } from '../commands/register';
import type { Services } from '../services';
import { ArtifactNode } from '../tree/nodes';
import { refreshArtifacts } from './refresh';
import { automationOptions } from './target';

/**
 * "Delete Artifacts…": removes a job's artifacts (archive and reports) after a modal confirmation naming the
 * job. GitLab allows it to maintainers. Automation: `(project, job, { confirmed: true })`; returns true once
 * deleted.
 */
export function registerDeleteArtifacts(services: Services, browser: ArchiveBrowser): void {
  registerCommand(services, 'gitlabCiLens.deleteArtifacts', 'Delete artifacts', async (...args: unknown[]): Promise<boolean> => {
    const [node] = args;
    const target = node instanceof ArtifactNode ? node : await resolveJob(services, args, (job) => jobCapabilities(job).hasArtifacts, vscode.l10n.t('Whose artifacts to delete?'));
    if (!target || !canWrite(services, target.project, 'Delete artifacts')) return false;
    const { project, job } = target;
    if (automationOptions<{ confirmed: boolean }>(args).confirmed !== true) {
      const deleteButton = vscode.l10n.t('Delete');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete the artifacts of job {0} in {1}?', jobTitle(job), project.projectPath),
        { modal: true, detail: vscode.l10n.t('Its archive and reports are removed from GitLab for good; the job and its log stay.') },
        deleteButton,
      );
      if (answer !== deleteButton) return false;
    }
    const gitlab = await services.gitlabFor(project);
    await gitlab.artifacts.deleteJobArtifacts(project.projectPath, job.id);
    await browser.forget(gitlab, project.projectPath, job.id);
    await refreshArtifacts(services, project);
    notify(services, 'info', vscode.l10n.t('Deleted the artifacts of job {0}.', jobTitle(job)));
    return true;
  });
}
