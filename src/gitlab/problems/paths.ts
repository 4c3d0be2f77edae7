import { posix } from 'node:path';

export interface PathMappingOptions {
  /** `group/sub/project`: a runner checks it out under `…/builds/…/<project path>/`. */
  projectPath: string;
  /** `CI_PROJECT_DIR` as the log showed it, when it did. */
  projectDir?: string;
}

const MAX_PATH_LENGTH = 1024;

/**
 * A path a tool printed in a job log → the same file relative to the project's root, or undefined when it
 * cannot be one of the project's files: an absolute path outside the checkout, `..` climbing out of it, control
 * characters, an absurd length. Relative paths are taken from the checkout's root (where job scripts start).
 * Whether the file exists in a workspace is the caller's question.
 */
export function toProjectRelative(printed: string, options: PathMappingOptions): string | undefined {
  if (printed.length === 0 || printed.length > MAX_PATH_LENGTH || hasControlCharacter(printed)) return undefined;
  let path = printed.startsWith('file://') ? printed.slice('file://'.length) : printed;
  if (/^[A-Za-z]:[\\/]/.test(path) || path.includes('\\')) path = path.replace(/\\/g, '/'); // a Windows runner
  if (/^[A-Za-z]:\//.test(path) || path.startsWith('/')) {
    const inside = insideCheckout(path, options);
    if (inside === undefined) return undefined;
    path = inside;
  }
  const normal = posix.normalize(path);
  if (normal === '.' || normal === '..' || normal.startsWith('../') || posix.isAbsolute(normal)) return undefined;
  return normal.replace(/\/$/, '');
}

/** The part of an absolute path under the job's checkout: `CI_PROJECT_DIR`, else `…/<project path>/`. */
function insideCheckout(path: string, options: PathMappingOptions): string | undefined {
  const dir = options.projectDir?.replace(/\\/g, '/').replace(/\/$/, '');
  if (dir && path.startsWith(`${dir}/`)) return path.slice(dir.length + 1);
  // Docker runners use /builds/<project path>; shell runners <home>/builds/<token>/<n>/<project path>.
  const marker = `/${options.projectPath}/`;
  const builds = path.indexOf('/builds');
  const at = builds < 0 ? -1 : path.indexOf(marker, builds);
  if (at < 0) return undefined;
  return path.slice(at + marker.length);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
