// An opened zip whose central directory has been read once: list it, then extract single files
// without reading it again. Local (localZip.ts) and remote (remoteZip.ts) archives share this.

import { rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ZipFile } from 'yauzl';
import { writeEntryData } from './entryData';
import { concernsOnlyWhereToWrite } from './entryNames';
import { ArchiveEntryNotFoundError, UnsafeArchiveError } from './errors';
import { checkEntryLimits, DEFAULT_LIMITS } from './limits';
import { ensureDirectory, siblingTempPath } from './placement';
import { readEntryRecords, type ArchiveEntry, type ZipEntryRecord } from './zipEntries';

export interface OpenArchiveOptions {
  readonly signal?: AbortSignal;
  /** Refuse archives with more entries; defaults to DEFAULT_LIMITS.maxEntries. */
  readonly maxEntries?: number;
}

export interface ExtractEntryOptions {
  readonly signal?: AbortSignal;
  /** Refuse a larger entry; defaults to DEFAULT_LIMITS.maxEntryBytes. */
  readonly maxBytes?: number;
}

/** Where a reader takes the abort signal of the operation in progress (see `ZipArchive.exclusive`). */
export interface OperationSignal {
  current: AbortSignal | undefined;
}

export class ZipArchive {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly zipfile: ZipFile,
    private readonly records: readonly ZipEntryRecord[],
    private readonly operationSignal: OperationSignal,
  ) {}

  /** Takes ownership of `zipfile` (opened with YAUZL_OPTIONS) and closes it if reading fails. */
  static async read(zipfile: ZipFile, operationSignal: OperationSignal, options: OpenArchiveOptions = {}): Promise<ZipArchive> {
    operationSignal.current = options.signal;
    try {
      const records = await readEntryRecords(zipfile, { maxEntries: options.maxEntries ?? DEFAULT_LIMITS.maxEntries, signal: options.signal });
      return new ZipArchive(zipfile, records, operationSignal);
    } catch (error) {
      zipfile.close();
      throw error;
    }
  }

  /** Every entry in archive order, unsafe ones flagged. */
  get entries(): ArchiveEntry[] {
    return this.records.map((record) => ({ ...record.entry }));
  }

  /**
   * Writes the file entry `entryPath` (as in `entries`) to `destFile`, replacing it, via a temporary
   * sibling so that nothing partial is ever left. An unsafe name is no reason to refuse here: the
   * caller chose where the bytes go. Unsafe content (links, encryption, damage) still is.
   */
  extractEntry(entryPath: string, destFile: string, options: ExtractEntryOptions = {}): Promise<{ size: number }> {
    return this.exclusive(options.signal, async () => {
      const record = this.findFile(entryPath);
      const { unsafe } = record.entry;
      if (unsafe !== undefined && !concernsOnlyWhereToWrite(unsafe)) {
        throw new UnsafeArchiveError(unsafe, record.name, record.unsafeDetail === undefined ? {} : { detail: record.unsafeDetail });
      }
      checkEntryLimits({ name: record.name, size: record.entry.size, compressedSize: record.entry.compressedSize },
        { ...DEFAULT_LIMITS, maxEntryBytes: options.maxBytes ?? DEFAULT_LIMITS.maxEntryBytes });

      const target = resolve(destFile);
      const undoParents = await ensureDirectory(dirname(target));
      const staging = siblingTempPath(target, 'partial');
      try {
        await writeEntryData(this.zipfile, record, staging, { signal: options.signal });
        await rename(staging, target);
      } catch (error) {
        await rm(staging, { force: true });
        await undoParents();
        throw error;
      }
      return { size: record.entry.size };
    });
  }

  close(): void {
    this.zipfile.close();
  }

  private findFile(entryPath: string): ZipEntryRecord {
    const matches = this.records.filter((record) => record.entry.path === entryPath);
    const files = matches.filter((record) => record.entry.type === 'file');
    if (files.length === 0) throw new ArchiveEntryNotFoundError(entryPath, matches.length > 0);
    if (files.length > 1) throw new UnsafeArchiveError('duplicate-name', files[1].name);
    return files[0];
  }

  /** Runs operations one at a time, so the reader knows whose abort signal to pass on. */
  private exclusive<T>(signal: AbortSignal | undefined, operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      signal?.throwIfAborted();
      this.operationSignal.current = signal;
      return operation();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }
}
