import assert from 'node:assert/strict';
import { collisionKey, findNameCollisions, findNameProblem, type NamedEntry } from '../../../src/gitlab/archive/entryNames';

describe('entry names', () => {
  describe('findNameProblem', () => {
    const cases: Array<[string, ReturnType<typeof findNameProblem>]> = [
      ['report.xml', undefined],
      ['coverage/lcov-report/index.html', undefined],
      ['folder/', undefined],
      ['..foo/bar..', undefined],
      ['ab:c.txt', undefined],
      ['trailing dot.', undefined],
      ['', 'empty-name'],
      ['a\u0000b', 'control-character'],
      ['a\u007fb', 'control-character'],
      ['a\u009bb', 'control-character'],
      ['/etc/passwd', 'absolute-path'],
      ['/', 'absolute-path'],
      ['\\windows\\system32', 'absolute-path'],
      ['\\\\server\\share\\x', 'absolute-path'],
      ['C:\\x', 'drive-letter'],
      ['c:x', 'drive-letter'],
      ['..', 'path-traversal'],
      ['../x', 'path-traversal'],
      ['a/../../x', 'path-traversal'],
      ['a/..', 'path-traversal'],
      ['../', 'path-traversal'],
      ['..\\x', 'path-traversal'],
      ['a\\..\\..\\b', 'path-traversal'],
      ['a/..\\b', 'path-traversal'],
      ['a\\b', 'backslash'],
      ['a//b', 'empty-segment'],
      ['a//', 'empty-segment'],
      ['./a', 'dot-segment'],
      ['a/./b', 'dot-segment'],
      [`${'x'.repeat(255)}/ok`, undefined],
      [`${'x'.repeat(256)}/ok`, 'name-too-long'],
      [`ok/${'€'.repeat(86)}`, 'name-too-long'],
    ];
    for (const [name, expected] of cases) {
      it(`${JSON.stringify(name.length > 40 ? `${name.slice(0, 12)}…` : name)} → ${expected ?? 'safe'}`, () => {
        assert.equal(findNameProblem(name, 'linux'), expected);
      });
    }

    it('applies Windows rules only for Windows', () => {
      const windowsOnly = ['ab:c.txt', 'x/trailing dot.', 'x/trailing space ', 'CON', 'nul.txt', 'dir/Com1.log', 'LPT9', 'what?', 'a*b', 'a<b>', 'a|b', 'say "hi"'];
      for (const name of windowsOnly) {
        assert.equal(findNameProblem(name, 'win32'), 'windows-reserved', name);
        assert.equal(findNameProblem(name, 'linux'), undefined, name);
      }
      assert.equal(findNameProblem('console.log', 'win32'), undefined);
      assert.equal(findNameProblem('com10', 'win32'), undefined);
    });
  });

  describe('collisionKey', () => {
    it('folds case, Unicode normalisation and the case-folding oddities of NTFS and APFS', () => {
      assert.equal(collisionKey('README.md'), collisionKey('readme.MD'));
      assert.equal(collisionKey('caf\u00e9'), collisionKey('cafe\u0301'));
      assert.equal(collisionKey('\u017f'), collisionKey('s'), 'long s');
      assert.notEqual(collisionKey('a'), collisionKey('b'));
    });
  });

  describe('findNameCollisions', () => {
    const file = (path: string): NamedEntry => ({ path, type: 'file' });
    const folder = (path: string): NamedEntry => ({ path, type: 'directory' });

    it('accepts distinct names and folders implied more than once or also listed', () => {
      assert.deepEqual(findNameCollisions([folder('a'), file('a/x'), file('a/y'), folder('a/b'), file('a/b/z'), file('b')]), []);
      assert.deepEqual(findNameCollisions([file('a/x'), folder('a')]), []);
    });

    it('reports exact duplicates, whether files or folders', () => {
      assert.deepEqual(findNameCollisions([file('x'), file('y'), file('x')]), [{ index: 2, problem: 'duplicate-name', collidesWith: 'x' }]);
      assert.deepEqual(findNameCollisions([folder('d'), folder('d')]), [{ index: 1, problem: 'duplicate-name', collidesWith: 'd' }]);
    });

    it('reports names equal only after folding, also through implied folders', () => {
      assert.deepEqual(findNameCollisions([file('Makefile'), file('makefile')]), [{ index: 1, problem: 'name-collision', collidesWith: 'Makefile' }]);
      assert.deepEqual(findNameCollisions([file('Docs/a'), file('docs/b')]), [{ index: 1, problem: 'name-collision', collidesWith: 'Docs' }]);
      assert.deepEqual(findNameCollisions([folder('caf\u00e9'), file('cafe\u0301/menu')]), [{ index: 1, problem: 'name-collision', collidesWith: 'caf\u00e9' }]);
    });

    it('reports a name that is both a file and a folder, in either order', () => {
      assert.deepEqual(findNameCollisions([file('a'), file('a/b')]), [{ index: 1, problem: 'file-directory-conflict', collidesWith: 'a' }]);
      assert.deepEqual(findNameCollisions([file('a/b'), file('a')]), [{ index: 1, problem: 'file-directory-conflict', collidesWith: 'a' }]);
      assert.deepEqual(findNameCollisions([folder('a'), file('A')]), [{ index: 1, problem: 'name-collision', collidesWith: 'a' }]);
    });
  });
});
