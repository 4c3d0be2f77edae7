// Streams one entry's data to a new file. yauzl checks neither CRC-32 nor (with validateEntrySizes off)
// sizes, so this does both while the bytes pass: a header that understates the size is caught on the
// first byte past it, before a bomb can fill the disk.

import { createWriteStream } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import type { ZipFile } from 'yauzl';
import { asArchiveError, UnsafeArchiveError } from './errors';
import type { ArchiveEntry, ZipEntryRecord } from './zipEntries';

export const DIRECTORY_MODE = 0o755;

/** 0644, or 0755 when the archive marks the file executable for anyone. */
export function fileModeFor(entry: ArchiveEntry): number {
  return ((entry.mode ?? 0) & 0o111) !== 0 ? 0o755 : 0o644;
}

export interface WriteEntryOptions {
  readonly signal?: AbortSignal;
  readonly onBytes?: (byteCount: number) => void;
}

/** Writes the entry to `filePath`, which must not exist yet. On error the caller removes the file. */
export async function writeEntryData(zipfile: ZipFile, record: ZipEntryRecord, filePath: string, options: WriteEntryOptions = {}): Promise<void> {
  const mode = fileModeFor(record.entry);
  try {
    const source = await zipfile.openReadStreamPromise(record.zipEntry);
    await pipeline(source, new EntryDataCheck(record, options.onBytes), createWriteStream(filePath, { flags: 'wx', mode }), { signal: options.signal });
  } catch (error) {
    options.signal?.throwIfAborted();
    throw asArchiveError(error, record.name);
  }
  // The umask may have narrowed the mode given at creation.
  await chmod(filePath, mode);
}

class EntryDataCheck extends Transform {
  private byteCount = 0;
  private crc = 0;

  constructor(private readonly record: ZipEntryRecord, private readonly onBytes: ((byteCount: number) => void) | undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.byteCount += chunk.length;
    const declared = this.record.entry.size;
    if (this.byteCount > declared) {
      callback(new UnsafeArchiveError('size-mismatch', this.record.name, { detail: `inflates past the ${declared} bytes declared` }));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    this.onBytes?.(chunk.length);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { size } = this.record.entry;
    const expectedCrc = this.record.zipEntry.crc32;
    if (this.byteCount !== size) {
      callback(new UnsafeArchiveError('size-mismatch', this.record.name, { detail: `${this.byteCount} of the ${size} bytes declared` }));
    } else if (this.crc !== expectedCrc) {
      callback(new UnsafeArchiveError('crc-mismatch', this.record.name, { detail: `${hex(this.crc)}, expected ${hex(expectedCrc)}` }));
    } else {
      callback();
    }
  }
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}
