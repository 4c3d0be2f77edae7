// What the .vsix holds: every file its Markdown links to (README's screenshots, the docs it points at), under
// the name the link uses, so the links work from inside the package, where VS Code shows an installed
// extension's README.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, posix, resolve } from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);
// vsce stores these under other names inside the .vsix (`extension/readme.md`…): a link to the original name
// breaks on case-sensitive file systems once the extension is installed.
const RENAMED_BY_VSCE: Record<string, string> = { 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md', LICENSE: 'LICENSE.txt' };

/** Relative targets of Markdown links and images, and of HTML `src`/`href`, without their `#fragment`. */
function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...markdown.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
  return targets.filter((target) => !/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target)).map((target) => decodeURI(target.split('#')[0]));
}

describe('the .vsix package', () => {
  /** As `vsce ls` names them (the source tree's names). */
  let packaged: Set<string>;
  /** As the .vsix holds them. */
  let inVsix: Set<string>;

  before(async function () {
    this.timeout(60_000);
    const { stdout } = await run(join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: REPO_ROOT });
    packaged = new Set(stdout.split('\n').map((line) => line.trim()).filter(Boolean));
    inVsix = new Set([...packaged].map((file) => RENAMED_BY_VSCE[file] ?? file));
  });

  it('holds the README, the changelog, the contributors\' guide and the localized manifest strings', () => {
    for (const file of ['README.md', 'CHANGELOG.md', 'CONTRIBUTING.md', 'LICENSE', 'package.nls.json']) assert.ok(packaged.has(file), `${file} is not packaged`);
  });

  it('holds every file that a packaged Markdown file links to', async () => {
    const markdownFiles = [...packaged].filter((file) => file.endsWith('.md'));
    assert.ok(markdownFiles.length >= 3, markdownFiles.join(', '));
    const missing: string[] = [];
    for (const file of markdownFiles) {
      for (const target of relativeLinks(await readFile(join(REPO_ROOT, file), 'utf8'))) {
        const resolved = posix.normalize(posix.join(dirname(file).split('\\').join('/'), target));
        if (!inVsix.has(resolved)) missing.push(`${file} → ${target}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
