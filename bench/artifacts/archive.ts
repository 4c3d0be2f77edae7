// The benchmark's archive: 1 GiB of random (incompressible) data in large stored entries, plus a few
// thousand small text files whose central-directory records make listing do real work. Built once, streamed
// (never whole in memory), and reused while its description file matches.

import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

export interface BenchArchive {
  readonly path: string;
  readonly size: number;
  /** Hex; handed to the fake GitLab so that it need not hash a gigabyte for its ETag. */
  readonly sha256: string;
  /** A small file in the middle of the archive, the one a user would pick. */
  readonly smallFile: string;
  readonly smallFileContent: string;
}

const MiB = 1024 * 1024;
const LAYOUT = { version: 1, bigParts: 16, bigPartBytes: 64 * MiB, logFolders: 40, logsPerFolder: 50 };
const SMALL_FILE = 'reports/summary.txt';
const SMALL_FILE_CONTENT = 'tests: 4182, failures: 0, skipped: 12\ncoverage: 87.3%\n';

export async function ensureBenchArchive(dataDir: string, log: (line: string) => void): Promise<BenchArchive> {
  const path = join(dataDir, 'artifacts-1GiB.zip');
  const descriptionPath = `${path}.json`;
  const described = await readFile(descriptionPath, 'utf8').then((text) => JSON.parse(text) as { layout: unknown; size: number; sha256: string }, () => undefined);
  if (described && JSON.stringify(described.layout) === JSON.stringify(LAYOUT)) {
    return { path, size: described.size, sha256: described.sha256, smallFile: SMALL_FILE, smallFileContent: SMALL_FILE_CONTENT };
  }
  log(`building ${path} (once; reused while ${descriptionPath} matches)`);
  await mkdir(dataDir, { recursive: true });
  const partial = `${path}.partial`;
  const { size, sha256 } = await writeArchive(partial);
  await rename(partial, path);
  await writeFile(descriptionPath, JSON.stringify({ layout: LAYOUT, size, sha256 }, null, 2));
  return { path, size, sha256, smallFile: SMALL_FILE, smallFileContent: SMALL_FILE_CONTENT };
}

async function writeArchive(filePath: string): Promise<{ size: number; sha256: string }> {
  const zip = new ZipFile();
  const mtime = new Date('2025-05-01T12:00:00Z');
  const half = LAYOUT.bigParts / 2;
  const addBigParts = (from: number, to: number): void => {
    for (let part = from; part < to; part++) {
      zip.addReadStream(randomStream(LAYOUT.bigPartBytes), `data/part-${String(part).padStart(3, '0')}.bin`, { mtime, compress: false, size: LAYOUT.bigPartBytes });
    }
  };
  zip.addEmptyDirectory('data/', { mtime });
  addBigParts(0, half);
  zip.addEmptyDirectory('reports/', { mtime });
  zip.addBuffer(Buffer.from(SMALL_FILE_CONTENT), SMALL_FILE, { mtime });
  zip.addEmptyDirectory('logs/', { mtime });
  for (let folder = 0; folder < LAYOUT.logFolders; folder++) {
    const name = `logs/shard-${String(folder).padStart(3, '0')}/`;
    zip.addEmptyDirectory(name, { mtime });
    for (let file = 0; file < LAYOUT.logsPerFolder; file++) {
      zip.addBuffer(Buffer.from(`shard ${folder} file ${file}: ok\n`.repeat(20)), `${name}test-${String(file).padStart(4, '0')}.log`, { mtime });
    }
  }
  addBigParts(half, LAYOUT.bigParts);
  zip.end();

  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(zip.outputStream, measure, createWriteStream(filePath));
  } catch (error) {
    await rm(filePath, { force: true });
    throw error;
  }
  return { size, sha256: hash.digest('hex') };
}

/** `bytes` random bytes, made a megabyte at a time as the reader asks. */
function randomStream(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    read() {
      const length = Math.min(MiB, left);
      left -= length;
      this.push(length > 0 ? randomBytes(length) : null);
    },
  });
}
