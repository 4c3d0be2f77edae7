// Path-safety rules for zip entry names. Pure: no file system, so every rule is testable on any OS.

import type { UnsafeArchiveReason } from './errors';

const NAME_PROBLEMS = [
  'empty-name', 'control-character', 'absolute-path', 'drive-letter', 'path-traversal',
  'backslash', 'empty-segment', 'dot-segment', 'name-too-long', 'windows-reserved',
] as const;
const COLLISION_PROBLEMS = ['duplicate-name', 'name-collision', 'file-directory-conflict'] as const;

export type NameProblem = (typeof NAME_PROBLEMS)[number];
export type CollisionProblem = (typeof COLLISION_PROBLEMS)[number];

/** True for reasons about where an entry would be written, moot when the caller picks the file. */
export function concernsOnlyWhereToWrite(reason: UnsafeArchiveReason): boolean {
  return (NAME_PROBLEMS as readonly string[]).includes(reason) || (COLLISION_PROBLEMS as readonly string[]).includes(reason);
}

const MAX_SEGMENT_BYTES = 255;
// C0 and C1 controls, DEL included: NUL truncates paths in C APIs, the others spoof terminals and UIs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;
const WINDOWS_RESERVED_CHARACTER = /[<>:"|?*]/u;
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/iu;

/**
 * The first reason why `name` (as stored in the zip; a trailing "/" marks a folder) must not be
 * written to disk, or undefined when it is a plain relative path. Backslashes count as separators
 * while judging, because Windows treats them so.
 */
export function findNameProblem(name: string, platform: NodeJS.Platform = process.platform): NameProblem | undefined {
  if (name.length === 0) return 'empty-name';
  if (CONTROL_CHARACTER.test(name)) return 'control-character';
  const slashed = name.replaceAll('\\', '/');
  if (slashed.startsWith('/')) return 'absolute-path';
  if (/^[a-z]:/iu.test(slashed)) return 'drive-letter';
  const segments = entrySegments(slashed);
  if (segments.includes('..')) return 'path-traversal';
  if (name.includes('\\')) return 'backslash';
  if (segments.includes('')) return 'empty-segment';
  if (segments.includes('.')) return 'dot-segment';
  if (segments.some((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)) return 'name-too-long';
  if (platform === 'win32' && segments.some(isReservedOnWindows)) return 'windows-reserved';
  return undefined;
}

/** Path segments of an entry name, without the trailing "/" that marks a folder. */
export function entrySegments(name: string): string[] {
  const segments = name.split('/');
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  return segments;
}

function isReservedOnWindows(segment: string): boolean {
  // Windows silently drops trailing dots and spaces, so "a." would land on "a".
  return WINDOWS_RESERVED_CHARACTER.test(segment) || WINDOWS_DEVICE_NAME.test(segment) || /[. ]$/u.test(segment);
}

/**
 * The key under which a file system that ignores case (NTFS, APFS, HFS+) and normalisation (APFS,
 * HFS+) stores a path. Upper- then lower-casing over-approximates their case folding (e.g. "ſ" is
 * "s"), which at worst refuses an archive that would have extracted fine.
 */
export function collisionKey(path: string): string {
  return path.normalize('NFC').toUpperCase().toLowerCase();
}

export interface NamedEntry {
  /** Entry path with "/" separators and no trailing "/". */
  readonly path: string;
  readonly type: 'file' | 'directory';
}

export interface NameCollision {
  /** Index into the entries given; always the later of the two. */
  readonly index: number;
  readonly problem: CollisionProblem;
  readonly collidesWith: string;
}

/**
 * Entries that would land on a path taken by an earlier entry, or by a folder an earlier entry
 * implies ("a/b" implies folder "a"), on some file system. Repeating a folder is fine when only one
 * of the two is an explicit folder entry.
 */
export function findNameCollisions(entries: readonly NamedEntry[]): NameCollision[] {
  const claimed = new Map<string, { path: string; type: 'file' | 'directory'; explicit: boolean }>();
  const collisions: NameCollision[] = [];

  const claim = (index: number, path: string, type: 'file' | 'directory', explicit: boolean): boolean => {
    const key = collisionKey(path);
    const earlier = claimed.get(key);
    if (earlier === undefined) {
      claimed.set(key, { path, type, explicit });
      return true;
    }
    const problem: CollisionProblem | undefined = earlier.path !== path ? 'name-collision'
      : earlier.type !== type ? 'file-directory-conflict'
        : explicit && earlier.explicit ? 'duplicate-name'
          : undefined;
    if (problem !== undefined) {
      collisions.push({ index, problem, collidesWith: earlier.path });
      return false;
    }
    earlier.explicit ||= explicit;
    return true;
  };

  entries.forEach((entry, index) => {
    const segments = entry.path.split('/');
    for (let depth = 1; depth < segments.length; depth++) {
      if (!claim(index, segments.slice(0, depth).join('/'), 'directory', false)) return;
    }
    claim(index, entry.path, entry.type, true);
  });
  return collisions;
}
