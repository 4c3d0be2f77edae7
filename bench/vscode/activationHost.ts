// Loaded by VS Code as extensionTestsPath (see session.ts) on an empty folder, where nothing activates the
// extension: times what activation costs the extension itself, `require` of its bundle and its
// `activate(context)`, apart from what VS Code adds around them (building the context over IPC).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { ACTIVATION_MARKER, type ActivationReport } from './contract';

const EXTENSION_ID = 'gitlab-ci-lens.gitlab-ci-lens';
// The window's own start-up (built-in extensions activating, the workbench loading) would otherwise share
// the CPU with the measure.
const SETTLE_MS = 4_000;

interface ExtensionModule {
  activate(context: vscode.ExtensionContext): unknown;
  deactivate?(): unknown;
}

export async function run(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  if (extension.isActive) throw new Error('the extension was activated before the measure');
  const load = createRequire(__filename);
  const bundle = load.resolve(join(extension.extensionPath, (extension.packageJSON as { main: string }).main));

  const started = performance.now();
  const loaded = load(bundle) as ExtensionModule;
  const requireMs = performance.now() - started;
  // VS Code then finds the bundle in Node's module cache: hand it the same functions, timed.
  let activateMs = Number.NaN;
  const timed: ExtensionModule = {
    activate(context) {
      const calledAt = performance.now();
      try {
        return loaded.activate(context);
      } finally {
        activateMs = performance.now() - calledAt;
      }
    },
    deactivate: () => loaded.deactivate?.(),
  };
  const cached = load.cache[bundle];
  if (!cached) throw new Error(`${bundle} is not in the module cache`);
  cached.exports = timed;
  await extension.activate();
  const report: ActivationReport = { requireMs, activateMs, endToEndMs: performance.now() - started };
  console.log(ACTIVATION_MARKER + JSON.stringify(report));
}
