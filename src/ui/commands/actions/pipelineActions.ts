import * as vscode from 'vscode';
import type { Pipeline } from '../../../gitlab/models';
import type { Services } from '../../services';
import { refLabel } from '../../../gitlab/mergeRequests';
import { statusLabel } from '../../tree/statusIcons';
import { type PipelineTarget, resolvePipeline } from '../pick';
import { registerCommand } from '../register';
import { pipelineCapabilities } from '../../../gitlab/status';
import { notify, revealWhenShown } from './shared';

interface PipelineAction {
  /** What automation passes to pick it without the quick pick. */
  id: 'showInTree' | 'followLog' | 'retry' | 'cancel' | 'openInBrowser';
  label: string;
  appliesTo(pipeline: Pipeline): boolean;
  run(services: Services, target: PipelineTarget): Promise<unknown>;
}

const ACTIONS: readonly PipelineAction[] = [
  { id: 'showInTree', label: vscode.l10n.t('$(list-tree) Show in Pipelines View'), appliesTo: () => true, run: showInTree },
  { id: 'followLog', label: vscode.l10n.t('$(output) Follow a Running Job’s Log…'), appliesTo: (pipeline) => pipeline.status === 'running', run: followRunningJob },
  {
    id: 'retry',
    label: vscode.l10n.t('$(debug-rerun) Retry Failed Jobs'),
    appliesTo: (pipeline) => pipelineCapabilities(pipeline).retryable,
    run: async (_services, { project, pipeline }) => vscode.commands.executeCommand('gitlabCiLens.retryPipeline', project, pipeline),
  },
  {
    id: 'cancel',
    label: vscode.l10n.t('$(circle-slash) Cancel Pipeline'),
    appliesTo: (pipeline) => pipelineCapabilities(pipeline).cancelable,
    run: async (_services, { project, pipeline }) => vscode.commands.executeCommand('gitlabCiLens.cancelPipeline', project, pipeline),
  },
  {
    id: 'openInBrowser',
    label: vscode.l10n.t('$(globe) Open in Browser'),
    appliesTo: () => true,
    run: async (_services, { project, pipeline }) => vscode.commands.executeCommand('gitlabCiLens.openPipelineInBrowser', project, pipeline),
  },
];

/**
 * "Pipeline Actions…", the status bar's click: what the pipeline's state allows, in a quick pick.
 * Automation: `(project, pipeline, actionId?)` with an id from ACTIONS to skip the pick; returns what
 * the action returns.
 */
export function registerPipelineActions(services: Services): void {
  registerCommand(services, 'gitlabCiLens.pipelineActions', 'Pipeline action', async (...args: unknown[]): Promise<unknown> => {
    const target = await resolvePipeline(services, args);
    if (!target) return undefined;
    const { pipeline } = target;
    const applicable = ACTIONS.filter((action) => action.appliesTo(pipeline));
    const actionId = args[2];
    const action = actionId === undefined ? await pickAction(pipeline, applicable) : applicable.find((candidate) => candidate.id === actionId);
    if (!action) {
      if (actionId === undefined) return undefined;
      throw new Error(`${JSON.stringify(actionId)} is not an action for pipeline #${pipeline.id}, which is ${statusLabel(pipeline.status)}`);
    }
    return action.run(services, target);
  });
}

async function pickAction(pipeline: Pipeline, actions: readonly PipelineAction[]): Promise<PipelineAction | undefined> {
  const picked = await vscode.window.showQuickPick(
    actions.map((action) => ({ label: action.label, action })),
    // Titles render no codicons: plain words only.
    { title: vscode.l10n.t('Pipeline #{0} · {1} · {2}', pipeline.id, refLabel(pipeline.ref), statusLabel(pipeline.status)), placeHolder: vscode.l10n.t('What to do with this pipeline?') },
  );
  return picked?.action;
}

async function showInTree(services: Services, { project, pipeline }: PipelineTarget): Promise<boolean> {
  await vscode.commands.executeCommand('gitlabCiLens.pipelines.focus');
  return revealWhenShown(services, (id) => id.endsWith(`pipeline:${project.key}:${pipeline.id}`));
}

/** Follows the running job, or the one picked when several run. */
async function followRunningJob(services: Services, { project, pipeline }: PipelineTarget): Promise<unknown> {
  services.model.invalidate(project, pipeline.id); // which jobs run changes by the second
  const running = (await services.model.jobsOf(project, pipeline.id)).jobs.filter((job) => job.status === 'running');
  if (running.length === 0) {
    notify(services, 'info', vscode.l10n.t('No job of pipeline #{0} is running now.', pipeline.id));
    return undefined;
  }
  const job =
    running.length === 1
      ? running[0]
      : (await vscode.window.showQuickPick(running.map((candidate) => ({ label: candidate.name, description: `${candidate.stage} · #${candidate.id}`, job: candidate })), { placeHolder: vscode.l10n.t('Follow which job’s log?') }))?.job;
  if (!job) return undefined;
  return vscode.commands.executeCommand('gitlabCiLens.followJobLog', project, job);
}
