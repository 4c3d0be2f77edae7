// One file of a job's archive read into memory, for a read-only editor. The entry is found in its folder's
// listing first, so a file over the cap is refused before a byte of it moves; then it is fetched the cheapest
// way ArchiveBrowser knows (single-file endpoint, else a ranged read) into a private temporary folder outside
// any workspace, read back and removed.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectRef } from '../models';
import type { ArchiveBrowser, BrowsedGitLab, BrowseEntry } from './browse';
import { ArchiveEntryNotFoundError } from './errors';

/** What a preview reads at most unless told otherwise: editors slow down well before this anyway. */
export const DEFAULT_PREVIEW_MAX_BYTES = 20 * 1024 * 1024;

export class ArchiveEntryTooLargeError extends Error {
  override readonly name = 'ArchiveEntryTooLargeError';

  constructor(readonly entryPath: string, readonly size: number, readonly maxBytes: number) {
    super(`${entryPath} is ${megabytes(size)}, more than the ${megabytes(maxBytes)} a preview reads. Download it instead (Download Artifact File…).`);
  }
}

/** The archive's root as an entry, so callers can treat '' like any folder. */
const ROOT: BrowseEntry = { name: '', path: '', type: 'directory', size: 0 };

/** The entry at `entryPath` ('' for the root), from its folder's listing; undefined when there is none. */
export async function findArchiveEntry(browser: ArchiveBrowser, gitlab: BrowsedGitLab, project: ProjectRef, jobId: number, entryPath: string, signal?: AbortSignal): Promise<BrowseEntry | undefined> {
  const wanted = entryPath.replace(/^\/+|\/+$/g, '');
  if (wanted === '') return ROOT;
  const folder = wanted.includes('/') ? wanted.slice(0, wanted.lastIndexOf('/')) : '';
  const siblings = await browser.list(gitlab, project, jobId, folder, signal);
  return siblings.find((entry) => entry.path === wanted);
}

export interface ReadEntryOptions {
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

/**
 * The bytes of the file `entryPath`. Rejects with ArchiveEntryNotFoundError (missing, or a folder),
 * ArchiveEntryTooLargeError (over `maxBytes`, checked before fetching), or what fetching raises.
 */
export async function readArchiveEntry(browser: ArchiveBrowser, gitlab: BrowsedGitLab, project: ProjectRef, jobId: number, entryPath: string, options: ReadEntryOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? DEFAULT_PREVIEW_MAX_BYTES;
  const entry = await findArchiveEntry(browser, gitlab, project, jobId, entryPath, options.signal);
  if (entry === undefined || entry.type === 'directory') throw new ArchiveEntryNotFoundError(entryPath, entry !== undefined);
  if (entry.size > maxBytes) throw new ArchiveEntryTooLargeError(entry.path, entry.size, maxBytes);
  const folder = await mkdtemp(join(tmpdir(), 'gitlab-ci-lens-preview-'));
  try {
    // The listed size bounds what the single-file endpoint may send; the other ways check the zip's own.
    const fetched = await browser.fetchFile(gitlab, project, { jobId }, entry.path, join(folder, 'entry'), { signal: options.signal, expectedSize: entry.size });
    if (fetched.size > maxBytes) throw new ArchiveEntryTooLargeError(entry.path, fetched.size, maxBytes);
    return await readFile(fetched.path);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
