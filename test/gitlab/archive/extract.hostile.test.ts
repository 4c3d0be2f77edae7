import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { extractArchive, UnsafeArchiveError, type ExtractionLimits, type UnsafeArchiveReason } from '../../../src/gitlab/archive';
import { dataOffset, makeZip, patchEntry, placeholder, TempRoot, type EntryPatch, type FixtureEntry } from './zipFixtures';

type CaseEntry = FixtureEntry & { readonly patch?: EntryPatch };

interface HostileCase {
  readonly title: string;
  readonly reason: UnsafeArchiveReason;
  /** The entry the error must name; undefined for whole-archive problems. */
  readonly entryName: string | undefined;
  readonly build: () => Promise<Buffer>;
  readonly limits?: Partial<ExtractionLimits>;
}

const S_IFLNK = 0o120000;
const S_IFIFO = 0o010000;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;
const GOOD: CaseEntry = { name: 'good/first.txt', data: 'written before the bad entry is reached, if anything were' };

/** yazl writes the entries; names it refuses are written as placeholders and patched in. */
async function zipOf(entries: readonly CaseEntry[]): Promise<Buffer> {
  let zip = await makeZip(entries.map((entry) => (entry.patch?.name === undefined ? entry : { ...entry, name: placeholder(entry.patch.name) })));
  entries.forEach((entry, index) => {
    if (entry.patch !== undefined) zip = patchEntry(zip, index, entry.patch);
  });
  return zip;
}

const named = (name: string, data = 'escaped!'): CaseEntry => ({ name: placeholder(name), data, patch: { name } });

function nameCase(title: string, name: string, reason: UnsafeArchiveReason): HostileCase {
  return { title, reason, entryName: name, build: () => zipOf([GOOD, named(name)]) };
}

// Placed so that, were it written, it would land in the test's temporary root, outside destDir.
let absoluteName = '';

