import * as vscode from 'vscode';
import type { ArchiveBrowser } from '../../gitlab/archive/browse';
import type { Services } from '../services';
import { ArchiveEntryNode, ArtifactNode, MessageNode, type TreeNode } from '../tree/nodes';
import type { ArchiveBrowser as TreeArchiveBrowser } from '../tree/provider';

/**
 * The tree's view into archives: an archive node lists its top level, a folder its own contents, each
 * asked for only when expanded (GitLab's tree endpoint, else ranged reads: see ArchiveBrowser). Failures
 * are the tree's to show, as an inline message.
 */
export function archiveChildren(services: Services, browser: ArchiveBrowser): TreeArchiveBrowser {
  return async (node): Promise<TreeNode[]> => {
    if (node instanceof ArtifactNode && !node.isArchive) return [];
    // Entries of one archive share its id as their parent's: their paths keep them apart.
    const archiveId = node instanceof ArchiveEntryNode ? node.parentId : `${node.parentId}:artifact:${node.artifact.file_type}`;
    const folder = node instanceof ArchiveEntryNode ? node.path : '';
    const gitlab = await services.gitlabFor(node.project);
    const entries = await browser.list(gitlab, node.project.projectPath, node.job.id, folder);
    if (entries.length === 0) return [new MessageNode(`${archiveId}:empty:${folder}`, folder ? vscode.l10n.t('Empty folder') : vscode.l10n.t('The archive is empty'), 'info')];
    return entries.map((entry) => new ArchiveEntryNode(node.project, node.job, entry.path, entry.type, entry.size, archiveId));
  };
}
