import assert from 'node:assert/strict';
import { ArchiveTree, type ArchiveEntry, type ArchiveTreeNode } from '../../../src/gitlab/archive';

const file = (path: string, size: number, unsafe?: ArchiveEntry['unsafe']): ArchiveEntry =>
  ({ path, type: 'file', size, compressedSize: size, ...(unsafe === undefined ? {} : { unsafe }) });
const folder = (path: string): ArchiveEntry => ({ path, type: 'directory', size: 0, compressedSize: 0 });

const summary = (nodes: ArchiveTreeNode[]): string[] =>
  nodes.map((node) => `${node.type === 'directory' ? 'd' : 'f'} ${node.path} ${node.size}${node.unsafe === undefined ? '' : ` !${node.unsafe}`}${node.containsUnsafe ? ' (contains unsafe)' : ''}`);

describe('ArchiveTree', () => {
  const tree = new ArchiveTree([
    file('z-top.txt', 1),
    file('coverage/index.html', 10),
    file('coverage/lcov/a.info', 100),
    file('coverage/lcov/b.info', 1000),
    folder('empty'),
    folder('coverage'),
    file('a-top.txt', 2),
    file('../evil.txt', 5, 'path-traversal'),
    file('dup.txt', 3),
    file('dup.txt', 4, 'duplicate-name'),
  ]);

  it('lists the root: folders first, then files, each by name', () => {
    assert.deepEqual(summary(tree.children()), [
      'd .. 5 (contains unsafe)',
      'd coverage 1110',
      'd empty 0',
      'f a-top.txt 2',
      'f dup.txt 3',
      'f dup.txt 4 !duplicate-name',
      'f z-top.txt 1',
    ]);
  });

  it('lists one folder at a time, with implied folders and their totals', () => {
    assert.deepEqual(summary(tree.children('coverage')), ['d coverage/lcov 1100', 'f coverage/index.html 10']);
    assert.deepEqual(summary(tree.children('coverage/lcov')), ['f coverage/lcov/a.info 100', 'f coverage/lcov/b.info 1000']);
    assert.deepEqual(tree.children('empty'), []);
    assert.deepEqual(tree.children('no/such/folder'), []);
  });

  it('keeps the entry of listed folders and files, not of implied folders', () => {
    const [lcov, index] = tree.children('coverage');
    assert.equal(lcov.entry, undefined);
    assert.deepEqual(index.entry, file('coverage/index.html', 10));
    assert.deepEqual(tree.children().find((node) => node.path === 'coverage')?.entry, folder('coverage'));
  });

  it('shows unsafe entries where their names put them, flagged', () => {
    assert.deepEqual(summary(tree.children('..')), ['f ../evil.txt 5 !path-traversal']);
  });
});
