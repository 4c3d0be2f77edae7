import { z } from 'zod';
import type { ProjectRef } from '../gitlab';
import type { ArchiveSelector } from '../gitlab/artifacts';
import { ArchiveBrowser, type BrowseEntry } from '../gitlab/archive/browse';
import { findNameProblem } from '../gitlab/archive/entryNames';
import { ToolUsageError } from './output';
import { pageShape } from './schemas';
import { pageInfo } from './summaries';
import type { Answer, ToolCall, ToolContext } from './tooling';

export const artifactListingShape = {
  job_id: z.number(),
  path: z.string(),
  source: z.enum(['gitlab-tree', 'zip-central-directory']),
  entries: z.array(
    z.object({
      name: z.string(),
      path: z.string(),
      type: z.enum(['file', 'directory']),
      size: z.number().optional(),
      mode: z.string().nullish(),
      /** Why extraction would refuse the entry (`..`, an absolute path, a link...): listed, never hidden. */
      unsafe: z.string().optional(),
    }),
  ),
  ...pageShape,
};

export interface ListRequest {
  path: string;
  recursive: boolean;
  page: number;
  perPage: number;
  signal?: AbortSignal;
}

/**
 * The files and folders of a job's archive, one page at a time. GitLab lists them itself where it has the
 * tree endpoint (newest), recursion and pages included; elsewhere the archive browser reads the zip's
 * central directory (by byte ranges, else from a download kept in the cache) and the page is cut here.
 */
export async function listArtifactFiles(context: ToolContext, project: ProjectRef, jobId: number, request: ListRequest): Promise<Answer<typeof artifactListingShape>> {
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
    const entries = fromGitLab.items.map(({ name, path, type, size, mode }) => withNameProblem({ name, path: path.replace(/\/+$/, ''), type, size, mode }));
    return { job_id: jobId, path: folder, source: 'gitlab-tree', entries, ...pageInfo(fromGitLab) };
  }

  const browser = archiveBrowser(context);
  const list = (path: string) => browser.list(context.gitlab, project, jobId, path, request.signal);
  const nodes = request.recursive ? await descendants(list, folder) : await list(folder);
  if (nodes.length === 0 && folder !== '') await requireFolder(list, folder);
  const start = (request.page - 1) * request.perPage;
  const totalPages = Math.ceil(nodes.length / request.perPage);
  return {
    job_id: jobId,
    path: folder,
    source: 'zip-central-directory',
    entries: nodes.slice(start, start + request.perPage).map(withNameProblem),
    page: request.page,
    per_page: request.perPage,
    next_page: request.page < totalPages ? request.page + 1 : null,
    total: nodes.length,
    total_pages: totalPages,
  };
}

/** One file of an archive into `destFile`: GitLab's single-file endpoint, else a ranged read, else the cached archive. */
export function fetchArtifactFile(context: ToolContext, project: ProjectRef, selector: ArchiveSelector, artifactPath: string, destFile: string, call: ToolCall): Promise<{ size: number }> {
  return archiveBrowser(context).fetchFile(context.gitlab, project, selector, artifactPath, destFile, {
    signal: call.signal,
    onProgress: ({ bytes, total }) => call.progress(bytes, total, `Downloading ${artifactPath}`),
  });
}

/**
 * A browser per call: nothing it learnt can go stale between calls (artifacts get deleted and replaced),
 * while the downloads it caches on disk are keyed by the archive's ETag or size and reused.
 */
function archiveBrowser(context: ToolContext): ArchiveBrowser {
  return new ArchiveBrowser({ cacheDir: context.cacheDirectory });
}

/** Marks an entry extraction would refuse for its name alone (`..`, an absolute path...), folders implied by such names included. */
function withNameProblem<Entry extends { path: string; unsafe?: string }>(entry: Entry): Entry {
  const unsafe = entry.unsafe ?? findNameProblem(entry.path);
  return unsafe === undefined ? entry : { ...entry, unsafe };
}

/** An empty listing is an answer only for a folder that exists: a mistyped path must not look like an empty folder. */
async function requireFolder(list: (folder: string) => Promise<BrowseEntry[]>, folder: string): Promise<void> {
  const parent = folder.includes('/') ? folder.slice(0, folder.lastIndexOf('/')) : '';
  const found = (await list(parent)).find((entry) => entry.path === folder);
  if (found?.type === 'directory') return;
  throw new ToolUsageError(
    found === undefined
      ? `The archive has no folder ${folder}: list its root (path "") or a parent folder to see what it holds.`
      : `${folder} is a file, not a folder: download it with download-specific-file-artifacts-archive-2.`,
  );
}

/** Every entry below `folder`, depth first, each folder before its contents (GitLab's recursive order). */
async function descendants(list: (folder: string) => Promise<BrowseEntry[]>, folder: string): Promise<BrowseEntry[]> {
  const found: BrowseEntry[] = [];
  for (const entry of await list(folder)) {
    found.push(entry);
    if (entry.type === 'directory') found.push(...(await descendants(list, entry.path)));
  }
  return found;
}
