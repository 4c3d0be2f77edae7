// Zips read by byte ranges (object storage answering Range requests): listing reads only the end of
// the file and the central directory, extracting one entry reads only its local header and data.

import { PassThrough, pipeline, Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { asArchiveError, markAsCallerError } from './errors';
import { ZipArchive, type ExtractEntryOptions, type OpenArchiveOptions, type OperationSignal } from './zipArchive';
import { YAUZL_OPTIONS, type ArchiveEntry } from './zipEntries';

/** Streams bytes [start, endExclusive) of the archive, e.g. with an HTTP `Range: bytes=start-(endExclusive-1)`. */
export type RangeReader = (start: number, endExclusive: number, signal?: AbortSignal) => Promise<NodeJS.ReadableStream | Readable>;

export async function openRemoteZip(read: RangeReader, totalSize: number, options: OpenArchiveOptions = {}): Promise<ZipArchive> {
  const reader = new RangeReaderAdapter(read, totalSize);
  reader.operationSignal.current = options.signal;
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await yauzl.fromRandomAccessReaderPromise(reader, totalSize, YAUZL_OPTIONS);
  } catch (error) {
    options.signal?.throwIfAborted();
    throw asArchiveError(error);
  }
  return ZipArchive.read(zipfile, reader.operationSignal, options);
}

export async function listRemoteZip(read: RangeReader, totalSize: number, signal?: AbortSignal): Promise<ArchiveEntry[]> {
  const archive = await openRemoteZip(read, totalSize, { signal });
  archive.close();
  return archive.entries;
}

/** One-off extraction; to extract several entries, or after listing, keep an `openRemoteZip` instead. */
export async function extractRemoteEntry(
  read: RangeReader, totalSize: number, entryPath: string, destFile: string, options: ExtractEntryOptions = {},
): Promise<{ size: number }> {
  const archive = await openRemoteZip(read, totalSize, { signal: options.signal });
  try {
    return await archive.extractEntry(entryPath, destFile, options);
  } finally {
    archive.close();
  }
}

// yauzl walks the central directory with two small reads per entry; one request each would be
// thousands of round trips. Reads that continue where the previous one ended fetch this much ahead.
const READ_AHEAD_BYTES = 1024 * 1024;
// Besides the window at the end of the file (kept: it holds the end of the central directory, which
// yauzl reaches last), the latest windows; a read may straddle the last two.
const RECENT_WINDOWS = 2;

interface Window {
  readonly start: number;
  readonly data: Buffer;
}

class RangeReaderAdapter extends yauzl.RandomAccessReader {
  readonly operationSignal: OperationSignal = { current: undefined };
  private endWindow: Window | undefined;
  private recentWindows: Window[] = [];
  private previousReadEnd = -1;

  constructor(private readonly readRange: RangeReader, private readonly totalSize: number) {
    super();
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (error: Error | null) => void): void {
    this.bytesAt(position, length).then(
      (bytes) => {
        bytes.copy(buffer, offset);
        callback(null);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const cached = this.cachedSlice(start, end);
    if (cached !== undefined) return Readable.from([cached], { objectMode: false });
    const output = new PassThrough();
    this.openRange(start, end).then(
      (source) => {
        source.on('error', markAsCallerError);
        // Errors reach yauzl through `output`; destroying `output` (an abort) destroys `source`.
        pipeline(source, output, () => undefined);
      },
      (error: unknown) => output.destroy(error as Error),
    );
    return output;
  }

  private async bytesAt(position: number, length: number): Promise<Buffer> {
    const end = position + length;
    const sequential = position === this.previousReadEnd;
    this.previousReadEnd = end;
    const { pieces, uncachedFrom } = this.cachedPrefix(position, end);
    if (uncachedFrom === end) return concat(pieces);
    // Continuing where the previous read ended is yauzl walking the central directory: read ahead.
    const fetchEnd = sequential ? this.readAheadEnd(uncachedFrom, end) : end;
    const data = await this.fetch(uncachedFrom, fetchEnd);
    this.remember({ start: uncachedFrom, data });
    return concat([...pieces, data.subarray(0, end - uncachedFrom)]);
  }

  private remember(window: Window): void {
    if (window.start + window.data.length === this.totalSize) {
      this.endWindow = window;
    } else {
      this.recentWindows = [window, ...this.recentWindows].slice(0, RECENT_WINDOWS);
    }
  }

  private get windows(): Window[] {
    return this.endWindow === undefined ? this.recentWindows : [this.endWindow, ...this.recentWindows];
  }

  /** At least to `end`, up to READ_AHEAD_BYTES, stopping at the end of the file or where cached bytes begin. */
  private readAheadEnd(start: number, end: number): number {
    let aheadEnd = Math.min(this.totalSize, Math.max(end, start + READ_AHEAD_BYTES));
    for (const window of this.windows) {
      if (window.start >= end && window.start < aheadEnd) aheadEnd = window.start;
    }
    return aheadEnd;
  }

  private cachedSlice(start: number, end: number): Buffer | undefined {
    const { pieces, uncachedFrom } = this.cachedPrefix(start, end);
    return uncachedFrom === end ? concat(pieces) : undefined;
  }

  /** The cached bytes from `start` on, possibly across adjacent windows, and where they stop. */
  private cachedPrefix(start: number, end: number): { pieces: Buffer[]; uncachedFrom: number } {
    const pieces: Buffer[] = [];
    let position = start;
    while (position < end) {
      const window = this.windows.find((candidate) => candidate.start <= position && position < candidate.start + candidate.data.length);
      if (window === undefined) break;
      const piece = window.data.subarray(position - window.start, end - window.start);
      pieces.push(piece);
      position += piece.length;
    }
    return { pieces, uncachedFrom: position };
  }

  private async fetch(start: number, end: number): Promise<Buffer> {
    const expected = end - start;
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      const source: AsyncIterable<Buffer | string> = await this.openRange(start, end);
      for await (const chunk of source) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        received += bytes.length;
        if (received > expected) break;
        chunks.push(bytes);
      }
    } catch (error) {
      markAsCallerError(error);
      throw error;
    }
    if (received !== expected) {
      const error = new Error(`The range reader returned ${received > expected ? 'more than ' : ''}${received} bytes for bytes ${start}-${end - 1}, not ${expected}.`);
      markAsCallerError(error);
      throw error;
    }
    return Buffer.concat(chunks, received);
  }

  private async openRange(start: number, end: number): Promise<NodeJS.ReadableStream | Readable> {
    try {
      return await this.readRange(start, end, this.operationSignal.current);
    } catch (error) {
      markAsCallerError(error);
      throw error;
    }
  }
}

function concat(pieces: Buffer[]): Buffer {
  return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
}
