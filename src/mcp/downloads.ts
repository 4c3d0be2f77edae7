import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Download } from '../gitlab/artifacts';
import { type ArchiveEntry, extractArchive, listLocalZip } from '../gitlab/archive';
import { findNameProblem } from '../gitlab/archive/entryNames';
import { ToolUsageError } from './output';

/** Files at most this large that are text come back inline as well as on disk. */
export const INLINE_TEXT_LIMIT = 64 * 1024;
/** Entries listed in a download's answer; the rest are counted, not listed. */
const LISTED_ENTRIES = 200;

export interface SaveOptions {
  /** The caller's folder; a new temporary one when absent. */
  directory?: string;
  overwrite: boolean;
  signal?: AbortSignal;
}

/**
 * An artifacts archive, streamed to disk. Extracted (every entry judged before anything is written) into
 * the folder, or kept there as a zip; the answer lists entries, never contents.
 */
export async function saveArchive(download: Download, options: SaveOptions & { extract: boolean }): Promise<Record<string, unknown>> {
  const directory = await targetDirectory(options.directory);
  if (!options.extract) {
    const zipPath = join(directory, safeFileName(download.filename) ?? 'artifacts.zip');
    await refuseExisting(zipPath, options.overwrite);
    const archiveBytes = await streamToFile(download, zipPath, options.signal);
    return { zip_path: zipPath, archive_bytes: archiveBytes, ...listing(await listLocalZip(zipPath, { signal: options.signal })) };
  }
  const replace = await mayReplace(directory, options.overwrite);
  const scratch = await mkdtemp(join(tmpdir(), 'gitlab-mcp-zip-'));
  try {
    const zipPath = join(scratch, 'artifacts.zip');
    const archiveBytes = await streamToFile(download, zipPath, options.signal);
    const result = await extractArchive(zipPath, directory, { overwrite: replace, signal: options.signal });
    return { directory: result.destDir, archive_bytes: archiveBytes, extracted_bytes: result.totalBytes, ...listing(result.entries) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** One file from an archive, written at its own relative path under the folder; small text files inline too. */
export async function saveArtifactFile(download: Download, artifactPath: string, options: SaveOptions): Promise<Record<string, unknown>> {
  const problem = findNameProblem(artifactPath);
  if (problem !== undefined) {
    download.body.destroy();
    throw new ToolUsageError(`artifact_path ${JSON.stringify(artifactPath)} is not a plain relative path (${problem}).`);
  }
  const directory = await targetDirectory(options.directory);
  const filePath = join(directory, ...artifactPath.split('/'));
  await refuseExisting(filePath, options.overwrite);
  const size = await streamToFile(download, filePath, options.signal);
  const content = size <= INLINE_TEXT_LIMIT ? await readText(filePath) : undefined;
  return { path: filePath, size, ...(content === undefined ? {} : { content }) };
}

/** Streams the body to `filePath` through a hidden sibling, so a failed download never leaves a partial file. */
export async function streamToFile(download: Download, filePath: string, signal?: AbortSignal): Promise<number> {
  await mkdir(dirname(filePath), { recursive: true });
  const partial = join(dirname(filePath), `.${basename(filePath)}.partial-${randomBytes(6).toString('hex')}`);
  let bytes = 0;
  try {
    await pipeline(
      download.body,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          bytes += chunk.byteLength;
          yield chunk;
        }
      },
      createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
      { signal },
    );
    await rename(partial, filePath);
    return bytes;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** A compact listing: the first entries, and how many more there are. */
export function listing(entries: readonly Pick<ArchiveEntry, 'path' | 'type' | 'size' | 'unsafe'>[]): Record<string, unknown> {
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
