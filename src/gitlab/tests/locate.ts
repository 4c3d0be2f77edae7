import { posix } from 'node:path';
import { type SourceReference, fileReference, stackFrames } from './frames';
import type { TestCase } from './types';

/**
 * The workspace folder as the locator may see it: paths are relative to the folder, with forward slashes and
 * no `..`, so nothing it finds can point outside. The UI implements it over `vscode.workspace.fs`, tests over
 * a temporary folder.
 */
export interface WorkspaceFiles {
  isFile(relativePath: string): Promise<boolean>;
  /** Files with this base name anywhere in the folder (a moved file); a few at most. */
  findByName(baseName: string): Promise<string[]>;
  /** The file's text, or its head when large; undefined when it cannot be read. */
  readText(relativePath: string): Promise<string | undefined>;
}

export interface WorkspaceLocation {
  /** Relative to the workspace folder, forward slashes. */
  path: string;
  /** 1-based; may lie past the end of a file changed since the run (callers clamp). */
  line: number;
  column?: number;
}

export interface CaseLocation {
  /** Where the test failed in its own file when known, else the best place found: "Go to Test" goes there. */
  test?: WorkspaceLocation;
  /** The stack's frames that are workspace files, top first. */
  frames: WorkspaceLocation[];
}

const MAX_SEGMENTS = 32;
const MAX_MEMO = 5_000;
const CLASS_EXTENSIONS = ['.java', '.kt', '.scala', '.py', '.rb', '.php', '.cs', '.ts', '.js', '.go'];
const TEST_FILE = /(^|\/)(tests?|spec|__tests__)\/|[._-](test|spec)\.[a-z]+$|(^|\/)test_[^/]*\.py$|Tests?\.(java|kt|scala|cs)$/;

/**
 * Maps test cases to workspace locations: from the case's `file`, its `classname`, or its stack frames, with
 * CI paths (`/builds/group/project/src/a.ts`) matched by their longest suffix that exists in the workspace and
 * moved files found by name. Lookups are memoised and bounded, so thousands of cases cost little.
 */
export class CaseLocator {
  private readonly paths = new Map<string, Promise<string | undefined>>();
  private readonly classes = new Map<string, Promise<string | undefined>>();

  constructor(private readonly files: WorkspaceFiles) {}

  async locate(testCase: Pick<TestCase, 'name' | 'classname' | 'file' | 'output'>): Promise<CaseLocation> {
    const frames: WorkspaceLocation[] = [];
    for (const frame of stackFrames(testCase.output)) {
      const mapped = await this.workspacePath(frame.path);
      if (mapped) frames.push(located(mapped, frame));
    }
    const inFile = async (path: string | undefined, line?: number): Promise<WorkspaceLocation | undefined> => {
      if (!path) return undefined;
      return frames.find((frame) => frame.path === path) ?? { path, line: line ?? (await this.lineOfName(path, testCase.name)) };
    };
    const fromFile = testCase.file ? fileReference(testCase.file) : undefined;
    const test =
      (await inFile(fromFile && (await this.workspacePath(fromFile.path)), fromFile?.line)) ??
      (await inFile(testCase.classname ? await this.classPath(testCase.classname) : undefined)) ??
      frames.find((frame) => TEST_FILE.test(frame.path)) ??
      frames[0];
    return { test, frames };
  }

  /** A path as CI saw it → a workspace file, or undefined (outside the workspace, escaping with `..`, a dependency, gone). */
  workspacePath(raw: string): Promise<string | undefined> {
    return memo(this.paths, raw, async () => {
      const candidates = candidatePaths(raw);
      for (const candidate of candidates) if (await this.files.isFile(candidate)) return candidate;
      const longest = candidates[0];
      if (!longest) return undefined;
      // Moved since the run: the same name elsewhere, the one sharing most trailing folders first.
      const found = (await this.files.findByName(posix.basename(longest))).filter((path) => safeRelative(path));
      return found.sort((a, b) => sharedTail(b, longest) - sharedTail(a, longest))[0];
    });
  }

