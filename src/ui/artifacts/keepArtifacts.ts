import * as vscode from 'vscode';
import type { Job } from '../../gitlab/models';
import { jobCapabilities } from '../../gitlab/status';
import { canWrite, jobTitle, notify } from '../commands/actions/shared';
import { resolveJob } from '../commands/pick';
import { registerCommand } from '../commands/register';
import type { Services } from '../services';
import { ArtifactNode } from '../tree/nodes';
import { refreshArtifacts } from './refresh';

/** "Keep Artifacts": clears the job's artifact expiry. Automation: `(project, job)`; returns the updated job. */
export function registerKeepArtifacts(services: Services): void {
  registerCommand(services, 'gitlabCiLens.keepArtifacts', 'Keep artifacts', async (...args: unknown[]): Promise<Job | undefined> => {
    const [node] = args;
    const target = node instanceof ArtifactNode ? node : await resolveJob(services, args, (job) => jobCapabilities(job).expiring, vscode.l10n.t('Whose artifacts to keep?'));
    if (!target || !canWrite(services, target.project, 'Keep artifacts')) return undefined;
    const { project, job } = target;
    const gitlab = await services.gitlabFor(project);
    const kept = await gitlab.artifacts.keep(project.projectPath, job.id);
    await refreshArtifacts(services, project);
    notify(services, 'info', vscode.l10n.t('The artifacts of job {0} are kept: they no longer expire.', jobTitle(job)));
    return kept;
  });
}
