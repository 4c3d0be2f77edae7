import { readFile, readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { WorkspaceFiles } from '../../../src/gitlab/tests';

/** A real folder as the locator sees a workspace; records every path it was asked about. */
export async function folderFiles(root: string): Promise<WorkspaceFiles & { asked: string[] }> {
  const asked: string[] = [];
  const all: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else all.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  await walk(root);
  return {
    asked,
    isFile: async (relative) => {
      asked.push(relative);
      return (await stat(path.join(root, relative)).catch(() => undefined))?.isFile() ?? false;
    },
    findByName: (name) => Promise.resolve(all.filter((file) => path.posix.basename(file) === name)),
    readText: (relative) => readFile(path.join(root, relative), 'utf8').catch(() => undefined),
  };
}

