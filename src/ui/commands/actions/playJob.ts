import * as vscode from 'vscode';
import type { Bridge, Job } from '../../../gitlab/models';
import { jobCapabilities } from '../../../gitlab/status';
import type { ProjectContext, Services } from '../../services';
import { BridgeNode } from '../../tree/nodes';
import { resolveJob } from '../pick';
import { registerCommand } from '../register';
import { type MessageAction, canWrite, jobTitle, notify, refreshAfterAction } from './shared';
import { resolveVariables } from './variables';

/**
 * "Run Manual Job…": starts a manual job or trigger (bridge) with variables for this run, asked as
 * `KEY=value` entries. Automation: `(project, job, variables?)` with `variables` as `[{ key, value }]`
 * (`[]` for none; left out, they are asked); returns the job GitLab started.
 */
export function registerPlayJob(services: Services): void {
  registerCommand(services, 'gitlabCiLens.playJob', 'Run manual job', async (...args: unknown[]): Promise<Job | Bridge | undefined> => {
    const target = await resolvePlayable(services, args);
    if (!target || !canWrite(services, target.project, 'Run manual job')) return undefined;
    const { project, job } = target;
    const variables = await resolveVariables(args[2], vscode.l10n.t('Run {0}: variables', job.name));
    if (!variables) return undefined;
    const gitlab = await services.gitlabFor(project);
    const started = await gitlab.jobs.play(project.projectPath, job.id, variables);
    await refreshAfterAction(services, project, job.pipeline.id);
    const keys = variables.map((variable) => variable.key).join(', ');
    const followLog: MessageAction[] = isBridge(started)
      ? [] // a trigger has no log of its own: its downstream pipeline's jobs do
      : [{ title: vscode.l10n.t('Follow Log'), run: () => vscode.commands.executeCommand('gitlabCiLens.followJobLog', project, started) }];
    const message = isBridge(job)
      ? keys
        ? vscode.l10n.t('Started trigger {0} with {1}.', jobTitle(started), keys)
        : vscode.l10n.t('Started trigger {0}.', jobTitle(started))
      : keys
        ? vscode.l10n.t('Started job {0} with {1}.', jobTitle(started), keys)
        : vscode.l10n.t('Started job {0}.', jobTitle(started));
    notify(services, 'info', message, ...followLog);
    return started;
  });
}

/** Trigger nodes are not jobs to `resolveJob`, yet GitLab plays them the same way. */
async function resolvePlayable(services: Services, args: unknown[]): Promise<{ project: ProjectContext; job: Job | Bridge } | undefined> {
  const [first] = args;
  if (first instanceof BridgeNode) return { project: first.project, job: first.bridge };
  return resolveJob(services, args, (job) => jobCapabilities(job).playable, vscode.l10n.t('Which manual job to run?'));
}

function isBridge(job: Job | Bridge): job is Bridge {
  return 'downstream_pipeline' in job;
}
