import * as vscode from 'vscode';
import type { PipelineDetail } from '../../../gitlab/models';
import type { Services } from '../../services';
import { statusLabel } from '../../tree/statusIcons';
import { resolvePipeline } from '../pick';
import { registerCommand } from '../register';
import { canWrite, notify, refreshAfterAction, cancelOutcome } from './shared';

/**
 * "Cancel Pipeline". Like a job's, GitLab's answer says nothing about whether anything was canceled: the
 * returned status does. Automation: `(project, pipeline)`; returns the pipeline as GitLab left it.
 */
export function registerCancelPipeline(services: Services): void {
  registerCommand(services, 'gitlabCiLens.cancelPipeline', 'Cancel pipeline', async (...args: unknown[]): Promise<PipelineDetail | undefined> => {
    const target = await resolvePipeline(services, args);
    if (!target || !canWrite(services, target.project, 'Cancel pipeline')) return undefined;
    const { project, pipeline } = target;
    const gitlab = await services.gitlabFor(project);
    const result = await gitlab.pipelines.cancel(project.projectPath, pipeline.id);
    await refreshAfterAction(services, project, pipeline.id);
    const outcome = cancelOutcome(result.status);
    if (outcome === 'Canceled') notify(services, 'info', vscode.l10n.t('Canceled pipeline #{0} ({1}).', pipeline.id, pipeline.ref));
    else if (outcome === 'Canceling') notify(services, 'info', vscode.l10n.t('Canceling pipeline #{0} ({1}).', pipeline.id, pipeline.ref));
    else notify(services, 'warning', vscode.l10n.t('Pipeline #{0} ({1}) was not canceled: it is {2}.', pipeline.id, pipeline.ref, statusLabel(result.status)));
    return result;
  });
}
