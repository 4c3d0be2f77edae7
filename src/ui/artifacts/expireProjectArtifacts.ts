import * as vscode from 'vscode';
import { canWrite, notify } from '../commands/actions/shared';
import { pickProject } from '../commands/pick';
import { registerCommand } from '../commands/register';
import type { Services } from '../services';
import { refreshArtifacts } from './refresh';
import { automationOptions, isProjectContext } from './target';

/**
 * "Expire All Project Artifacts…": asks GitLab to expire every job artifact of the project that can expire,
 * after a modal confirmation naming the project. GitLab does it in the background and allows it to
 * maintainers. Automation: `(project, { confirmed: true })`; returns true once GitLab accepted.
 */
export function registerExpireProjectArtifacts(services: Services): void {
  registerCommand(services, 'gitlabCiLens.expireProjectArtifacts', 'Expire all project artifacts', async (...args: unknown[]): Promise<boolean> => {
    const [first] = args;
    const project = isProjectContext(first) ? first : await pickProject(services);
    if (!project || !canWrite(services, project, 'Expire all project artifacts')) return false;
    if (automationOptions<{ confirmed: boolean }>(args).confirmed !== true) {
      const expireAll = vscode.l10n.t('Expire All');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Expire all job artifacts of {0}?', project.projectPath),
        { modal: true, detail: vscode.l10n.t('GitLab deletes every artifact in this project that can expire, shortly after. This cannot be undone.') },
        expireAll,
      );
      if (answer !== expireAll) return false;
    }
    const gitlab = await services.gitlabFor(project);
    await gitlab.artifacts.expireProjectArtifacts(project.projectPath);
    await refreshArtifacts(services, project);
    notify(services, 'info', vscode.l10n.t('GitLab is expiring the artifacts of {0} in the background.', project.projectPath));
    return true;
  });
}
