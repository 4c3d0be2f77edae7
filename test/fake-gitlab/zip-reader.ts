import type { Readable } from 'node:stream';
import { getFileNameLowLevel, open, type Entry, type ZipFile } from 'yauzl';

export interface ZipEntryInfo {
  /** Path inside the archive, without a trailing slash. */
  path: string;
  type: 'file' | 'directory';
  size: number;
  /**
   * Permission bits in octal ("644"), as Workhorse writes them into the artifacts metadata (Go's
   * `zip.FileHeader.Mode().Perm()`); null for a folder only implied by the paths of its files.
   */
  mode: string | null;
}

const creatorUnix = [3, 19];
const creatorMsdos = [0, 11, 14];

/** Go's `zip.FileHeader.Mode().Perm()`: Unix creators keep their bits, MS-DOS ones get 0666 (0777 for folders), read-only without write. */
function permissions(entry: Entry): string {
  const creator = entry.versionMadeBy >> 8;
  const attributes = entry.externalFileAttributes;
  let perm = 0;
  if (creatorUnix.includes(creator)) perm = (attributes >>> 16) & 0o777;
  else if (creatorMsdos.includes(creator)) perm = (attributes & 0x10 ? 0o777 : 0o666) & (attributes & 0x01 ? 0o555 : 0o777);
  return perm.toString(8);
}

function openZip(filePath: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // Names are decoded in walk(): yauzl's own decoding stops at a name like "..", which GitLab stores as it is.
    open(filePath, { lazyEntries: true, autoClose: false, decodeStrings: false }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

/** Walks the central directory (never the file data) until `visit` returns true or the entries run out. */
async function walk(zip: ZipFile, visit: (entry: Entry) => boolean): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      entry.fileName = getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      return visit(entry) ? resolve() : zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** Every file and folder of an archive, folders implied by file paths included, sorted by path. */
export async function listZip(filePath: string): Promise<ZipEntryInfo[]> {
  const zip = await openZip(filePath);
  const entries = new Map<string, ZipEntryInfo>();
  const addImpliedFolders = (entryPath: string): void => {
    const parts = entryPath.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!entries.has(dir)) entries.set(dir, { path: dir, type: 'directory', size: 0, mode: null });
    }
  };
  try {
    await walk(zip, (entry) => {
      const isDirectory = entry.fileName.endsWith('/');
      const entryPath = entry.fileName.replace(/\/+$/, '');
      addImpliedFolders(entryPath);
      entries.set(entryPath, {
        path: entryPath, type: isDirectory ? 'directory' : 'file', size: isDirectory ? 0 : entry.uncompressedSize, mode: permissions(entry),
      });
      return false;
    });
  } finally {
    zip.close();
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function findEntry(zip: ZipFile, entryPath: string): Promise<Entry | undefined> {
  let found: Entry | undefined;
  await walk(zip, (entry) => {
    if (entry.fileName === entryPath) found = entry;
    return found !== undefined;
  });
  return found;
}

/**
 * One file of an archive: its size now, its uncompressed bytes when `open` is called (the archive is
 * opened again then, so nothing stays open for a reply that never reads the body, like HEAD).
 */
export async function openZipEntry(filePath: string, entryPath: string): Promise<{ size: number; open(): Promise<Readable> } | undefined> {
  const zip = await openZip(filePath);
  let entry: Entry | undefined;
  try {
    entry = await findEntry(zip, entryPath);
  } finally {
    zip.close();
  }
  if (!entry) return undefined;
  return {
    size: entry.uncompressedSize,
    open: async () => {
      const again = await openZip(filePath);
      try {
        const found = await findEntry(again, entryPath);
        if (!found) throw new Error(`${entryPath} vanished from ${filePath}`);
        const stream = await again.openReadStreamPromise(found);
        stream.once('close', () => again.close());
        return stream;
      } catch (error) {
        again.close();
        throw error;
      }
    },
  };
}
