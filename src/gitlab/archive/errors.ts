// Typed errors for artifact archives: callers branch on `reason`, users read `message`.

import type { CollisionProblem, NameProblem } from './entryNames';

export type UnsafeArchiveReason =
  | NameProblem
  | CollisionProblem
  // What the entry is.
  | 'symlink'
  | 'special-file'
  | 'encrypted'
  | 'unsupported-compression'
  // Limits.
  | 'too-many-entries'
  | 'entry-too-large'
  | 'total-too-large'
  | 'compression-ratio'
  // Damage or tampering.
  | 'overlapping-entries'
  | 'size-mismatch'
  | 'crc-mismatch'
  | 'corrupt';

type Advice = 'fix-paths' | 'raise-limit' | 'download-again';

const REASONS: Record<UnsafeArchiveReason, { problem: string; advice: Advice }> = {
  'empty-name': { problem: 'has an empty name', advice: 'fix-paths' },
  'control-character': { problem: 'has a control character in its name', advice: 'fix-paths' },
  'absolute-path': { problem: 'has an absolute path', advice: 'fix-paths' },
  'drive-letter': { problem: 'starts with a drive letter', advice: 'fix-paths' },
  'path-traversal': { problem: 'contains a ".." segment that leaves the destination folder', advice: 'fix-paths' },
  'backslash': { problem: 'contains a backslash, a folder separator on Windows', advice: 'fix-paths' },
  'empty-segment': { problem: 'contains an empty path segment ("//")', advice: 'fix-paths' },
  'dot-segment': { problem: 'contains a "." path segment', advice: 'fix-paths' },
  'name-too-long': { problem: 'has a path segment longer than 255 bytes', advice: 'fix-paths' },
  'windows-reserved': { problem: 'uses a name or character that Windows reserves', advice: 'fix-paths' },
  'duplicate-name': { problem: 'appears more than once', advice: 'fix-paths' },
  'name-collision': { problem: 'differs from another entry only by letter case or Unicode normalisation', advice: 'fix-paths' },
  'file-directory-conflict': { problem: 'is both a file and a folder', advice: 'fix-paths' },
  'symlink': { problem: 'is a symbolic link, which is never extracted', advice: 'fix-paths' },
  'special-file': { problem: 'is a device, FIFO or socket, which is never extracted', advice: 'fix-paths' },
  'encrypted': { problem: 'is encrypted', advice: 'fix-paths' },
  'unsupported-compression': { problem: 'uses a compression method other than stored or deflate', advice: 'fix-paths' },
  'too-many-entries': { problem: 'has more entries than the limit', advice: 'raise-limit' },
  'entry-too-large': { problem: 'is larger than the per-file limit', advice: 'raise-limit' },
  'total-too-large': { problem: 'takes the extracted size past the limit', advice: 'raise-limit' },
  'compression-ratio': { problem: 'is compressed beyond the allowed ratio (a zip bomb?)', advice: 'raise-limit' },
  'overlapping-entries': { problem: 'shares its data with another entry (a zip bomb?)', advice: 'download-again' },
  'size-mismatch': { problem: 'does not have the size its header declares', advice: 'download-again' },
  'crc-mismatch': { problem: 'fails its CRC-32 check', advice: 'download-again' },
  'corrupt': { problem: 'is damaged or truncated', advice: 'download-again' },
};

const ADVICE: Record<Advice, string> = {
  'fix-paths': 'Nothing was extracted. Open the archive with a zip tool you trust, or ask the job\'s owner to fix the files its `artifacts:paths` collect.',
  'raise-limit': 'Nothing was extracted. If you trust this archive, raise the extraction limit and try again.',
  'download-again': 'Nothing was kept. Download the artifacts again; if it happens again, the stored archive itself is damaged.',
};

export class UnsafeArchiveError extends Error {
  override readonly name = 'UnsafeArchiveError';

  /** `entryName` is the name as stored in the zip; undefined when the problem is the whole archive. */
  constructor(
    readonly reason: UnsafeArchiveReason,
    readonly entryName: string | undefined,
    options?: { detail?: string; cause?: unknown },
  ) {
    const { problem, advice } = REASONS[reason];
    const subject = entryName === undefined ? 'The artifacts archive' : `Entry ${JSON.stringify(entryName)} of the artifacts archive`;
    const detail = options?.detail === undefined ? '' : ` (${options.detail})`;
    super(`${subject} ${problem}${detail} [${reason}]. ${ADVICE[advice]}`, { cause: options?.cause });
  }
}

export class DestinationExistsError extends Error {
  override readonly name = 'DestinationExistsError';

  constructor(readonly destDir: string) {
    super(`${destDir} already exists. Extract with overwrite to replace it, or choose another folder.`);
  }
}

export class ArchiveEntryNotFoundError extends Error {
  override readonly name = 'ArchiveEntryNotFoundError';

  constructor(readonly entryPath: string, isDirectory: boolean) {
    super(isDirectory
      ? `${JSON.stringify(entryPath)} is a folder in the artifacts archive, not a file.`
      : `The artifacts archive has no file ${JSON.stringify(entryPath)}. List the archive again: the job may have new artifacts.`);
  }
}

// Errors from the caller's range reader and from the file system are the caller's to handle as they
// are; everything else that escapes the zip reader (yauzl, zlib) means the archive is damaged.
const callerErrors = new WeakSet<object>();

export function markAsCallerError(error: unknown): void {
  if (typeof error === 'object' && error !== null) callerErrors.add(error);
}

export function asArchiveError(error: unknown, entryName?: string): unknown {
  if (error instanceof UnsafeArchiveError || isSystemError(error)) return error;
  if (typeof error === 'object' && error !== null && callerErrors.has(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new UnsafeArchiveError('corrupt', entryName, { detail, cause: error });
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
