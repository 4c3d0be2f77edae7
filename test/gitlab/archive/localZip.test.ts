import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listLocalZip, openLocalZip } from '../../../src/gitlab/archive';
import { makeZip, patchEntry, placeholder, TempRoot } from './zipFixtures';

describe('local zips (a cached download)', () => {
  let root: TempRoot;

  beforeEach(async () => {
    root = await TempRoot.create();
  });
  afterEach(() => root.remove());

  it('lists entries with their sizes, modes and folder type, flagging unsafe names', async () => {
    const zip = patchEntry(await makeZip([
      { name: 'dir/' },
      { name: 'dir/run.sh', data: 'echo hi', mode: 0o100755 },
      { name: placeholder('C:/evil.txt'), data: 'evil' },
    ]), 2, { name: 'C:/evil.txt' });
    const zipPath = await root.write('cached.zip', zip);

    const entries = await listLocalZip(zipPath);

    assert.deepEqual(entries.map(({ path, type, size, mode, unsafe }) => ({ path, type, size, mode, unsafe })), [
      { path: 'dir', type: 'directory', size: 0, mode: 0o40775, unsafe: undefined },
      { path: 'dir/run.sh', type: 'file', size: 7, mode: 0o100755, unsafe: undefined },
      { path: 'C:/evil.txt', type: 'file', size: 4, mode: 0o100664, unsafe: 'drive-letter' },
    ]);
  });

  it('extracts single files from an opened archive', async () => {
    const zipPath = await root.write('cached.zip', await makeZip([{ name: 'a.txt', data: 'alpha' }, { name: 'b/c.txt', data: 'gamma' }]));
    const archive = await openLocalZip(zipPath);

    await archive.extractEntry('b/c.txt', join(root.path, 'c.txt'));
    await archive.extractEntry('a.txt', join(root.path, 'a.txt'));
    archive.close();

    assert.equal(await readFile(join(root.path, 'c.txt'), 'utf8'), 'gamma');
    assert.equal(await readFile(join(root.path, 'a.txt'), 'utf8'), 'alpha');
  });

  it('reports a damaged file as corrupt, and a missing one as the file system does', async () => {
    const zipPath = await root.write('cached.zip', 'not a zip');

    await assert.rejects(listLocalZip(zipPath), { name: 'UnsafeArchiveError', reason: 'corrupt' });
    await assert.rejects(listLocalZip(join(root.path, 'missing.zip')), { code: 'ENOENT' });
  });
});
