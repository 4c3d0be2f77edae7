import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as vscode from 'vscode';
import type { GitLab } from '../../gitlab';
import type { Job } from '../../gitlab/models';
import { jobCapabilities } from '../../gitlab/status';
import { notify } from '../commands/actions/shared';
import { resolveJob } from '../commands/pick';
import { registerCommand } from '../commands/register';
import { prepareIgnoredFolder } from '../ignoredFolder';
import type { ProjectContext, Services } from '../services';
import { formatBytes } from '../tree/nodes';

/**
 * "Save Raw Job Log…": the log as GitLab keeps it (escape sequences and section markers included), streamed
 * to a file, by default `.gitlab/logs/<job>-<id>.log` in the workspace (a folder created when missing, with a
 * `.gitignore` of `*` so saved logs stay out of Source Control); then offers to open it. Automation:
 * `(project, job, targetPath)` skips the save dialog and gets the file's Uri back.
 */
export function registerSaveRawJobLog(services: Services): void {
  registerCommand(services, 'gitlabCiLens.saveRawJobLog', 'Save raw job log', async (...args: unknown[]): Promise<vscode.Uri | undefined> => {
    const target = await resolveJob(services, args, (job) => jobCapabilities(job).hasTrace, vscode.l10n.t('Save the log of which job?'));
    if (!target) return undefined;
    const { project, job } = target;
    const defaultFile = defaultLogFile(project, job);
    const given = args[2];
    const file =
      typeof given === 'string'
        ? vscode.Uri.file(given)
        : given instanceof vscode.Uri
          ? given
          : await vscode.window.showSaveDialog({ defaultUri: defaultFile, filters: { [vscode.l10n.t('Job logs')]: ['log'] }, saveLabel: vscode.l10n.t('Save Log') });
    if (!file) return undefined;
    if (file.scheme !== 'file') throw new Error(`Job logs can be saved to files on disk only, not to ${file.scheme}: addresses`);
    // The default folder is the extension's: kept out of Source Control even when it exists already.
    const folder = path.dirname(file.fsPath);
    await prepareIgnoredFolder(folder, { owned: defaultFile !== undefined && path.dirname(defaultFile.fsPath) === folder });
    const gitlab = await services.gitlabFor(project);
    const bytes = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Saving the log of {0} #{1}…', job.name, job.id), cancellable: true },
      (_progress, cancellation) => saveTrace(gitlab, project, job, file.fsPath, cancellation),
    );
    if (bytes === undefined) return undefined; // cancelled
    notify(services, 'info', vscode.l10n.t('Saved the log of {0} #{1} ({2}) to {3}.', job.name, job.id, formatBytes(bytes), vscode.workspace.asRelativePath(file)), {
      title: vscode.l10n.t('Open'),
      run: () => vscode.window.showTextDocument(file),
    });
    return file;
  });
}

/** `<workspace>/.gitlab/logs/<job>-<id>.log`, in the project's repository when it came from one. */
function defaultLogFile(project: ProjectContext, job: Job): vscode.Uri | undefined {
  const folder = project.repositoryRoot ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${job.name.replace(/[^\w.-]+/g, '-')}-${job.id}.log`;
  return folder && vscode.Uri.joinPath(folder, '.gitlab', 'logs', name);
}

/**
 * Streams the log into `<file>.part` and renames it into place, so a cut download never looks whole.
 * The bytes written, or undefined when cancelled.
 */
async function saveTrace(gitlab: GitLab, project: ProjectContext, job: Job, file: string, cancellation: vscode.CancellationToken): Promise<number | undefined> {
  const abort = new AbortController();
  const onCancel = cancellation.onCancellationRequested(() => abort.abort());
  const partial = `${file}.part`;
  try {
    const response = await gitlab.jobs.trace(project.projectPath, job.id, { signal: abort.signal });
    const output = createWriteStream(partial);
    await pipeline(response.body, output, { signal: abort.signal });
    await rename(partial, file);
    return output.bytesWritten;
  } catch (error) {
    await rm(partial, { force: true });
    if (abort.signal.aborted) return undefined;
    throw error;
  } finally {
    onCancel.dispose();
  }
}
