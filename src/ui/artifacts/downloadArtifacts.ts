import * as vscode from 'vscode';
import { downloadArchiveInto } from '../../gitlab/archive/download';
import { notify } from '../commands/actions/shared';
import { registerCommand } from '../commands/register';
import { prepareIgnoredFolder } from '../ignoredFolder';
import type { Services } from '../services';
import { artifactsFolder, displayPath, mayWrite, prepareArtifactsRoot } from './destination';
import { withDownloadProgress } from './progress';
import { automationOptions, resolveArtifactsTarget, targetTitle } from './target';

export interface DownloadedArtifacts {
  /** Absolute. */
  folder: string;
  /** Absolute; only with `gitlabCiLens.artifacts.keepZip`. */
  zipFile?: string;
  files: number;
}

/**
 * "Download Artifacts…": the job's archive, downloaded and extracted into the folder the settings name;
 * that folder and the artifacts root get a `.gitignore` of `*` so they stay out of Source Control.
 * Automation: `(project, job | { jobId } | { ref, job }, { overwrite: true })`; returns what was written.
 */
export function registerDownloadArtifacts(services: Services): void {
  registerCommand(services, 'gitlabCiLens.downloadArtifacts', 'Download artifacts', async (...args: unknown[]): Promise<DownloadedArtifacts | undefined> => {
    const target = await resolveArtifactsTarget(services, args);
    if (!target) return undefined;
    const destination = await artifactsFolder(services, target);
    if (!destination || !(await mayWrite(destination.path, vscode.l10n.t('The artifacts folder'), automationOptions<{ overwrite: boolean }>(args).overwrite))) return undefined;
    await prepareArtifactsRoot(destination);
    const gitlab = await services.gitlabFor(target.project);
    const title = targetTitle(target);
    const result = await withDownloadProgress(vscode.l10n.t('Downloading the artifacts of {0}', title), (signal, onProgress) =>
      downloadArchiveInto(gitlab, target.project.projectPath, target.selector, destination.path, {
        overwrite: true, // asked above
        keepZip: services.settings.keepArtifactZip,
        expectedSize: target.job?.artifacts_file?.size,
        signal,
        onProgress,
      }),
    );
    // After placement: a whole download replaces the folder.
    await prepareIgnoredFolder(result.destDir, { owned: true });
    const files = result.entries.filter((entry) => entry.type === 'file').length;
    services.log.info(`Downloaded the artifacts of ${title} (${result.archiveBytes} bytes, ${files} files) to ${result.destDir}`);
    const downloaded = files === 1 ? vscode.l10n.t('Downloaded 1 file of {0} to {1}.', title, displayPath(result.destDir)) : vscode.l10n.t('Downloaded {0} files of {1} to {2}.', files, title, displayPath(result.destDir));
    announce(services, downloaded, result.destDir);
    return { folder: result.destDir, ...(result.zipFile === undefined ? {} : { zipFile: result.zipFile }), files };
  });
}

function announce(services: Services, message: string, folder: string): void {
  const uri = vscode.Uri.file(folder);
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  notify(
    services,
    'info',
    message,
    ...(inWorkspace ? [{ title: vscode.l10n.t('Reveal in Explorer'), run: () => vscode.commands.executeCommand('revealInExplorer', uri) }] : []),
    { title: vscode.l10n.t('Open Folder'), run: () => vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true }) },
  );
}
