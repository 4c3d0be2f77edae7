import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  ArchiveEntryNotFoundError, extractRemoteEntry, listLocalZip, listRemoteZip, openRemoteZip, UnsafeArchiveError, type RangeReader,
} from '../../../src/gitlab/archive';
import { dataOffset, makeZip, patchEntry, placeholder, TempRoot } from './zipFixtures';

const S_IFLNK = 0o120000;

/** A RangeReader over a local file that records every request, like object storage answering Range. */
class CountingReader {
  readonly requests: Array<{ start: number; end: number; signal: AbortSignal | undefined }> = [];

  constructor(private readonly path: string) {}

  readonly read: RangeReader = (start, end, signal) => {
    this.requests.push({ start, end, signal });
    return Promise.resolve(createReadStream(this.path, { start, end: end - 1 }));
  };

  get bytesRead(): number {
    return this.requests.reduce((sum, request) => sum + request.end - request.start, 0);
  }
}

describe('remote zips over a RangeReader', () => {
  let root: TempRoot;

  beforeEach(async () => {
    root = await TempRoot.create();
  });
  afterEach(() => root.remove());

  describe('a 2,000-entry archive of about 3 MB', () => {
    let archiveRoot: TempRoot;
    let zipPath: string;
    let zipSize: number;
    const contents = new Map<string, Buffer>();

    before(async () => {
      archiveRoot = await TempRoot.create();
      const entries = Array.from({ length: 2000 }, (_, index) => {
        const name = `reports/part-${Math.floor(index / 100)}/file-${index}.bin`;
        const data = randomBytes(1500);
        contents.set(name, data);
        // yazl deflates slowly, and random bytes do not compress: deflate only some.
        return { name, data, compress: index % 100 === 0 };
      });
      const zip = await makeZip(entries);
      zipSize = zip.length;
      zipPath = await archiveRoot.write('big.zip', zip);
    });
    after(() => archiveRoot.remove());

    it('lists every entry reading only the central directory and the end of the file, in a few requests', async () => {
      const reader = new CountingReader(zipPath);

      const entries = await listRemoteZip(reader.read, zipSize);

      assert.deepEqual(entries, await listLocalZip(zipPath));
      assert.equal(entries.length, 2000);
      assert.ok(reader.bytesRead < zipSize * 0.1, `read ${reader.bytesRead} of ${zipSize} bytes`);
      assert.ok(reader.requests.length <= 3, `made ${reader.requests.length} requests`);
    });

    it('after listing, extracts one small entry reading only its local header and data', async () => {
      const reader = new CountingReader(zipPath);
      const archive = await openRemoteZip(reader.read, zipSize);
      const listed = archive.entries.find((entry) => entry.path === 'reports/part-7/file-700.bin');
      assert.ok(listed);
      const listingBytes = reader.bytesRead;
      const listingRequests = reader.requests.length;

      const destFile = join(root.path, 'one.bin');
      const result = await archive.extractEntry(listed.path, destFile);
      archive.close();

      const entryBytes = reader.bytesRead - listingBytes;
      assert.equal(result.size, 1500);
      assert.deepEqual(await readFile(destFile), contents.get(listed.path));
      assert.ok(entryBytes >= listed.compressedSize && entryBytes <= listed.compressedSize + 30, `read ${entryBytes} bytes for ${listed.compressedSize} of data`);
      assert.equal(reader.requests.length - listingRequests, 2, 'local header, then data');
    });

    it('extracts one entry in one call, reading the central directory and that entry only', async () => {
      const listingReader = new CountingReader(zipPath);
      const listed = (await listRemoteZip(listingReader.read, zipSize)).find((entry) => entry.path === 'reports/part-0/file-5.bin');
      assert.ok(listed);
      const reader = new CountingReader(zipPath);

      const destFile = join(root.path, 'one.bin');
      await extractRemoteEntry(reader.read, zipSize, listed.path, destFile);

      assert.deepEqual(await readFile(destFile), contents.get(listed.path));
      assert.ok(reader.bytesRead <= listingReader.bytesRead + 30 + listed.compressedSize, `read ${reader.bytesRead} bytes`);
    });

    it('passes the operation\'s abort signal to the reader', async () => {
      const reader = new CountingReader(zipPath);
      const listing = new AbortController();
      const extraction = new AbortController();

      const archive = await openRemoteZip(reader.read, zipSize, { signal: listing.signal });
      const listingRequests = reader.requests.length;
      await archive.extractEntry('reports/part-0/file-1.bin', join(root.path, 'one.bin'), { signal: extraction.signal });
      archive.close();

      assert.ok(reader.requests.slice(0, listingRequests).every((request) => request.signal === listing.signal));
      assert.ok(reader.requests.slice(listingRequests).every((request) => request.signal === extraction.signal));
    });
  });

  it('lists a central directory larger than the 1 MiB read-ahead without reading any part twice', async () => {
    // Long names rather than many entries: yazl takes a while per entry.
    const longFolder = `${'d'.repeat(230)}/${'e'.repeat(230)}`;
    const zip = await makeZip(Array.from({ length: 2800 }, (_, index) => ({ name: `${longFolder}/file-${index}.txt`, data: '', compress: false })));
    const zipPath = await root.write('long-names.zip', zip);
    const centralDirectoryBytes = zip.readUInt32LE(zip.length - 22 + 12);
    assert.ok(centralDirectoryBytes > 1.2 * 1024 * 1024, `central directory of ${centralDirectoryBytes} bytes`);
    const reader = new CountingReader(zipPath);

    const entries = await listRemoteZip(reader.read, zip.length);

    assert.deepEqual(entries, await listLocalZip(zipPath));
    // The end of the file, the first central record, then two read-aheads up to the end-of-file window.
    assert.equal(reader.requests.length, 4, JSON.stringify(reader.requests.map(({ start, end }) => [start, end])));
    assert.equal(reader.bytesRead, centralDirectoryBytes + 22);
  });

  describe('refusals and failures', () => {
    async function remote(zip: Buffer): Promise<{ reader: CountingReader; size: number }> {
      return { reader: new CountingReader(await root.write('remote.zip', zip)), size: zip.length };
    }

    it('lists unsafe entries flagged instead of hiding them', async () => {
      const zip = patchEntry(await makeZip([
        { name: 'ok/fine.txt', data: 'fine' },
        { name: placeholder('../../evil.txt'), data: 'evil' },
        { name: 'link', data: '/etc/passwd', mode: S_IFLNK | 0o777 },
        { name: 'Fine.TXT', data: 'a' },
        { name: 'fine.txt', data: 'b' },
      ]), 1, { name: '../../evil.txt' });
      const { reader, size } = await remote(zip);

      const entries = await listRemoteZip(reader.read, size);

      assert.deepEqual(entries.map(({ path, unsafe }) => ({ path, unsafe })), [
        { path: 'ok/fine.txt', unsafe: undefined },
        { path: '../../evil.txt', unsafe: 'path-traversal' },
        { path: 'link', unsafe: 'symlink' },
        { path: 'Fine.TXT', unsafe: undefined },
        { path: 'fine.txt', unsafe: 'name-collision' },
      ]);
      assert.deepEqual(entries[2], { path: 'link', type: 'file', size: 11, compressedSize: entries[2].compressedSize, mode: S_IFLNK | 0o777, unsafe: 'symlink' });
    });

    it('extracts an entry with an unsafe name to the file the caller chose', async () => {
      const zip = patchEntry(await makeZip([{ name: placeholder('../evil.txt'), data: 'just text' }]), 0, { name: '../evil.txt' });
      const { reader, size } = await remote(zip);
      const destFile = join(root.path, 'chosen', 'evil.txt');

      await extractRemoteEntry(reader.read, size, '../evil.txt', destFile);

      assert.equal(await readFile(destFile, 'utf8'), 'just text');
      assert.deepEqual(await root.snapshot(), ['chosen/', 'chosen/evil.txt', 'remote.zip']);
    });

    it('refuses a symlink entry', async () => {
      const { reader, size } = await remote(await makeZip([{ name: 'link', data: '/etc/passwd', mode: S_IFLNK | 0o777 }]));

      await assert.rejects(extractRemoteEntry(reader.read, size, 'link', join(root.path, 'link.txt')), { reason: 'symlink', entryName: 'link' });
      assert.deepEqual(await root.snapshot(), ['remote.zip']);
    });

    it('refuses an entry over maxBytes before reading its data', async () => {
      const { reader, size } = await remote(await makeZip([{ name: 'big.bin', data: Buffer.alloc(2000, 7) }]));

      await assert.rejects(extractRemoteEntry(reader.read, size, 'big.bin', join(root.path, 'big.bin'), { maxBytes: 1000 }), { reason: 'entry-too-large' });
      assert.deepEqual(await root.snapshot(), ['remote.zip']);
    });

    it('checks the CRC-32 and leaves neither the file nor a partial one', async () => {
      const zip = await makeZip([{ name: 'data.txt', data: 'the quick brown fox', compress: false }]);
      zip[dataOffset(zip, 0) + 3] ^= 0x20;
      const { reader, size } = await remote(zip);

      await assert.rejects(extractRemoteEntry(reader.read, size, 'data.txt', join(root.path, 'out', 'data.txt')), { reason: 'crc-mismatch', entryName: 'data.txt' });
      assert.deepEqual(await root.snapshot(), ['remote.zip']);
    });

    it('keeps the previous destFile when extraction fails', async () => {
      const zip = patchEntry(await makeZip([{ name: 'data.txt', data: 'new content '.repeat(10) }]), 0, { crc32: 1 });
      const { reader, size } = await remote(zip);
      const destFile = await root.write('data.txt', 'old content');

      await assert.rejects(extractRemoteEntry(reader.read, size, 'data.txt', destFile), { reason: 'crc-mismatch' });
      assert.equal(await readFile(destFile, 'utf8'), 'old content');
      assert.deepEqual(await root.snapshot(), ['data.txt', 'remote.zip']);
    });

    it('tells a missing file from a folder', async () => {
      const { reader, size } = await remote(await makeZip([{ name: 'dir/' }, { name: 'dir/file.txt', data: 'x' }]));
      const archive = await openRemoteZip(reader.read, size);

      await assert.rejects(archive.extractEntry('nope.txt', join(root.path, 'x')), (error: unknown) => error instanceof ArchiveEntryNotFoundError && /has no file/u.test(error.message));
      await assert.rejects(archive.extractEntry('dir', join(root.path, 'x')), (error: unknown) => error instanceof ArchiveEntryNotFoundError && /is a folder/u.test(error.message));
      archive.close();
      assert.deepEqual(await root.snapshot(), ['remote.zip']);
    });

    it('refuses to choose between duplicate files', async () => {
      const { reader, size } = await remote(await makeZip([{ name: 'twice.txt', data: '1' }, { name: 'twice.txt', data: '2' }]));

      await assert.rejects(extractRemoteEntry(reader.read, size, 'twice.txt', join(root.path, 'x')), { reason: 'duplicate-name' });
    });

    it('refuses listing more entries than maxEntries, reading only the end of the file', async () => {
      const zip = await makeZip(Array.from({ length: 20 }, (_, index) => ({ name: `f${index}`, data: 'x' })));
      const { reader, size } = await remote(zip);

      await assert.rejects(openRemoteZip(reader.read, size, { maxEntries: 19 }), { reason: 'too-many-entries' });
      assert.equal(reader.requests.length, 1);
    });

    it('passes the reader\'s own errors through unchanged', async () => {
      const zip = await makeZip([{ name: 'a.txt', data: 'a' }]);
      const failure = new Error('HTTP 403 from object storage');
      const failing: RangeReader = () => Promise.reject(failure);
      const failingStream: RangeReader = () => Promise.resolve(new Readable({ read() { this.destroy(failure); } }));

      await assert.rejects(listRemoteZip(failing, zip.length), (error: unknown) => error === failure);
      await assert.rejects(listRemoteZip(failingStream, zip.length), (error: unknown) => error === failure);
    });

    it('passes through a failure while streaming an entry\'s data', async () => {
      // Larger than the 64 KiB read from the end, so that the data is not cached already.
      const zip = await makeZip([{ name: 'a.txt', data: randomBytes(100_000), compress: false }]);
      const zipPath = await root.write('remote.zip', zip);
      const failure = new Error('connection reset');
      const dataStart = dataOffset(zip, 0);
      const read: RangeReader = (start, end) => Promise.resolve(start === dataStart
        ? new Readable({ read() { this.destroy(failure); } })
        : createReadStream(zipPath, { start, end: end - 1 }));

      await assert.rejects(extractRemoteEntry(read, zip.length, 'a.txt', join(root.path, 'a.txt')), (error: unknown) => error === failure);
      assert.deepEqual(await root.snapshot(), ['remote.zip']);
    });

    it('says so when the reader ignores the range', async () => {
      // Larger than the 64 KiB yauzl reads from the end, so that the whole file is too much.
      const zip = await makeZip([{ name: 'a.bin', data: randomBytes(100_000) }]);
      const wholeFile: RangeReader = () => Promise.resolve(Readable.from([zip]));

      await assert.rejects(listRemoteZip(wholeFile, zip.length), (error: unknown) => {
        assert.ok(!(error instanceof UnsafeArchiveError));
        assert.match((error as Error).message, /range reader returned more than/u);
        return true;
      });
    });

    it('stops when aborted while an entry streams, leaving no file', async () => {
      const zip = await makeZip([{ name: 'big.bin', data: randomBytes(1024 * 1024), compress: false }]);
      const zipPath = await root.write('remote.zip', zip);
      const controller = new AbortController();
      const dataStart = dataOffset(zip, 0);
      const read: RangeReader = (start, end) => {
        if (start === dataStart) controller.abort();
        return Promise.resolve(createReadStream(zipPath, { start, end: end - 1 }));
      };

      await assert.rejects(extractRemoteEntry(read, zip.length, 'big.bin', join(root.path, 'big.bin'), { signal: controller.signal }), { name: 'AbortError' });
      assert.deepEqual(await root.snapshot(), ['remote.zip']);
    });
  });
});
