import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ProjectRef } from '../gitlab';
import { type ArchiveEntry, ArchiveTree, type ArchiveTreeNode, listLocalZip, listRemoteZip } from '../gitlab/archive';
import { pathExists } from '../gitlab/archive/placement';
import { streamToFile } from './downloads';
import { pageInfo } from './summaries';
import type { ToolContext } from './tooling';

export interface ListRequest {
  path: string;
  recursive: boolean;
  page: number;
  perPage: number;
  signal?: AbortSignal;
}

/**
 * The files and folders of a job's archive, one page at a time. GitLab lists them itself where it has the
 * tree endpoint (newest); elsewhere the zip's central directory is read, by byte ranges where the storage
 * serves them, else from a copy downloaded once into the cache (keyed by the archive's ETag or size).
 */
export async function listArtifactFiles(context: ToolContext, project: ProjectRef, jobId: number, request: ListRequest): Promise<Record<string, unknown>> {
  const folder = request.path.replace(/^\/+|\/+$/g, '');
  const fromGitLab = await context.gitlab.artifacts.tree(project, jobId, {
    path: folder || undefined,
    recursive: request.recursive,
    page: request.page,
    perPage: request.perPage,
    signal: request.signal,
  });
  if (fromGitLab) {
    // GitLab ends folder paths with "/"; the other sources do not.
    const entries = fromGitLab.items.map(({ name, path, type, size, mode }) => ({ name, path: path.replace(/\/+$/, ''), type, size, mode }));
    return { job_id: jobId, path: folder, source: 'gitlab-tree', entries, ...pageInfo(fromGitLab) };
  }

  const { entries, source } = await archiveEntries(context, project, jobId, request.signal);
  const tree = new ArchiveTree(entries);
  const nodes = request.recursive ? descendants(tree, folder) : tree.children(folder);
  const start = (request.page - 1) * request.perPage;
  const pageItems = nodes.slice(start, start + request.perPage).map(describeNode);
  const totalPages = Math.ceil(nodes.length / request.perPage);
  return {
    job_id: jobId,
    path: folder,
    source,
    entries: pageItems,
    page: request.page,
    per_page: request.perPage,
    next_page: request.page < totalPages ? request.page + 1 : null,
    total: nodes.length,
    total_pages: totalPages,
  };
}

async function archiveEntries(context: ToolContext, project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<{ entries: ArchiveEntry[]; source: string }> {
  const { artifacts } = context.gitlab;
  const location = await artifacts.locateArchive(project, { jobId }, signal);
  if (location.rangeReads) {
    const read = (start: number, endExclusive: number, readSignal?: AbortSignal) => artifacts.readRange(location, start, endExclusive, readSignal);
    return { entries: await listRemoteZip(read, location.size, signal), source: 'ranged-read' };
  }
  const identity = [context.gitlab.client.instanceUrl.href, String(project), jobId, location.etag ?? location.size].join('\n');
  const cachedZip = join(context.cacheDirectory, `${createHash('sha256').update(identity).digest('hex')}.zip`);
  if (!(await pathExists(cachedZip))) await streamToFile(await artifacts.downloadArchive(project, { jobId }, signal), cachedZip, signal);
  return { entries: await listLocalZip(cachedZip, { signal }), source: 'downloaded-archive' };
}

/** Every node below `folder`, depth first, each folder before its contents (GitLab's recursive order). */
function descendants(tree: ArchiveTree, folder: string): ArchiveTreeNode[] {
  return tree.children(folder).flatMap((node) => (node.type === 'directory' ? [node, ...descendants(tree, node.path)] : [node]));
}

function describeNode(node: ArchiveTreeNode): Record<string, unknown> {
  const mode = node.entry?.mode;
  return {
    name: node.name,
    path: node.path,
    type: node.type,
    size: node.size,
    ...(mode === undefined ? {} : { mode: (mode & 0o777777).toString(8).padStart(6, '0') }),
    ...(node.unsafe ? { unsafe: node.unsafe } : {}),
  };
}
