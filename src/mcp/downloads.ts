import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Download } from '../gitlab/artifacts';
import { type ArchiveEntry, extractArchive, listLocalZip } from '../gitlab/archive';
import { entryDestination } from '../gitlab/archive/browse';
import { type DownloadProgress, downloadToFile } from '../gitlab/archive/download';
import { findNameProblem } from '../gitlab/archive/entryNames';
import { siblingTempPath } from '../gitlab/archive/placement';
import { ToolUsageError } from './output';
import type { entryListingShape, savedArchiveShape, savedFileShape } from './schemas';
import type { Answer, ToolCall } from './tooling';

/** Files at most this large that are text come back inline as well as on disk. */
export const INLINE_TEXT_LIMIT = 64 * 1024;
/** Entries listed in a download's answer; the rest are counted, not listed. */
const LISTED_ENTRIES = 200;

export interface SaveOptions {
  /** The caller's folder; a new temporary one when absent. */
  directory?: string;
  overwrite: boolean;
  signal?: AbortSignal;
  progress?: ToolCall['progress'];
}

/**
 * An artifacts archive, streamed to disk and checked (size, sha256 ETag). Extracted (every entry judged
 * before anything is written) into the folder, or kept there as a zip; the answer lists entries, never contents.
 */
export async function saveArchive(download: Download, options: SaveOptions & { extract: boolean }): Promise<Answer<typeof savedArchiveShape>> {
  const directory = await targetDirectory(options.directory);
  const { signal, progress } = options;
  const onProgress = progress && (({ bytes, total }: DownloadProgress) => progress(bytes, total, 'Downloading the artifacts archive'));
  if (!options.extract) {
    const zipPath = join(directory, safeFileName(download.filename) ?? 'artifacts.zip');
    await refuseExisting(zipPath, options.overwrite);
    const zip = await downloadToFile(download, zipPath, { signal, onProgress });
    return { zip_path: zip.path, archive_bytes: zip.size, ...listing(await listLocalZip(zip.path, { signal })) };
  }
  const replace = await mayReplace(directory, options.overwrite);
  // Beside the destination: the same file system, and no gigabytes in a RAM-backed /tmp.
  const zipPath = siblingTempPath(`${directory}.zip`, 'partial');
  try {
    const zip = await downloadToFile(download, zipPath, { signal, onProgress });
    // Progress only ever grows: extraction counts on from the downloaded bytes, one step an entry.
    const result = await extractArchive(zip.path, directory, {
      overwrite: replace,
      signal,
      onProgress: progress && (({ entriesDone, entriesTotal }) => progress(zip.size + entriesDone, zip.size + entriesTotal, 'Extracting the artifacts archive')),
    });
    return { directory: result.destDir, archive_bytes: zip.size, extracted_bytes: result.totalBytes, ...listing(result.entries) };
  } finally {
    await rm(zipPath, { force: true });
  }
}

/**
 * One file from an archive, written by `fetch` at its own relative path under the folder; small text
 * files come back inline too.
 */
export async function saveArtifactFile(
  artifactPath: string,
  options: SaveOptions,
  fetch: (destFile: string) => Promise<{ size: number }>,
): Promise<Answer<typeof savedFileShape>> {
  const directory = await targetDirectory(options.directory);
  const filePath = entryDestination(directory, artifactPath);
  await refuseExisting(filePath, options.overwrite);
  const { size } = await fetch(filePath);
  const content = size <= INLINE_TEXT_LIMIT ? await readText(filePath) : undefined;
  return { path: filePath, size, ...(content === undefined ? {} : { content }) };
}

/** A compact listing: the first entries, and how many more there are. */
export function listing(entries: readonly Pick<ArchiveEntry, 'path' | 'type' | 'size' | 'unsafe'>[]): Answer<typeof entryListingShape> {
  return {
    entry_count: entries.length,
    file_count: entries.filter((entry) => entry.type === 'file').length,
    entries: entries.slice(0, LISTED_ENTRIES).map(({ path, type, size, unsafe }) => ({ path, type, size, ...(unsafe ? { unsafe } : {}) })),
    ...(entries.length > LISTED_ENTRIES ? { entries_not_listed: entries.length - LISTED_ENTRIES } : {}),
  };
}

async function targetDirectory(directory: string | undefined): Promise<string> {
  if (directory === undefined) return mkdtemp(join(tmpdir(), 'gitlab-artifacts-'));
  return resolve(directory);
}

/** An empty folder (a fresh temporary one included) is simply replaced; one with contents only when asked. */
async function mayReplace(directory: string, overwrite: boolean): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new ToolUsageError(`${directory} is a file, not a folder.`);
    throw error;
  }
  if (names.length > 0 && !overwrite) {
    throw new ToolUsageError(`${directory} is not empty: pass overwrite: true to replace what it holds, or name another directory.`);
  }
  return true;
}

async function refuseExisting(filePath: string, overwrite: boolean): Promise<void> {
  if (overwrite) return;
  const existing = await stat(filePath).catch(() => undefined);
  if (existing) throw new ToolUsageError(`${filePath} already exists: pass overwrite: true to replace it, or name another directory.`);
}

/** `a.zip` from a Content-Disposition, never a path: a server must not choose where files go. */
function safeFileName(name: string | undefined): string | undefined {
  return name !== undefined && !name.includes('/') && findNameProblem(name) === undefined ? name : undefined;
}

/** The file's text when it is valid UTF-8 without NUL bytes (binary files are only named, not inlined). */
async function readText(filePath: string): Promise<string | undefined> {
  const bytes = await readFile(filePath);
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
