import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CaseLocator, candidatePaths, comparisonOf, messageOf, stackFrames } from '../../../src/gitlab/tests';
import { folderFiles } from './folderFiles';

describe('locating a test case in the workspace', () => {
  let root: string;
  let locator: CaseLocator;
  let files: Awaited<ReturnType<typeof folderFiles>>;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'locate-'));
    await mkdir(path.join(root, 'src'), { recursive: true });
    await mkdir(path.join(root, 'test'), { recursive: true });
    await mkdir(path.join(root, 'lib/moved'), { recursive: true });
    await mkdir(path.join(root, 'src/test/java/com/shop'), { recursive: true });
    await mkdir(path.join(root, 'tests'), { recursive: true });
    await writeFile(path.join(root, 'src/cart.ts'), 'export function total() {}\n');
    await writeFile(path.join(root, 'test/cart.test.ts'), "import x from 'y';\n\ndescribe('cart', () => {\n  it('applies a coupon', () => {});\n});\n");
    await writeFile(path.join(root, 'lib/moved/pricing.ts'), '\n');
    await writeFile(path.join(root, 'src/test/java/com/shop/CartTest.java'), 'class CartTest {}\n');
    await writeFile(path.join(root, 'tests/test_cart.py'), 'def test_total():\n    pass\n');
    files = await folderFiles(root);
    locator = new CaseLocator(files);
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('maps a CI stack trace into the workspace and prefers the frame in the test file', async () => {
    const output = 'Error: boom\n    at total (/builds/demo-group/demo-app/src/cart.ts:7:11)\n    at Context.<anonymous> (/builds/demo-group/demo-app/test/cart.test.ts:14:27)\n    at node:internal/timers:478:21';
    const location = await locator.locate({ name: 'applies a coupon', file: 'test/cart.test.ts', output });
    assert.deepEqual(location.test, { path: 'test/cart.test.ts', line: 14, column: 27 });
    assert.deepEqual(location.frames.map((frame) => `${frame.path}:${frame.line}`), ['src/cart.ts:7', 'test/cart.test.ts:14']);
  });

  it('finds the test by name in its file when the trace says nothing, and by its #L anchor', async () => {
    assert.deepEqual((await locator.locate({ name: 'cart applies a coupon', file: './test/cart.test.ts', output: '' })).test, { path: 'test/cart.test.ts', line: 4 });
    assert.deepEqual((await locator.locate({ name: 'x', file: 'test/cart.test.ts#L2', output: '' })).test, { path: 'test/cart.test.ts', line: 2 });
  });

  it('falls back on the classname (Java packages, Python modules) and on test-looking frames', async () => {
    assert.equal((await locator.locate({ name: 'applies', classname: 'com.shop.CartTest', output: '' })).test?.path, 'src/test/java/com/shop/CartTest.java');
    assert.deepEqual((await locator.locate({ name: 'test_total', classname: 'tests.test_cart', output: '' })).test, { path: 'tests/test_cart.py', line: 1 });
    const python = await locator.locate({ name: 't', output: 'Traceback:\n  File "/builds/g/p/src/cart.ts", line 3, in x\n  File "/builds/g/p/tests/test_cart.py", line 2, in test_total' });
    assert.deepEqual(python.test, { path: 'tests/test_cart.py', line: 2 });
  });

  it('finds a moved file by name; a renamed one and a case with no file, classname or frames get no location', async () => {
    assert.equal((await locator.locate({ name: 'x', output: 'at f (/builds/g/p/src/pricing.ts:3:1)' })).test?.path, 'lib/moved/pricing.ts');
    assert.equal((await locator.locate({ name: 'x', output: 'at f (/builds/g/p/src/renamed-away.ts:3:1)' })).test, undefined);
    assert.deepEqual(await locator.locate({ name: 'nothing', output: 'it failed' }), { test: undefined, frames: [] });
  });

  it('never points outside the workspace: .. escapes, URLs and dependencies are dropped', async () => {
    for (const raw of ['../../etc/passwd', 'test/../../secret.ts', 'node:internal/timers', 'https://example.com/a.ts', 'node_modules/chai/index.js', '', 'a\0b']) {
      assert.deepEqual(candidatePaths(raw), [], raw);
    }
    assert.deepEqual(candidatePaths('/builds/g/p/../../../src/cart.ts'), ['src/cart.ts', 'cart.ts']);
    assert.deepEqual(candidatePaths('C:\\ci\\p\\src\\cart.ts'), ['ci/p/src/cart.ts', 'p/src/cart.ts', 'src/cart.ts', 'cart.ts']);
    const location = await locator.locate({ name: 'x', file: '../../etc/passwd', output: 'at f (../../../outside/cart.test.ts:1:1)' });
    assert.equal(location.test, undefined);
    assert.ok(files.asked.every((asked) => !asked.split('/').includes('..') && !path.isAbsolute(asked)), files.asked.join(', '));
  });

  it('reads a bounded number of frames from the top of a 1 MB trace, and nothing from a 1 MB line', () => {
    const frames = stackFrames(`${Array.from({ length: 500 }, (_, index) => `  at f (/b/src/f${index}.ts:${index + 1}:1)`).join('\n')}\n${'a'.repeat(1024 * 1024)}`);
    assert.equal(frames.length, 20);
    assert.deepEqual(frames[0], { path: '/b/src/f0.ts', line: 1, column: 1 });
    assert.deepEqual(stackFrames(`${'(a.ts'.repeat(200_000)}:1`), []);
  });
});

describe('failure messages', () => {
  it('reads expected and actual values in the usual wordings', () => {
    assert.deepEqual(comparisonOf('AssertionError: expected 90 to equal 85'), { expected: '85', actual: '90' });
    assert.deepEqual(comparisonOf('expect(received).toBe(expected)\n\nExpected: 85\nReceived: 90'), { expected: '85', actual: '90' });
    assert.deepEqual(comparisonOf('org.opentest4j.AssertionFailedError: expected: <85> but was: <90>'), { expected: '85', actual: '90' });
    assert.deepEqual(comparisonOf('E       assert 90 == 85'), { expected: '85', actual: '90' });
    assert.equal(comparisonOf('Error: boom'), undefined);
    assert.equal(messageOf('\n\n  Error: boom\n  at x', 'fallback'), 'Error: boom');
    assert.equal(messageOf('', 'fallback'), 'fallback');
  });
});
