// Archives already on disk, e.g. a cached download.

import * as yauzl from 'yauzl';
import type { ZipFile } from 'yauzl';
import { asArchiveError } from './errors';
import { ZipArchive, type OpenArchiveOptions } from './zipArchive';
import { YAUZL_OPTIONS, type ArchiveEntry } from './zipEntries';

/** Opens the zip and reads its end-of-central-directory record; entries are read by ZipArchive/readEntryRecords. */
export async function openZipFile(zipPath: string, signal?: AbortSignal): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(zipPath, YAUZL_OPTIONS);
  } catch (error) {
    signal?.throwIfAborted();
    throw asArchiveError(error);
  }
}

export async function openLocalZip(zipPath: string, options: OpenArchiveOptions = {}): Promise<ZipArchive> {
  // File reads need no abort signal: they are short, and streams are aborted by destroying them.
  return ZipArchive.read(await openZipFile(zipPath, options.signal), { current: undefined }, options);
}

export async function listLocalZip(zipPath: string, options: OpenArchiveOptions = {}): Promise<ArchiveEntry[]> {
  const archive = await openLocalZip(zipPath, options);
  archive.close();
  return archive.entries;
}
