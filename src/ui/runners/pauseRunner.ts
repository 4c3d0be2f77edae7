import * as vscode from 'vscode';
import { GitLabError } from '../../gitlab/errors';
import { isPaused, type Runner, type RunnerDetails } from '../../gitlab/runners';
import { canWrite, isConfirmed, notify } from '../commands/actions/shared';
import { isProject, pickProject } from '../commands/pick';
import { registerCommand } from '../commands/register';
import type { ProjectContext, Services } from '../services';
import { RunnerNode, runnerName } from './nodes';
import type { RunnersTree } from './provider';

interface RunnerTarget {
  project: ProjectContext;
  runner: Runner;
}

/**
 * "Pause Runner…" / "Resume Runner…": after a modal confirmation, `PUT /runners/:id` with `paused`.
 * Automation: `(runnerNode, { confirmed: true })` or `(project, runner, { confirmed: true })` skips the
 * dialog; returns the runner as GitLab now has it. A 403 says who may do it instead of GitLab's bare words.
 */
export function registerPauseRunner(services: Services, runners: RunnersTree): void {
  for (const pause of [true, false]) {
    const action = pause ? 'Pause runner' : 'Resume runner';
    registerCommand(services, pause ? 'gitlabCiLens.pauseRunner' : 'gitlabCiLens.resumeRunner', action, async (...args: unknown[]): Promise<RunnerDetails | undefined> => {
      const target = await resolveRunner(services, args, (runner) => isPaused(runner) !== pause);
      if (!target || !canWrite(services, target.project, action)) return undefined;
      const { project, runner } = target;
      const name = `'${runnerName(runner)}' (#${runner.id})`;
      if (!isConfirmed(args[args.length - 1])) {
        const question = pause
          ? vscode.l10n.t('Pause runner {0}? It takes no new jobs until resumed; jobs it runs now finish.', name)
          : vscode.l10n.t('Resume runner {0}? It takes jobs again.', name);
        const button = pause ? vscode.l10n.t('Pause') : vscode.l10n.t('Resume');
        if ((await vscode.window.showWarningMessage(question, { modal: true }, button)) !== button) return undefined;
      }
      const gitlab = await services.gitlabFor(project);
      let updated: RunnerDetails;
      try {
        updated = await gitlab.runners.setPaused(runner.id, pause);
      } catch (error) {
        if (!(error instanceof GitLabError) || error.reason !== 'forbidden') throw error;
        const refusal = pause
          ? vscode.l10n.t('Pause runner {0}: only its administrators can — maintainers of its project for a project runner, group owners for a group runner, administrators for an instance runner.', name)
          : vscode.l10n.t('Resume runner {0}: only its administrators can — maintainers of its project for a project runner, group owners for a group runner, administrators for an instance runner.', name);
        notify(services, 'error', refusal);
        return undefined;
      }
      runners.refresh();
      notify(services, 'info', pause ? vscode.l10n.t('Paused runner {0}.', name) : vscode.l10n.t('Resumed runner {0}.', name));
      return updated;
    });
  }
}

/** A runner from a node or arguments, else picked among the project's runners that `fits`. */
async function resolveRunner(services: Services, args: unknown[], fits: (runner: Runner) => boolean): Promise<RunnerTarget | undefined> {
  const [first, second] = args;
  if (first instanceof RunnerNode) return { project: first.project, runner: first.runner };
  if (isProject(first) && isRunner(second)) return { project: first, runner: second };
  const project = await pickProject(services);
  if (!project) return undefined;
  const gitlab = await services.gitlabFor(project);
  const candidates = (await gitlab.runners.listForProject(project.projectPath)).filter(fits);
  if (candidates.length === 0) {
    notify(services, 'info', vscode.l10n.t('No runner of {0} fits.', project.projectPath));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((runner) => ({ label: runnerName(runner), description: `#${runner.id} · ${runner.status}`, runner })),
    { placeHolder: vscode.l10n.t('Which runner?') },
  );
  return picked && { project, runner: picked.runner };
}

function isRunner(value: unknown): value is Runner {
  return typeof value === 'object' && value !== null && 'id' in value && 'runner_type' in value;
}
