import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { type ArchiveBrowser, entryDestination } from '../../gitlab/archive/browse';
import { registerCommand } from '../commands/register';
import { prepareIgnoredFolder } from '../ignoredFolder';
import type { Services } from '../services';
import { ArchiveEntryNode } from '../tree/nodes';
import { artifactsFolder, mayWrite, prepareArtifactsRoot } from './destination';
import { withDownloadProgress } from './progress';
import { automationOptions, resolveArtifactsTarget, targetTitle } from './target';

/**
 * "Download Artifact File…": one file of a job's archive, written at its own path under the artifacts
 * folder (kept out of Source Control by its `.gitignore`), then opened when it is text or revealed otherwise. From an archive entry in the tree, or named
 * by path. Automation: `(project, job | { jobId } | { ref, job }, { path, overwrite: true })`; returns the
 * file written.
 */
export function registerDownloadArtifactFile(services: Services, browser: ArchiveBrowser): void {
  registerCommand(services, 'gitlabCiLens.downloadArtifactFile', 'Download artifact file', async (...args: unknown[]): Promise<{ file: string } | undefined> => {
    const [node] = args;
    const options = automationOptions<{ path: string; overwrite: boolean }>(args);
    const target = await resolveArtifactsTarget(services, args);
    if (!target) return undefined;
    const entryPath = node instanceof ArchiveEntryNode ? node.path : (options.path ?? (await askEntryPath(targetTitle(target))));
    if (entryPath === undefined) return undefined;
    const folder = await artifactsFolder(services, target);
    if (!folder) return undefined;
    const destination = entryDestination(folder.path, entryPath);
    if (!(await mayWrite(destination, entryPath, options.overwrite))) return undefined;

    await prepareArtifactsRoot(folder);
    await prepareIgnoredFolder(folder.path, { owned: true });
    const gitlab = await services.gitlabFor(target.project);
    const file = await withDownloadProgress(vscode.l10n.t('Downloading {0} from the artifacts of {1}', entryPath, targetTitle(target)), (signal, onProgress) =>
      browser.fetchFile(gitlab, target.project.projectPath, target.selector, entryPath, destination, { signal, onProgress }),
    );
    services.log.info(`Downloaded ${entryPath} (${file.size} bytes, by ${file.source}) from the artifacts of ${targetTitle(target)} to ${file.path}`);
    await show(vscode.Uri.file(file.path));
    return { file: file.path };
  });
}

function askEntryPath(title: string): Thenable<string | undefined> {
  return vscode.window
    .showInputBox({
      prompt: vscode.l10n.t('Path of the file inside the artifacts of {0}', title),
      placeHolder: vscode.l10n.t('e.g. reports/junit.xml'),
      validateInput: (value) => (value.trim().replace(/^\/+/, '') ? undefined : vscode.l10n.t('Name a file inside the archive')),
    })
    .then((value) => value?.trim().replace(/^\/+/, ''));
}

/** Text opens in an editor; anything else is shown where it lies. */
async function show(uri: vscode.Uri): Promise<void> {
  if (await looksLikeText(uri.fsPath)) {
    await vscode.window.showTextDocument(uri, { preview: true });
  } else if (vscode.workspace.getWorkspaceFolder(uri)) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
  } else {
    await vscode.commands.executeCommand('revealFileInOS', uri);
  }
}

const SNIFF_BYTES = 8192;

/** No NUL byte and valid UTF-8 in the first few kilobytes (a character cut at the end is fine). */
export async function looksLikeText(filePath: string): Promise<boolean> {
  const handle = await open(filePath, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.includes(0)) return false;
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}