const CASES: HostileCase[] = [
  nameCase('"../" segments', '../../escaped.txt', 'path-traversal'),
  nameCase('".." inside the path', 'a/../../escaped.txt', 'path-traversal'),
  nameCase('"..\\" with backslashes', '..\\..\\escaped.txt', 'path-traversal'),
  nameCase('"a\\..\\..\\b" mixing a folder and backslashes', 'a\\..\\..\\escaped.txt', 'path-traversal'),
  nameCase('a backslash inside a name', 'dir\\escaped.txt', 'backslash'),
  nameCase('a UNC path', '\\\\host\\share\\escaped.txt', 'absolute-path'),
  nameCase('a drive letter', 'C:/escaped.txt', 'drive-letter'),
  nameCase('a drive-relative name', 'C:escaped.txt', 'drive-letter'),
  nameCase('a NUL byte', 'escaped.txt\u0000.png', 'control-character'),
  nameCase('a newline', 'escaped\n.txt', 'control-character'),
  nameCase('an empty segment', 'a//escaped.txt', 'empty-segment'),
  nameCase('a "." segment', 'a/./escaped.txt', 'dot-segment'),
  nameCase('a segment longer than 255 bytes', `${'é'.repeat(128)}/escaped.txt`, 'name-too-long'),
  {
    title: 'an absolute path',
    reason: 'absolute-path',
    get entryName() { return absoluteName; },
    build: () => zipOf([GOOD, named(absoluteName)]),
  },
  {
    title: 'a symlink (S_IFLNK in the external attributes), then a file through it',
    reason: 'symlink',
    entryName: 'link',
    build: () => zipOf([GOOD, { name: 'link', data: '/etc', mode: S_IFLNK | 0o777 }, { name: 'link/escaped.txt', data: 'x' }]),
  },
  {
    title: 'a Windows reparse point (symlink or junction)',
    reason: 'symlink',
    entryName: 'junction',
    build: () => zipOf([GOOD, { name: 'junction', data: 'C:\\Windows', patch: { externalAttributes: 0x400 | 0x20 } }]),
  },
  {
    title: 'a FIFO',
    reason: 'special-file',
    entryName: 'fifo',
    build: () => zipOf([GOOD, { name: 'fifo', data: '', mode: S_IFIFO | 0o644 }]),
  },
  {
    title: 'the same name twice',
    reason: 'duplicate-name',
    entryName: 'same.txt',
    build: () => zipOf([GOOD, { name: 'same.txt', data: 'one' }, { name: 'same.txt', data: 'two' }]),
  },
  {
    title: 'names that differ only by case',
    reason: 'name-collision',
    entryName: 'report.TXT',
    build: () => zipOf([GOOD, { name: 'Report.txt', data: 'one' }, { name: 'report.TXT', data: 'two' }]),
  },
  {
    title: 'names that differ only by Unicode normalisation (NFC vs NFD)',
    reason: 'name-collision',
    entryName: 'cafe\u0301.txt',
    build: () => zipOf([GOOD, { name: 'caf\u00e9.txt', data: 'one' }, { name: 'cafe\u0301.txt', data: 'two' }]),
  },
  {
    title: 'folders implied in two casings',
    reason: 'name-collision',
    entryName: 'docs/b.txt',
    build: () => zipOf([GOOD, { name: 'Docs/a.txt', data: 'one' }, { name: 'docs/b.txt', data: 'two' }]),
  },
  {
    title: 'a file that is also a folder',
    reason: 'file-directory-conflict',
    entryName: 'thing/inside.txt',
    build: () => zipOf([GOOD, { name: 'thing', data: 'file' }, { name: 'thing/inside.txt', data: 'x' }]),
  },
  {
    title: 'a zip bomb: 20 MiB of zeros deflated about 1028:1, default limits',
    reason: 'compression-ratio',
    entryName: 'bomb.bin',
    build: () => zipOf([GOOD, { name: 'bomb.bin', data: Buffer.alloc(20 * 1024 * 1024) }]),
  },
  {
    title: 'an entry over maxEntryBytes',
    reason: 'entry-too-large',
    entryName: 'big.bin',
    limits: { maxEntryBytes: 100 },
    build: () => zipOf([{ name: 'small.bin', data: Buffer.alloc(100, 1) }, { name: 'big.bin', data: Buffer.alloc(101, 1) }]),
  },
  {
    title: 'declared sizes adding up past maxTotalBytes',
    reason: 'total-too-large',
    entryName: 'c.bin',
    limits: { maxTotalBytes: 250 },
    build: () => zipOf(['a.bin', 'b.bin', 'c.bin'].map((name) => ({ name, data: Buffer.alloc(100, 1) }))),
  },
  {
    title: 'more entries than maxEntries',
    reason: 'too-many-entries',
    entryName: undefined,
    limits: { maxEntries: 10 },
    build: () => zipOf(Array.from({ length: 11 }, (_, index) => ({ name: `file-${index}.txt`, data: 'x' }))),
  },
  {
    title: 'a deflated entry that inflates far past its declared size (a lying header)',
    reason: 'size-mismatch',
    entryName: 'liar.txt',
    build: () => zipOf([GOOD, { name: 'liar.txt', data: 'all work and no play\n'.repeat(50_000), patch: { uncompressedSize: 1000 } }]),
  },
  {
    title: 'a deflated entry shorter than declared',
    reason: 'size-mismatch',
    entryName: 'short.txt',
    build: () => zipOf([GOOD, { name: 'short.txt', data: 'twelve bytes', patch: { uncompressedSize: 13 } }]),
  },
  {
    title: 'a stored entry whose sizes disagree',
    reason: 'size-mismatch',
    entryName: 'stored.txt',
    build: () => zipOf([GOOD, { name: 'stored.txt', data: 'twelve bytes', compress: false, patch: { uncompressedSize: 11 } }]),
  },
  {
    title: 'a flipped byte in stored data (bad CRC-32)',
    reason: 'crc-mismatch',
    entryName: 'flipped.txt',
    build: async () => {
      const zip = await zipOf([GOOD, { name: 'flipped.txt', data: 'the quick brown fox', compress: false }]);
      zip[dataOffset(zip, 1) + 4] ^= 0x01;
      return zip;
    },
  },
  {
    title: 'a wrong CRC-32 in the headers of deflated data',
    reason: 'crc-mismatch',
    entryName: 'wrong-crc.txt',
    build: () => zipOf([GOOD, { name: 'wrong-crc.txt', data: 'some text '.repeat(100), patch: { crc32: 0x12345678 } }]),
  },
  {
    title: 'the encryption flag',
    reason: 'encrypted',
    entryName: 'secret.txt',
    build: () => zipOf([GOOD, { name: 'secret.txt', data: 'x', compress: false, patch: { flags: FLAG_UTF8 | FLAG_ENCRYPTED } }]),
  },
  {
    title: 'bzip2 compression (method 12)',
    reason: 'unsupported-compression',
    entryName: 'packed.bz2',
    build: () => zipOf([GOOD, { name: 'packed.bz2', data: 'x'.repeat(100), patch: { compressionMethod: 12 } }]),
  },
  {
    title: 'two entries sharing one local header and data (overlapping-files bomb)',
    reason: 'overlapping-entries',
    entryName: 'copy.txt',
    build: () => zipOf([{ name: 'orig.txt', data: 'shared' }, { name: 'copy.txt', data: 'other', patch: { localHeaderOffset: 0 } }]),
  },
  {
    title: 'garbage in a deflate stream',
    reason: 'corrupt',
    entryName: 'garbled.txt',
    build: async () => {
      const zip = await zipOf([GOOD, { name: 'garbled.txt', data: 'some text '.repeat(100) }]);
      zip[dataOffset(zip, 1)] = 0xff; // final block of the reserved type 3
      return zip;
    },
  },
  {
    title: 'a truncated archive',
    reason: 'corrupt',
    entryName: undefined,
    build: async () => {
      const zip = await zipOf([GOOD, { name: 'more.txt', data: 'more' }]);
      return zip.subarray(0, zip.length - 30);
    },
  },
  {
    title: 'a file that is no zip at all',
    reason: 'corrupt',
    entryName: undefined,
    build: () => Promise.resolve(Buffer.from('<html>502 Bad Gateway</html>')),
  },
];

describe('extractArchive refuses hostile archives and leaves nothing behind', () => {
  let root: TempRoot;

  beforeEach(async () => {
    root = await TempRoot.create();
    absoluteName = join(root.path, 'escaped-absolute.txt');
  });
  afterEach(() => root.remove());

  for (const hostile of CASES) {
    it(`${hostile.title} → ${hostile.reason}`, async () => {
      const zipPath = await root.write('archive.zip', await hostile.build());
      const before = await root.snapshot();
      const destDir = join(root.path, 'out', 'dest');

      const error = await extractArchive(zipPath, destDir, { limits: hostile.limits }).then(
        () => assert.fail('extraction should have been refused'),
        (caught: unknown) => caught,
      );

      assert.ok(error instanceof UnsafeArchiveError, `expected UnsafeArchiveError, got ${String(error)}`);
      assert.equal(error.reason, hostile.reason, error.message);
      assert.equal(error.entryName, hostile.entryName);
      if (hostile.entryName !== undefined) assert.ok(error.message.includes(JSON.stringify(hostile.entryName)), error.message);
      // Nothing escaped, destDir and its parent were not created, no temporary folder was left.
      assert.deepEqual(await root.snapshot(), before);
      assert.equal(existsSync(absoluteName), false);
    });
  }
});
