import * as vscode from 'vscode';
import type { PipelineDetail } from '../../../gitlab/models';
import type { Services } from '../../services';
import { resolvePipeline } from '../pick';
import { registerCommand } from '../register';
import { canWrite, notify, refreshAfterAction } from './shared';

/**
 * "Retry Pipeline": GitLab retries its failed and canceled jobs (each as a new job). Sent once, never
 * repeated on a timeout. Automation: `(project, pipeline)`; returns the pipeline as GitLab left it.
 */
export function registerRetryPipeline(services: Services): void {
  registerCommand(services, 'gitlabCiLens.retryPipeline', 'Retry pipeline', async (...args: unknown[]): Promise<PipelineDetail | undefined> => {
    const target = await resolvePipeline(services, args);
    if (!target || !canWrite(services, target.project, 'Retry pipeline')) return undefined;
    const { project, pipeline } = target;
    const gitlab = await services.gitlabFor(project);
    const retried = await gitlab.pipelines.retry(project.projectPath, pipeline.id);
    await refreshAfterAction(services, project, pipeline.id);
    notify(services, 'info', vscode.l10n.t('Retrying the failed jobs of pipeline #{0} ({1}).', pipeline.id, pipeline.ref));
    return retried;
  });
}