  /** `com.shop.CartTest` → `src/test/java/com/shop/CartTest.java`, `tests.test_cart.TestCart` → `tests/test_cart.py`. */
  private classPath(classname: string): Promise<string | undefined> {
    return memo(this.classes, classname, async () => {
      const segments = classname.split(/::|[.:/\\#]/).filter((part) => /^[\w$-]{1,200}$/.test(part)).slice(0, 12);
      for (let length = segments.length; length > 0; length--) {
        const base = segments.slice(0, length).join('/');
        for (const extension of CLASS_EXTENSIONS) {
          const found = await this.workspacePathExact(base + extension);
          if (found) return found;
        }
      }
      // Under a source root (src/test/java/...): by name, when the name says it is a test.
      const last = segments.at(-1);
      const testLike = last !== undefined && (TEST_FILE.test(`${last}.x`) || /Tests?$/.test(last));
      if (!testLike) return undefined;
      for (const extension of CLASS_EXTENSIONS) {
        const found = (await this.files.findByName(last + extension)).filter((path) => safeRelative(path));
        if (found.length) return found[0];
      }
      return undefined;
    });
  }

  private async workspacePathExact(raw: string): Promise<string | undefined> {
    const candidates = candidatePaths(raw);
    for (const candidate of candidates) if (await this.files.isFile(candidate)) return candidate;
    return undefined;
  }

  /** The first line naming the test (its last title part), so "Go to Test" lands on it; 1 when not found. */
  private async lineOfName(path: string, name: string): Promise<number> {
    const text = await this.files.readText(path);
    if (!text) return 1;
    const titles = [name, name.split(/ > | › |::|#|\.| /).filter(Boolean).at(-1) ?? name];
    for (const title of titles) {
      const index = title.length >= 3 ? text.indexOf(title) : -1;
      if (index >= 0) return text.slice(0, index).split('\n').length;
    }
    return 1;
  }
}

/**
 * The workspace-relative paths a CI path may be, most specific first: the whole path when relative, then each
 * shorter suffix (an absolute CI path's project folder is unknown). None for paths that escape with `..`,
 * URLs other than `file://`, dependencies (`node_modules`) or odd input.
 */
export function candidatePaths(raw: string): string[] {
  let value = raw.trim();
  if (value.length === 0 || value.length > 1_000 || /[\0\n]/.test(value)) return [];
  value = value.replace(/^file:\/\//, '').replace(/\\/g, '/');
  const drive = /^\/?[A-Za-z]:\//.exec(value);
  if (drive) value = value.slice(drive[0].length - 1);
  else if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return []; // node:internal/..., webpack://...
  const absolute = value.startsWith('/');
  const normalized = posix.normalize(value);
  if (!absolute && (normalized === '..' || normalized.startsWith('../'))) return [];
  const segments = normalized.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0 || segments.includes('..') || segments.includes('node_modules')) return [];
  const kept = segments.slice(-MAX_SEGMENTS);
  return kept.map((_, start) => kept.slice(start).join('/'));
}

function safeRelative(path: string): boolean {
  return candidatePaths(path)[0] === path;
}

function located(path: string, frame: SourceReference): WorkspaceLocation {
  return { path, line: Math.max(1, frame.line ?? 1), ...(frame.column ? { column: frame.column } : {}) };
}

function sharedTail(a: string, b: string): number {
  const left = a.split('/').reverse();
  const right = b.split('/').reverse();
  let shared = 0;
  while (shared < left.length && left[shared] === right[shared]) shared++;
  return shared;
}

function memo<T>(cache: Map<string, Promise<T>>, key: string, compute: () => Promise<T>): Promise<T> {
  const known = cache.get(key);
  if (known) return known;
  if (cache.size >= MAX_MEMO) cache.clear();
  const value = compute();
  cache.set(key, value);
  return value;
}
