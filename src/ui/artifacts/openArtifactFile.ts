import * as vscode from 'vscode';
import { DEFAULT_PREVIEW_MAX_BYTES } from '../../gitlab/archive/preview';
import { registerCommand } from '../commands/register';
import type { Services } from '../services';
import { ArchiveEntryNode, formatBytes } from '../tree/nodes';
import { artifactUri } from './artifactUri';

/**
 * "Open Artifact File": a file inside a job's archive opened read-only, the way VS Code opens its kind
 * (text editor, image preview, binary notice), through ArtifactFileSystem: nothing lands in the workspace.
 * The tree runs it on a click; a file over the preview cap is offered as a download instead. Returns the
 * address opened.
 */
export function registerOpenArtifactFile(services: Services): void {
  registerCommand(services, 'gitlabCiLens.openArtifactFile', 'Open artifact file', async (node: unknown): Promise<vscode.Uri | undefined> => {
    if (!(node instanceof ArchiveEntryNode) || node.type !== 'file') return undefined;
    if (node.size > DEFAULT_PREVIEW_MAX_BYTES) {
      const download = vscode.l10n.t('Download');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} is {1}, more than the {2} an editor preview reads. Download it instead?', node.path, formatBytes(node.size), formatBytes(DEFAULT_PREVIEW_MAX_BYTES)),
        download,
      );
      if (answer === download) await vscode.commands.executeCommand('gitlabCiLens.downloadArtifactFile', node);
      return undefined;
    }
    const uri = artifactUri({ instanceUrl: node.project.instanceUrl, projectPath: node.project.projectPath, jobId: node.job.id, entryPath: node.path });
    await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
    return uri;
  });
}
