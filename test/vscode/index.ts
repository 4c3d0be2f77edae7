// The module VS Code loads as extensionTestsPath, for both runners: scripts/vscode-test/run.mjs
// (code-server, CI) and scripts/vscode-test/electron.mjs (desktop VS Code). Runs every *.test.js beside it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  process.setSourceMapsEnabled(true); // failures then point at test/**/*.ts lines
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false, // the report ends up in CI logs and files
    // VSCODE_TEST_GREP (e.g. `activation`) runs a subset, like mocha's --grep.
    ...(process.env.VSCODE_TEST_GREP ? { grep: process.env.VSCODE_TEST_GREP } : {}),
  });
  const testFiles = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of testFiles) mocha.addFile(path.join(__dirname, file));
  // run.mjs shows the log from this line on: keep its start `vscode-test: running `.
  console.log(`vscode-test: running ${testFiles.length} test file(s) in VS Code ${vscode.version}`);

  const stats = await new Promise<Mocha.Stats | undefined>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  if (!stats) throw new Error('mocha gave no statistics');
  // A closing line CI recognises in any language, so it can tell a run that ran no test.
  console.log(`vscode: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
  if (stats.failures > 0) throw new Error(`${stats.failures} VS Code test(s) failed`);
  if (stats.passes === 0) throw new Error('no VS Code test ran');
}
