// Puts finished results in place atomically: work happens in a hidden sibling (same file system, so
// rename is atomic) and only complete results are renamed to the name callers see.

import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DestinationExistsError } from './errors';

/** `<parent>/.<name>.<label>-<random>`: hidden, and recognisable as ours if a crash leaves it behind. */
export function siblingTempPath(target: string, label: 'partial' | 'old'): string {
  return join(dirname(target), `.${basename(target)}.${label}-${randomBytes(6).toString('hex')}`);
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Creates `dir` and missing parents. The returned function removes the folders this call created,
 * deepest first, as long as they are empty: something else may have put files there meanwhile.
 */
export async function ensureDirectory(dir: string): Promise<() => Promise<void>> {
  const firstCreated = await mkdir(dir, { recursive: true });
  return async () => {
    if (firstCreated === undefined) return;
    for (let folder = dir; folder.length >= firstCreated.length; folder = dirname(folder)) {
      try {
        await rmdir(folder);
      } catch {
        return; // not empty, or already gone
      }
    }
  };
}

/**
 * Renames the finished `staging` folder to `target`. An existing target is an error unless
 * `overwrite`; then it is moved aside first and only removed once the new one is in place.
 */
export async function moveIntoPlace(staging: string, target: string, overwrite: boolean): Promise<void> {
  // Checked here too, not only before extracting: rename() would silently replace an empty folder.
  if (!(await pathExists(target))) {
    await rename(staging, target);
    return;
  }
  if (!overwrite) throw new DestinationExistsError(target);
  const aside = siblingTempPath(target, 'old');
  await rename(target, aside);
  try {
    await rename(staging, target);
  } catch (error) {
    await rename(aside, target);
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}
