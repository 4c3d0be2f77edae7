import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest folder above this file (source or compiled) with a package.json. */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** shared/gitlab-api beside the repository: GitLab's schemas, recorded responses and real runner logs. */
export function sharedGitLabApiDir(): string {
  return path.resolve(repoRoot(), '..', 'shared', 'gitlab-api');
}
