// What the runners (scripts/vscode-test/run.mjs and electron.mjs) offer the suite, and ask of a setup hook.

/** Set by run.mjs in the extension host's environment; absent under @vscode/test-electron. */
export const CONTROL_URL_VARIABLE = 'VSCODE_TEST_CONTROL_URL';

/** Given to the setup hook's `setup()`. */
export interface SetupContext {
  /** This run's own folder (.vscode-test/runs/<stamp>-<pid>/): put workspaces and fakes' files here. */
  readonly runDir: string;
  readonly repoRoot: string;
}

/** What the setup hook's `setup()` resolves to. Every field is optional. */
export interface SetupResult {
  /** Added to VS Code's environment, so the extension host (suite and extension) sees it in process.env. */
  readonly env?: Readonly<Record<string, string>>;
  /** The folder VS Code opens; by default an empty folder in runDir. */
  readonly workspaceFolder?: string;
  /** Called after VS Code has closed, whether the suite passed or not. */
  readonly teardown?: () => void | Promise<void>;
}

/**
 * The hook: a module named by VSCODE_TEST_SETUP (path from the repo root, e.g. out/test/vscode/setup.js)
 * exporting `setup`. It runs in the runner's Node process, before VS Code starts, so what it starts (a fake
 * GitLab server) lives as long as the run.
 */
export type Setup = (context: SetupContext) => Promise<SetupResult>;
