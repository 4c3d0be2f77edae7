import * as vscode from 'vscode';
import type { Bridge, Job, Status } from '../../../gitlab/models';
import type { ProjectContext, Services } from '../../services';

/** A button on a message, and what it does when clicked. */
export interface MessageAction {
  title: string;
  run: () => unknown;
}

type Severity = 'info' | 'warning' | 'error';

/**
 * Shows a message without waiting for it, so the command returns its result at once (a toast's promise
 * settles only when the user dismisses it). A clicked button's failure is reported like a command's.
 */
export function notify(services: Services, severity: Severity, message: string, ...actions: MessageAction[]): void {
  void showAndRun(services, severity, message, actions);
}

async function showAndRun(services: Services, severity: Severity, message: string, actions: MessageAction[]): Promise<void> {
  const titles = actions.map((action) => action.title);
  const picked =
    severity === 'info'
      ? await vscode.window.showInformationMessage(message, ...titles)
      : severity === 'warning'
        ? await vscode.window.showWarningMessage(message, ...titles)
        : await vscode.window.showErrorMessage(message, ...titles);
  const action = actions.find((candidate) => candidate.title === picked);
  if (!action) return;
  try {
    await action.run();
  } catch (error) {
    await services.log.reportFailure(action.title, error);
  }
}

/**
 * Whether a write may be tried. A read-only (`read_api`) token is known at sign-in: saying so now beats
 * GitLab's bare 403 after the user has typed variables or confirmed.
 */
export function canWrite(services: Services, project: ProjectContext, action: string): boolean {
  if (services.accounts.find(project.instanceUrl)?.canWrite !== false) return true;
  notify(
    services,
    'error',
    vscode.l10n.t('{0}: the token for {1} can only read (read_api scope), so it can\'t do this. Sign in with a token that has the "api" scope.', action, project.instanceUrl),
    { title: vscode.l10n.t('Sign In'), run: () => vscode.commands.executeCommand('gitlabCiLens.addAccount') },
  );
  return false;
}

/** Whether automation passed `{ confirmed: true }`, which skips a modal confirmation (the test runner refuses dialogs). */
export function isConfirmed(option: unknown): boolean {
  return typeof option === 'object' && option !== null && (option as { confirmed?: unknown }).confirmed === true;
}

/** After a write: drop the cached jobs it changed and show GitLab's new state. */
export async function refreshAfterAction(services: Services, project: ProjectContext, pipelineId: number): Promise<void> {
  services.model.invalidate(project, pipelineId);
  await services.refresher.refreshNow(project);
}

/** How long a tree row that a refresh brings may take to appear: VS Code renders after the model changes. */
const RENDER_WAIT_MS = 3000;
const RENDER_POLL_MS = 100;

/**
 * Selects the first shown tree row whose id `matches`, waiting briefly for VS Code to render it (the tree
 * offers no "rendered" event). False when it does not appear.
 */
export async function revealWhenShown(services: Services, matches: (id: string) => boolean): Promise<boolean> {
  const deadline = Date.now() + RENDER_WAIT_MS;
  for (;;) {
    const id = services.tree.shownIds().find(matches);
    // VS Code may still be rendering the rows it last asked for: a row it does not know yet is tried again.
    if (id && (await services.tree.revealById(id).catch(() => false))) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, RENDER_POLL_MS));
  }
}

/** Matches the id of a row of the job, whichever pipeline (or downstream pipeline) it hangs under. */
export function isJobRowId(services: Services, jobId: number): (id: string) => boolean {
  return (id) => services.tree.jobIdOfRow(id) === jobId;
}

/** `'test' (#123)`: how messages name a job. */
export function jobTitle(job: Job | Bridge): string {
  return `'${job.name}' (#${job.id})`;
}

/**
 * GitLab answers a cancel with the object even when it could not cancel it: its status tells. Undefined
 * when nothing was canceled; newest GitLab says `canceling` while jobs still stop.
 */
export function cancelOutcome(status: Status): 'Canceled' | 'Canceling' | undefined {
  if (status === 'canceled') return 'Canceled';
  if (status === 'canceling') return 'Canceling';
  return undefined;
}

/** Opens GitLab's page for a job or pipeline. Only http(s): a `web_url` is GitLab's data, not ours to trust. */
export async function openWebUrl(webUrl: string): Promise<boolean> {
  const uri = vscode.Uri.parse(webUrl, true);
  if (uri.scheme !== 'https' && uri.scheme !== 'http') throw new Error(`GitLab gave no web address (got "${webUrl}")`);
  return vscode.env.openExternal(uri);
}
