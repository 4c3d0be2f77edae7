import * as vscode from 'vscode';
import { findLastSuccessfulRun, normalizedLog } from '../../gitlab/compare/renderedLog';
import type { Services } from '../services';
import { resolveJob } from '../commands/pick';
import { registerCommand } from '../commands/register';

export const COMPARE_SCHEME = 'gitlab-log-compare';
/** Comparisons kept for their diff editors; older ones say to compare again. */
const MAX_KEPT = 10;

/**
 * "Compare with Last Successful Run": a diff editor of a failed job's log and the newest successful run of the
 * same job on the same ref (else the default branch), both rendered and normalised (timestamps, durations, the
 * runs' ids, hex hashes), so what changed stands out.
 */
export function registerCompareWithLastSuccessful(services: Services): void {
  const texts = new Map<string, string>();
  services.context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, {
      provideTextDocumentContent: (uri) => texts.get(uri.toString()) ?? vscode.l10n.t('This comparison is no longer kept: run "Compare with Last Successful Run" again.'),
    }),
  );
  registerCommand(services, 'gitlabCiLens.compareWithLastSuccessfulRun', 'Compare with the last successful run', async (...args: unknown[]) => {
    const target = await resolveJob(services, args, (job) => job.status === 'failed', vscode.l10n.t('Compare which failed job?'));
    if (!target) return undefined;
    const { project, job } = target;
    const gitlab = await services.gitlabFor(project);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Comparing {0} #{1} with its last successful run', job.name, job.id), cancellable: true }, async (_progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      try {
        const found = await findLastSuccessfulRun(gitlab, project.projectPath, job, abort.signal);
        if (!found) {
          void vscode.window.showInformationMessage(vscode.l10n.t('No successful run of {0} on {1} or the default branch among the last 20 successful pipelines of each.', job.name, job.ref));
          return undefined;
        }
        const passed = found.job;
        const identity = { jobIds: [job.id, passed.id], pipelineIds: [job.pipeline.id, passed.pipeline.id] };
        const [left, right] = await Promise.all([
          normalizedLog(gitlab, project.projectPath, passed.id, identity, undefined, abort.signal),
          normalizedLog(gitlab, project.projectPath, job.id, identity, undefined, abort.signal),
        ]);
        const leftUri = compareUri(project.projectPath, passed.id, `${passed.name} #${passed.id} (passed on ${passed.ref})`);
        const rightUri = compareUri(project.projectPath, job.id, `${job.name} #${job.id} (failed)`);
        keep(texts, leftUri, left);
        keep(texts, rightUri, right);
        await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, `${job.name}: #${passed.id} passed${found.fromDefaultBranch ? ` on ${passed.ref}` : ''} ↔ #${job.id} failed`);
        return { left: leftUri, right: rightUri, passedJobId: passed.id };
      } finally {
        cancel.dispose();
      }
    });
  });
}

function compareUri(projectPath: string, jobId: number, title: string): vscode.Uri {
  return vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${projectPath}/-/jobs/${jobId}/${title.replace(/[\\/]/g, '∕')}` });
}

function keep(texts: Map<string, string>, uri: vscode.Uri, text: string): void {
  texts.delete(uri.toString());
  texts.set(uri.toString(), text);
  while (texts.size > MAX_KEPT * 2) texts.delete(texts.keys().next().value as string);
}
