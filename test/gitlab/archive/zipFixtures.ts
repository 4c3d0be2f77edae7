// Builds test archives: well-formed ones with yazl, hostile ones by patching yazl's bytes where yazl
// refuses to write them (names with "..", absolute names, backslashes, lying headers, flags).

import { lstat, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as yazl from 'yazl';

export interface FixtureEntry {
  readonly name: string;
  /** Omitted: a folder entry. */
  readonly data?: Buffer | string;
  readonly mode?: number;
  readonly compress?: boolean;
  /** Written as a stream of unknown size, so with a data descriptor (bit 3), as gitlab-runner's Go zip writer does. */
  readonly streamed?: boolean;
}

export async function makeZip(entries: readonly FixtureEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(2024, 0, 1);
  for (const entry of entries) {
    if (entry.data === undefined) {
      zip.addEmptyDirectory(entry.name, { mtime, ...(entry.mode === undefined ? {} : { mode: entry.mode }) });
    } else {
      const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data;
      const options = { mtime, compress: entry.compress ?? true, ...(entry.mode === undefined ? {} : { mode: entry.mode }) };
      if (entry.streamed === true) zip.addReadStream(Readable.from([data]), entry.name, options);
      else zip.addBuffer(data, entry.name, options);
    }
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

interface Headers {
  readonly central: number;
  readonly local: number;
}

/** Offsets of each entry's central-directory record and local header. */
export function headersOf(zip: Buffer): Headers[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let central = zip.readUInt32LE(eocd + 16);
  const headers: Headers[] = [];
  for (let index = 0; index < count; index++) {
    headers.push({ central, local: zip.readUInt32LE(central + 42) });
    central += 46 + zip.readUInt16LE(central + 28) + zip.readUInt16LE(central + 30) + zip.readUInt16LE(central + 32);
  }
  return headers;
}

export function dataOffset(zip: Buffer, index: number): number {
  const { local } = headersOf(zip)[index];
  return local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
}

export interface EntryPatch {
  /** Same UTF-8 byte length as the name it replaces. */
  readonly name?: string;
  readonly flags?: number;
  readonly compressionMethod?: number;
  readonly crc32?: number;
  readonly uncompressedSize?: number;
  readonly externalAttributes?: number;
  readonly localHeaderOffset?: number;
}

/** A copy of `zip` with entry `index` changed in its central record and, where it has one, its local header. */
export function patchEntry(zip: Buffer, index: number, patch: EntryPatch): Buffer {
  const patched = Buffer.from(zip);
  const { central, local } = headersOf(zip)[index];
  if (patch.name !== undefined) {
    const name = Buffer.from(patch.name);
    if (name.length !== zip.readUInt16LE(central + 28)) throw new Error(`patched name must keep the length of the original: ${patch.name}`);
    name.copy(patched, central + 46);
    name.copy(patched, local + 30);
  }
  const both = (centralField: number, localField: number, write: (at: number) => void): void => {
    write(central + centralField);
    write(local + localField);
  };
  const { flags, compressionMethod, crc32, uncompressedSize, externalAttributes, localHeaderOffset } = patch;
  if (flags !== undefined) both(8, 6, (at) => patched.writeUInt16LE(flags, at));
  if (compressionMethod !== undefined) both(10, 8, (at) => patched.writeUInt16LE(compressionMethod, at));
  if (crc32 !== undefined) both(16, 14, (at) => patched.writeUInt32LE(crc32, at));
  if (uncompressedSize !== undefined) both(24, 22, (at) => patched.writeUInt32LE(uncompressedSize, at));
  if (externalAttributes !== undefined) patched.writeUInt32LE(externalAttributes, central + 38);
  if (localHeaderOffset !== undefined) patched.writeUInt32LE(localHeaderOffset, central + 42);
  return patched;
}

/** A name of `length` UTF-8 bytes for yazl, to be patched into what yazl would refuse. */
export function placeholder(name: string): string {
  return 'x'.repeat(Buffer.byteLength(name));
}

/** A temporary folder whose whole content a test can compare before and after. */
export class TempRoot {
  private constructor(readonly path: string) {}

  static async create(): Promise<TempRoot> {
    return new TempRoot(await mkdtemp(join(tmpdir(), 'gitlab-archive-test-')));
  }

  async write(relativePath: string, data: Buffer | string): Promise<string> {
    const path = join(this.path, relativePath);
    await writeFile(path, data);
    return path;
  }

  /** Every path below the root, "/"-separated, sorted; folders end with "/", links with "@". */
  async snapshot(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      for (const name of await readdir(dir)) {
        const stats = await lstat(join(dir, name));
        if (stats.isDirectory()) {
          found.push(`${prefix}${name}/`);
          await walk(join(dir, name), `${prefix}${name}/`);
        } else {
          found.push(`${prefix}${name}${stats.isSymbolicLink() ? '@' : ''}`);
        }
      }
    };
    await walk(this.path, '');
    return found.sort();
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}
