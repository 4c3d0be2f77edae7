// Safe extraction of a whole artifacts archive: judge every entry first, then write into a hidden
// sibling folder, then rename it into place. After any error or abort nothing of it remains.

import { chmod, mkdir, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ZipFile } from 'yauzl';
import { DIRECTORY_MODE, writeEntryData } from './entryData';
import { DestinationExistsError, UnsafeArchiveError } from './errors';
import { checkEntryLimits, checkTotalBytes, resolveLimits, type ExtractionLimits, type SizedEntry } from './limits';
import { openZipFile } from './localZip';
import { ensureDirectory, moveIntoPlace, pathExists, siblingTempPath } from './placement';
import { readEntryRecords, type ZipEntryRecord } from './zipEntries';

export interface ExtractProgress {
  readonly entriesDone: number;
  readonly entriesTotal: number;
  readonly bytesWritten: number;
}

export interface ExtractOptions {
  readonly limits?: Partial<ExtractionLimits>;
  /** Replace an existing destDir (only once the new one is complete); otherwise it is an error. */
  readonly overwrite?: boolean;
  readonly signal?: AbortSignal;
  /** After each entry, and every PROGRESS_STEP_BYTES within large ones. */
  readonly onProgress?: (progress: ExtractProgress) => void;
}

export interface ExtractedEntry {
  /** "/"-separated, relative to destDir. */
  readonly path: string;
  readonly type: 'file' | 'directory';
  readonly size: number;
}

export interface ExtractResult {
  readonly entries: ExtractedEntry[];
  readonly totalBytes: number;
  /** Absolute. */
  readonly destDir: string;
}

const PROGRESS_STEP_BYTES = 1024 * 1024;

/**
 * Extracts `zipPath` into `destDir`. Rejects with UnsafeArchiveError (nothing written) or
 * DestinationExistsError, with the signal's reason when aborted, or with the file system's error.
 */
export async function extractArchive(zipPath: string, destDir: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const target = resolve(destDir);
  const limits = resolveLimits(options.limits);
  options.signal?.throwIfAborted();
  if (options.overwrite !== true && (await pathExists(target))) throw new DestinationExistsError(target);

  const zipfile = await openZipFile(zipPath, options.signal);
  try {
    const records = await readEntryRecords(zipfile, { maxEntries: limits.maxEntries, signal: options.signal });
    const totalBytes = checkBeforeWriting(records, limits);
    const undoParents = await ensureDirectory(dirname(target));
    const staging = siblingTempPath(target, 'partial');
    try {
      // Private while incomplete; opened up just before it becomes visible.
      await mkdir(staging, { mode: 0o700 });
      const entries = await writeEntries(zipfile, records, staging, options);
      await chmod(staging, DIRECTORY_MODE);
      await moveIntoPlace(staging, target, options.overwrite === true);
      return { entries, totalBytes, destDir: target };
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      await undoParents();
      throw error;
    }
  } finally {
    zipfile.close();
  }
}

/** Throws for the first unsafe entry in archive order, then for limits; returns the declared total. */
function checkBeforeWriting(records: readonly ZipEntryRecord[], limits: ExtractionLimits): number {
  const sized: SizedEntry[] = [];
  for (const record of records) {
    const { unsafe, size, compressedSize } = record.entry;
    if (unsafe !== undefined) {
      throw new UnsafeArchiveError(unsafe, record.name, record.unsafeDetail === undefined ? {} : { detail: record.unsafeDetail });
    }
    const entry = { name: record.name, size, compressedSize };
    checkEntryLimits(entry, limits);
    sized.push(entry);
  }
  return checkTotalBytes(sized, limits);
}

async function writeEntries(
  zipfile: ZipFile, records: readonly ZipEntryRecord[], staging: string, options: ExtractOptions,
): Promise<ExtractedEntry[]> {
  const progress = { entriesDone: 0, entriesTotal: records.length, bytesWritten: 0 };
  let reportedBytes = 0;
  const report = (): void => {
    reportedBytes = progress.bytesWritten;
    options.onProgress?.({ ...progress });
  };
  const onBytes = (byteCount: number): void => {
    progress.bytesWritten += byteCount;
    if (progress.bytesWritten - reportedBytes >= PROGRESS_STEP_BYTES) report();
  };

  const createdDirectories = new Set<string>([staging]);
  const ensureDirectoryInStaging = async (dir: string): Promise<void> => {
    if (createdDirectories.has(dir)) return;
    await ensureDirectoryInStaging(dirname(dir));
    await mkdir(dir);
    await chmod(dir, DIRECTORY_MODE);
    createdDirectories.add(dir);
  };

  const extracted: ExtractedEntry[] = [];
  for (const record of records) {
    options.signal?.throwIfAborted();
    const { path, type, size } = record.entry;
    const destination = insideStaging(staging, path);
    if (type === 'directory') {
      await ensureDirectoryInStaging(destination);
    } else {
      await ensureDirectoryInStaging(dirname(destination));
      await writeEntryData(zipfile, record, destination, { signal: options.signal, onBytes });
    }
    extracted.push({ path, type, size });
    progress.entriesDone++;
    report();
  }
  return extracted;
}

/** Names were judged safe already; this re-derives containment from the actual path as a last line of defence. */
function insideStaging(staging: string, entryPath: string): string {
  const destination = join(staging, ...entryPath.split('/'));
  const relation = relative(staging, destination);
  if (relation === '' || isAbsolute(relation) || relation.split(sep)[0] === '..') {
    throw new Error(`Refusing to write ${JSON.stringify(entryPath)} outside ${staging}: the name check missed it.`);
  }
  return destination;
}
