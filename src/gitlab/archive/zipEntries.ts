// Reads a zip's central directory into entries, each judged (names, kind, collisions, overlaps)
// before a single byte of data is read.

import * as yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { findNameCollisions, findNameProblem } from './entryNames';
import { asArchiveError, type UnsafeArchiveReason } from './errors';
import { checkEntryCount } from './limits';

export interface ArchiveEntry {
  /** "/"-separated, without a folder's trailing "/"; unsafe names are kept as stored. */
  path: string;
  type: 'file' | 'directory';
  /** Uncompressed bytes, as declared. */
  size: number;
  compressedSize: number;
  /** Unix mode (file type and permission bits) when the archive records one. */
  mode?: number;
  /** Why extraction would refuse this entry. Listings keep such entries so that users can see them. */
  unsafe?: UnsafeArchiveReason;
}

export interface ZipEntryRecord {
  /** The name exactly as stored, for errors. */
  readonly name: string;
  readonly entry: ArchiveEntry;
  /** Which other entry `entry.unsafe` is about, for collisions and overlaps. */
  unsafeDetail?: string;
  readonly zipEntry: Entry;
}

/**
 * yauzl options for every archive we open. Names are decoded here rather than by yauzl, which would
 * refuse a whole listing over one bad name and turn backslashes into slashes; sizes are checked while
 * streaming (entryData.ts) so that a lie is reported as such.
 */
export const YAUZL_OPTIONS: yauzl.Options = { autoClose: false, decodeStrings: false, validateEntrySizes: false };

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
// Windows marks symbolic links and junctions as reparse points in the DOS attributes (low bits).
const DOS_REPARSE_POINT = 0x400;
const STORED = 0;
const DEFLATED = 8;
const LOCAL_HEADER_FIXED_BYTES = 30;

export async function readEntryRecords(zipfile: ZipFile, options: { maxEntries: number; signal?: AbortSignal }): Promise<ZipEntryRecord[]> {
  // The end-of-central-directory record declares the count: refuse before reading any of them.
  checkEntryCount(zipfile.entryCount, options);
  const records: ZipEntryRecord[] = [];
  try {
    for await (const zipEntry of zipfile.eachEntry()) {
      options.signal?.throwIfAborted();
      records.push(describeEntry(zipEntry));
    }
  } catch (error) {
    options.signal?.throwIfAborted();
    throw asArchiveError(error);
  }
  flagCollisions(records);
  flagOverlaps(records);
  return records;
}

function describeEntry(zipEntry: Entry): ZipEntryRecord {
  // Strict: keep backslashes, which findNameProblem judges.
  const name = yauzl.getFileNameLowLevel(zipEntry.generalPurposeBitFlag, zipEntry.fileNameRaw, zipEntry.extraFields, true);
  const unixMode = zipEntry.externalFileAttributes >>> 16;
  const fileType = unixMode & S_IFMT;
  const type = name.endsWith('/') || fileType === S_IFDIR ? 'directory' : 'file';
  const entry: ArchiveEntry = {
    path: type === 'directory' && name.length > 1 && name.endsWith('/') ? name.slice(0, -1) : name,
    type,
    size: zipEntry.uncompressedSize,
    compressedSize: zipEntry.compressedSize,
  };
  if (unixMode !== 0) entry.mode = unixMode;
  const unsafe = findNameProblem(name) ?? findKindProblem(zipEntry, fileType, type);
  if (unsafe !== undefined) entry.unsafe = unsafe;
  return { name, entry, zipEntry };
}

function findKindProblem(zipEntry: Entry, fileType: number, type: ArchiveEntry['type']): UnsafeArchiveReason | undefined {
  if (fileType === S_IFLNK || (zipEntry.externalFileAttributes & DOS_REPARSE_POINT) !== 0) return 'symlink';
  if (fileType !== 0 && fileType !== S_IFREG && fileType !== S_IFDIR) return 'special-file';
  if (type === 'directory') return undefined;
  if (zipEntry.isEncrypted()) return 'encrypted';
  if (zipEntry.compressionMethod !== STORED && zipEntry.compressionMethod !== DEFLATED) return 'unsupported-compression';
  if (zipEntry.compressionMethod === STORED && zipEntry.compressedSize !== zipEntry.uncompressedSize) return 'size-mismatch';
  return undefined;
}

function flagCollisions(records: ZipEntryRecord[]): void {
  // Entries with bad names are refused anyway; comparing them would only blame good ones.
  const candidates = records.filter((record) => record.entry.unsafe === undefined);
  for (const collision of findNameCollisions(candidates.map((record) => record.entry))) {
    const record = candidates[collision.index];
    record.entry.unsafe = collision.problem;
    record.unsafeDetail = `collides with ${JSON.stringify(collision.collidesWith)}`;
  }
}

/**
 * Entries whose local header starts inside an earlier entry's data: the "overlapping files" zip bomb
 * reuses one deflate stream for many entries. The central directory's name length stands in for the
 * local one; the local extra field only moves data further, so this never flags a well-formed zip.
 */
function flagOverlaps(records: ZipEntryRecord[]): void {
  const byOffset = [...records].sort((a, b) => a.zipEntry.relativeOffsetOfLocalHeader - b.zipEntry.relativeOffsetOfLocalHeader);
  let furthest: { end: number; record: ZipEntryRecord } | undefined;
  for (const record of byOffset) {
    const start = record.zipEntry.relativeOffsetOfLocalHeader;
    if (furthest !== undefined && start < furthest.end && record.entry.unsafe === undefined) {
      record.entry.unsafe = 'overlapping-entries';
      record.unsafeDetail = `overlaps ${JSON.stringify(furthest.record.name)}`;
    }
    const end = start + LOCAL_HEADER_FIXED_BYTES + record.zipEntry.fileNameLength + record.zipEntry.compressedSize;
    if (furthest === undefined || end > furthest.end) furthest = { end, record };
  }
}
