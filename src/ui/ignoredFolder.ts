// Folders the extension writes into a workspace (downloaded artifacts, saved job logs) keep themselves out
// of Source Control with a `.gitignore` of their own holding `*` (which ignores that file too), so git status
// stays clean and nobody's own .gitignore is edited.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const IGNORE_EVERYTHING = '# Written by GitLab CI Lens: what is downloaded here stays out of Source Control.\n*\n';

/**
 * Creates `folder` when missing and gives it the ignore-everything `.gitignore` when it was created here,
 * or always when the folder is the extension's own (`owned`). An existing `.gitignore` is never replaced.
 */
export async function prepareIgnoredFolder(folder: string, options: { owned: boolean }): Promise<void> {
  const created = await mkdir(folder, { recursive: true });
  if (created === undefined && !options.owned) return;
  try {
    await writeFile(join(folder, '.gitignore'), IGNORE_EVERYTHING, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
