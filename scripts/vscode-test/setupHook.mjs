// The optional setup hook both runners call before starting VS Code (contract: test/vscode/runnerContract.ts).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './codeServer.mjs';

/**
 * Imports the module named by VSCODE_TEST_SETUP (a path from the repo root, usually compiled test code such
 * as out/test/vscode/setup.js) and returns what its `setup({ runDir, repoRoot })` resolves to:
 * `{ env, workspaceFolder, teardown }`, each optional. Without VSCODE_TEST_SETUP, returns {}.
 */
export async function runSetupHook(runDir) {
  const modulePath = process.env.VSCODE_TEST_SETUP;
  if (!modulePath) return {};
  const hook = await import(pathToFileURL(path.resolve(repoRoot, modulePath)).href);
  const setup = hook.setup ?? hook.default?.setup;
  if (typeof setup !== 'function') throw new Error(`${modulePath} exports no setup() function`);
  console.log(`[vscode-test] setup ${modulePath}`);
  return (await setup({ runDir, repoRoot })) ?? {};
}
