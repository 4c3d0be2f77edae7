/* global fetch */
// Starts code-server (installed by install.sh) with every piece of state inside one run folder, so runs
// never share or leave settings behind and several can go at once. Used by run.mjs and by demos.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URLSearchParams } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const cacheDir = path.join(repoRoot, '.vscode-test');
const codeServerBin = path.join(cacheDir, 'code-server/node_modules/.bin/code-server');

// Set when the caller runs inside VS Code or code-server: code-server would then hand its arguments to
// that instance instead of starting, and a Node started from Electron would behave like Electron.
const HOST_EDITOR_VARIABLES = ['VSCODE_IPC_HOOK_CLI', 'VSCODE_IPC_HOOK', 'ELECTRON_RUN_AS_NODE', 'VSCODE_PID', 'VSCODE_CWD'];

/** A fresh folder under .vscode-test/runs/ for one run's state and logs, named <UTC time>-<pid>. */
export async function createRunDir() {
  // Short: code-server's session socket goes in runDir/user-data/ and Unix socket paths end at 107 characters.
  const stamp = new Date().toISOString().replace(/[-:]|\.\d+Z$/g, '').replace('T', '-');
  const runDir = path.join(cacheDir, 'runs', `${stamp}-${process.pid}`);
  await mkdir(runDir, { recursive: true });
  return runDir;
}

/** A port free right now on 127.0.0.1 (the OS picks it), so parallel runs don't collide. */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Installs this checkout into the server's extensions folder as a regular (not development) extension,
 * by a symlink named the way VS Code names installed extensions: the workbench then needs no payload and
 * its window looks like a user's (no "[Extension Development Host]"). It runs dist/ as built.
 */
async function linkExtensionInto(extensionsDir) {
  const { publisher, name, version } = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8'));
  await mkdir(extensionsDir, { recursive: true });
  await symlink(repoRoot, path.join(extensionsDir, `${publisher}.${name}-${version}`));
}

// User settings for quiet, repeatable windows and screenshots; startCodeServer's `settings` add to them.
const DEFAULT_SETTINGS = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.openRepositoryInParentFolders': 'never', // run folders sit inside this repository
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
};

/**
 * Starts code-server on 127.0.0.1 with its config, user data, extensions, XDG folders and TMPDIR in runDir,
 * opened on `workspace`. `env` is added to this process's environment: the extension host inherits it.
 * `settings` are user settings. `installExtension` installs this checkout as a regular extension (demos);
 * otherwise load it with a payload (see workbenchUrl). Output goes to runDir/code-server.log.
 * Resolves once /healthz answers.
 */
export async function startCodeServer({ runDir, workspace, env = {}, settings = {}, installExtension = false, port }) {
  if (!existsSync(codeServerBin)) {
    throw new Error('code-server is not installed: run `npm run vscode-test:install` first');
  }
  const serverPort = port ?? (await findFreePort());
  const stateDirs = Object.fromEntries(['config', 'data', 'tmp'].map((name) => [name, path.join(runDir, 'state', name)]));
  await Promise.all(Object.values(stateDirs).map((dir) => mkdir(dir, { recursive: true, mode: 0o700 })));
  // VS Code and its git extension put Unix sockets here, whose paths may not pass 107 characters: a run
  // folder deep in a checkout is too long, so this one lives in the system's temporary folder.
  const runtimeDir = await mkdtemp(path.join(os.tmpdir(), 'vscode-test-'));

  const extensionsDir = path.join(runDir, 'ext');
  if (installExtension) await linkExtensionInto(extensionsDir);
  const userSettingsDir = path.join(runDir, 'user-data', 'User');
  await mkdir(userSettingsDir, { recursive: true });
  await writeFile(path.join(userSettingsDir, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));

  const serverEnv = { ...process.env };
  for (const name of HOST_EDITOR_VARIABLES) delete serverEnv[name];
  // An empty gallery: no extension queries to open-vsx.org, which this machine must not (and cannot) reach.
  serverEnv.EXTENSIONS_GALLERY ??= '{}';
  Object.assign(serverEnv, env, {
    XDG_CONFIG_HOME: stateDirs.config,
    XDG_DATA_HOME: stateDirs.data,
    XDG_RUNTIME_DIR: runtimeDir,
    TMPDIR: stateDirs.tmp,
  });

  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${serverPort}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--config', path.join(runDir, 'config.yaml'),
    '--user-data-dir', path.join(runDir, 'user-data'),
    '--extensions-dir', extensionsDir,
    workspace,
  ];
  const logFile = path.join(runDir, 'code-server.log');
  const logFd = openSync(logFile, 'a');
  // Its own process group, so stop() also ends the extension host, pty host and file watcher it forks.
  const child = spawn(codeServerBin, args, { detached: true, stdio: ['ignore', logFd, logFd], env: serverEnv });
  closeSync(logFd);

  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // the group is gone already
    }
  };
  // Last resort if this process exits without calling stop(): never leave a server behind.
  const killOnExit = () => {
    killGroup('SIGKILL');
    rmSync(runtimeDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  const url = `http://127.0.0.1:${serverPort}`;
  async function stop() {
    process.removeListener('exit', killOnExit);
    if (killGroup('SIGTERM')) {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && killGroup(0)) await sleep(100);
      killGroup('SIGKILL');
    }
    await rm(runtimeDir, { recursive: true, force: true });
  }

  try {
    await waitForHealth(url, exited, logFile);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    port: serverPort,
    workspace,
    /** Resolves when the server process exits, with its code and signal. */
    exited,
    /** The URI the workbench and the extension host use for a path on this server. */
    remoteUri: (absolutePath) => `vscode-remote://127.0.0.1:${serverPort}${absolutePath}`,
    /**
     * The workbench URL on `workspace`, with an optional payload (a list of [key, value] pairs), e.g.
     * [['extensionDevelopmentPath', remoteUri(repoRoot)]] to load this checkout as a development extension.
     */
    workbenchUrl: (payload) => {
      const query = new URLSearchParams({ folder: workspace });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${url}/?${query.toString()}`;
    },
    stop,
  };
}

async function waitForHealth(url, exited, logFile) {
  let serverExit;
  void exited.then((exit) => (serverExit = exit));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (serverExit) {
      throw new Error(`code-server exited (code ${serverExit.code}, signal ${serverExit.signal}) before it was ready; see ${logFile}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`code-server did not answer ${url}/healthz within 30 s; see ${logFile}`);
}
