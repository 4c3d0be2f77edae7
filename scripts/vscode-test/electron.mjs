// Runs the same suite (out/test/vscode/index.js) in desktop VS Code through @vscode/test-electron, for a
// machine that can download VS Code (not CI here: it reaches only the npm registry and apt). Build first:
// `npm run build && npm run compile-tests`. VSCODE_TEST_VERSION picks the VS Code version (default: the
// one code-server 4.100.3 carries, the oldest engines.vscode allows); VSCODE_TEST_SETUP works as in run.mjs.
// Screenshots are skipped: test/vscode/screenshot.ts needs run.mjs's browser.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { cacheDir, createRunDir, repoRoot } from './codeServer.mjs';
import { runSetupHook } from './setupHook.mjs';

const runDir = await createRunDir();
const setup = await runSetupHook(runDir);
const workspace = setup.workspaceFolder ?? path.join(runDir, 'workspace');
await mkdir(workspace, { recursive: true });

let exitCode = 1;
try {
  exitCode = await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? '1.100.3',
    cachePath: path.join(cacheDir, 'electron'),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out/test/vscode/index.js'),
    extensionTestsEnv: setup.env,
    launchArgs: [
      workspace,
      '--disable-extensions', // only the extension under test
      '--disable-workspace-trust',
      '--skip-welcome',
      `--user-data-dir=${path.join(runDir, 'user-data')}`,
      `--extensions-dir=${path.join(runDir, 'ext')}`,
    ],
  });
} catch (error) {
  console.error(`[vscode-test] ${String(error)}`);
} finally {
  await setup.teardown?.();
}
if (exitCode === 0) await rm(runDir, { recursive: true, force: true });
process.exit(exitCode);
