import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DestinationExistsError, extractArchive, type ExtractProgress } from '../../../src/gitlab/archive';
import { dataOffset, makeZip, patchEntry, TempRoot, type FixtureEntry } from './zipFixtures';

const S_IFREG = 0o100000;
const UNICODE_FILE = 'ünïcødé/日本語 ✓.txt';

const HAPPY: FixtureEntry[] = [
  { name: 'a/b/c/deep.txt', data: 'deep' },
  { name: 'empty/' },
  { name: UNICODE_FILE, data: 'unicode' },
  { name: 'bin/run.sh', data: '#!/bin/sh\necho hi\n', mode: S_IFREG | 0o755 },
  { name: 'readme.txt', data: 'read me', mode: S_IFREG | 0o600 },
  { name: 'stored.bin', data: Buffer.from([0, 1, 2, 3]), compress: false },
  { name: 'empty-file.txt', data: '' },
];

function modeOf(path: string): Promise<number> {
  return stat(path).then((stats) => stats.mode & 0o777);
}

describe('extractArchive', () => {
  let root: TempRoot;
  let zipPath: string;
  let destDir: string;

  beforeEach(async () => {
    root = await TempRoot.create();
    zipPath = await root.write('archive.zip', await makeZip(HAPPY));
    destDir = join(root.path, 'jobs', '42');
  });
  afterEach(() => root.remove());

  it('writes nested and empty folders, unicode names and contents, creating missing parents', async () => {
    const result = await extractArchive(zipPath, destDir);

    assert.equal(result.destDir, destDir);
    assert.equal(result.totalBytes, 4 + 7 + 18 + 7 + 4);
    assert.deepEqual(result.entries.map((entry) => entry.path), ['a/b/c/deep.txt', 'empty', UNICODE_FILE, 'bin/run.sh', 'readme.txt', 'stored.bin', 'empty-file.txt']);
    assert.deepEqual(await root.snapshot(), [
      'archive.zip', 'jobs/', 'jobs/42/',
      'jobs/42/a/', 'jobs/42/a/b/', 'jobs/42/a/b/c/', 'jobs/42/a/b/c/deep.txt',
      'jobs/42/bin/', 'jobs/42/bin/run.sh',
      'jobs/42/empty/', 'jobs/42/empty-file.txt',
      'jobs/42/readme.txt', 'jobs/42/stored.bin',
      'jobs/42/ünïcødé/', `jobs/42/${UNICODE_FILE}`,
    ].sort());
    assert.equal(await readFile(join(destDir, 'a/b/c/deep.txt'), 'utf8'), 'deep');
    assert.equal(await readFile(join(destDir, UNICODE_FILE), 'utf8'), 'unicode');
    assert.deepEqual(await readFile(join(destDir, 'stored.bin')), Buffer.from([0, 1, 2, 3]));
    assert.equal((await readFile(join(destDir, 'empty-file.txt'))).length, 0);
  });

  it('reads sizes and CRC-32 from the central directory when entries carry data descriptors', async () => {
    const streamedZip = await makeZip([{ name: 'streamed.txt', data: 'streamed '.repeat(1000), streamed: true }]);
    assert.equal(streamedZip.readUInt16LE(6) & 0x8, 0x8, 'the fixture has a data descriptor');
    const corrupted = Buffer.from(streamedZip);
    corrupted[dataOffset(corrupted, 0) + 2] ^= 0xff;

    await extractArchive(await root.write('streamed.zip', streamedZip), destDir);
    await assert.rejects(extractArchive(await root.write('corrupted.zip', corrupted), join(root.path, 'other')), { name: 'UnsafeArchiveError' });

    assert.equal(await readFile(join(destDir, 'streamed.txt'), 'utf8'), 'streamed '.repeat(1000));
  });

  it('gives files 0644, keeps the executable bit as 0755, and folders 0755', async () => {
    await extractArchive(zipPath, destDir);

    assert.equal(await modeOf(join(destDir, 'bin/run.sh')), 0o755);
    assert.equal(await modeOf(join(destDir, 'readme.txt')), 0o644, 'a stored 0600 is not kept either');
    assert.equal(await modeOf(join(destDir, 'a/b/c/deep.txt')), 0o644);
    assert.equal(await modeOf(join(destDir, 'a/b')), 0o755);
    assert.equal(await modeOf(join(destDir, 'empty')), 0o755);
    assert.equal(await modeOf(destDir), 0o755, 'the staging folder is private only while incomplete');
  });

  it('refuses an existing destDir without overwrite and leaves it as it was', async () => {
    await mkdir(destDir, { recursive: true });
    await writeFile(join(destDir, 'mine.txt'), 'keep me');
    const before = await root.snapshot();

    await assert.rejects(extractArchive(zipPath, destDir), (error: unknown) => {
      assert.ok(error instanceof DestinationExistsError);
      assert.equal(error.destDir, destDir);
      return true;
    });
    assert.deepEqual(await root.snapshot(), before);
  });

  it('refuses even an existing empty destDir without overwrite', async () => {
    await mkdir(destDir, { recursive: true });

    await assert.rejects(extractArchive(zipPath, destDir), DestinationExistsError);
    assert.deepEqual(await root.snapshot(), ['archive.zip', 'jobs/', 'jobs/42/']);
  });

  it('refuses a destDir that appeared while extracting, rather than renaming over it', async () => {
    let created = false;
    const error = await extractArchive(zipPath, destDir, {
      onProgress: () => {
        if (!created) mkdirSync(destDir);
        created = true;
      },
    }).then(() => assert.fail('should have been refused'), (caught: unknown) => caught);

    assert.ok(error instanceof DestinationExistsError);
    assert.deepEqual(await root.snapshot(), ['archive.zip', 'jobs/', 'jobs/42/']);
  });

  it('replaces an existing destDir with overwrite, leaving no old or partial folder', async () => {
    await mkdir(destDir, { recursive: true });
    await writeFile(join(destDir, 'stale.txt'), 'from an older download');

    await extractArchive(zipPath, destDir, { overwrite: true });

    const after = await root.snapshot();
    assert.ok(!after.includes('jobs/42/stale.txt'));
    assert.ok(after.includes('jobs/42/a/b/c/deep.txt'));
    assert.deepEqual(after.filter((path) => /^jobs\/[^/]+\/?$/u.test(path)), ['jobs/42/'], 'no sibling left next to destDir');
  });

  it('keeps the existing destDir when the archive is refused, even with overwrite', async () => {
    await mkdir(destDir, { recursive: true });
    await writeFile(join(destDir, 'mine.txt'), 'keep me');
    const badZip = await root.write('bad.zip', (await makeZip(HAPPY)).subarray(0, 100));
    const before = await root.snapshot();

    await assert.rejects(extractArchive(badZip, destDir, { overwrite: true }), { reason: 'corrupt' });
    assert.deepEqual(await root.snapshot(), before);
  });

  it('reports progress per entry and, within a large entry, as bytes stream', async () => {
    const big = randomBytes(5 * 1024 * 1024);
    const bigZip = await root.write('big.zip', await makeZip([{ name: 'small.txt', data: 'small' }, { name: 'big.bin', data: big }]));
    const reports: ExtractProgress[] = [];

    const result = await extractArchive(bigZip, destDir, { onProgress: (progress) => reports.push(progress) });

    const withinBig = reports.filter((report) => report.entriesDone === 1 && report.bytesWritten > 5 && report.bytesWritten < 5 + big.length);
    assert.ok(withinBig.length >= 3, `expected reports while big.bin streamed, got ${JSON.stringify(reports)}`);
    assert.deepEqual(reports[reports.length - 1], { entriesDone: 2, entriesTotal: 2, bytesWritten: result.totalBytes });
    assert.deepEqual(await readFile(join(destDir, 'big.bin')), big);
  });

  it('stops a lying entry at the first bytes past its declared size, so within maxTotalBytes', async () => {
    const zip = await makeZip([{ name: 'liar.txt', data: 'all work and no play\n'.repeat(400_000) }]);
    const liarZip = await root.write('liar.zip', patchEntry(zip, 0, { uncompressedSize: 1000 }));
    let mostBytesWritten = 0;

    await assert.rejects(extractArchive(liarZip, destDir, {
      limits: { maxTotalBytes: 1000 },
      onProgress: (progress) => { mostBytesWritten = Math.max(mostBytesWritten, progress.bytesWritten); },
    }), { reason: 'size-mismatch', entryName: 'liar.txt' });
    assert.ok(mostBytesWritten <= 1000, `wrote ${mostBytesWritten} bytes of a 1000-byte entry`);
  });

  it('stops when aborted mid-extraction and leaves nothing behind', async () => {
    const controller = new AbortController();
    const before = await root.snapshot();
    let reports = 0;

    const error = await extractArchive(zipPath, destDir, {
      signal: controller.signal,
      onProgress: () => {
        reports++;
        if (reports === 2) controller.abort();
      },
    }).then(() => assert.fail('should have been aborted'), (caught: unknown) => caught);

    assert.equal((error as Error).name, 'AbortError');
    assert.equal(reports, 2, 'no entry after the abort');
    assert.deepEqual(await root.snapshot(), before);
  });

  it('does not start when the signal is already aborted', async () => {
    const before = await root.snapshot();

    await assert.rejects(extractArchive(zipPath, destDir, { signal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.deepEqual(await root.snapshot(), before);
  });

  it('aborts within a streaming entry', async () => {
    const bigZip = await root.write('big.zip', await makeZip([{ name: 'big.bin', data: randomBytes(4 * 1024 * 1024) }]));
    const controller = new AbortController();
    const before = await root.snapshot();

    await assert.rejects(extractArchive(bigZip, destDir, {
      signal: controller.signal,
      onProgress: (progress) => { if (progress.bytesWritten > 0) controller.abort(); },
    }), { name: 'AbortError' });
    assert.deepEqual(await root.snapshot(), before);
  });
});
