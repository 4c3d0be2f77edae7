import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { ZipFile } from 'yazl';

export interface ZipContent {
  /** Path inside the archive → file bytes; a path ending in '/' is an (empty) directory. */
  [entryPath: string]: string | Buffer;
}

/** Writes a real zip with yazl. Binary entries (Buffers) are stored, text is deflated, like a runner's zip. */
export async function writeZip(filePath: string, content: ZipContent, mtime = new Date('2025-05-01T12:00:00Z')): Promise<void> {
  const zip = new ZipFile();
  for (const [entryPath, data] of Object.entries(content)) {
    if (entryPath.endsWith('/')) zip.addEmptyDirectory(entryPath, { mtime });
    else zip.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), entryPath, { mtime, compress: !Buffer.isBuffer(data) });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(filePath));
}

export function gzip(text: string): Buffer {
  return gzipSync(Buffer.from(text));
}

/** Deterministic bytes that look like a PNG: the signature, then a pseudo-random body that does not compress. */
export function fakePng(size: number, seed = 42): Buffer {
  const bytes = Buffer.alloc(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  let state = seed;
  for (let i = 8; i < size; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}
