// Runs a module inside the real VS Code extension host: code-server and Debian's Chromium, started the way
// scripts/vscode-test/run.mjs starts them (its modules are reused), with extensionTestsPath pointing at a
// bench module instead of the test suite. A control server lets that module take focus away from the window.
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { type FakeGitLab, startFakeGitLab } from '../../test/fake-gitlab';
import { FAKE_PORT_VARIABLE, setup } from '../../test/vscode/setup';
import { CONTROL_URL_VARIABLE } from './contract';

interface CodeServer {
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  remoteUri(absolutePath: string): string;
  workbenchUrl(payload: [string, string][]): string;
  stop(): Promise<void>;
}

interface CodeServerModule {
  readonly repoRoot: string;
  createRunDir(): Promise<string>;
  startCodeServer(options: { runDir: string; workspace: string; env: Record<string, string> }): Promise<CodeServer>;
}

interface BrowserModule {
  launchChromium(options: { profileDir: string }): Promise<BrowserContext>;
}

export interface SessionOptions {
  readonly runDir: string;
  readonly workspace: string;
  /** Reaches the extension host (so the extension and the module) through code-server's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** The compiled module VS Code loads as extensionTestsPath; its `run()` resolving ends the session. */
  readonly testsModule: string;
  readonly timeoutMs: number;
  /** What the module may ask the bench's process to do (`POST /act?name=N`), e.g. change the fake's state. */
  readonly actions?: Readonly<Record<string, () => void>>;
  /** What the module may ask of the page (`POST /page?name=N&arg=A`); the answer is the response's body. */
  readonly pageActions?: Readonly<Record<string, PageAction>>;
}

export type PageAction = (page: Page, argument: string) => Promise<string>;

export interface SessionResult {
  readonly exitCode: number;
  /** What the extension host printed (console.log of the module and of VS Code). */
  readonly output: readonly string[];
}

const SCRIPTS = join(__dirname, '../../../scripts/vscode-test');

export function loadCodeServerModule(): Promise<CodeServerModule> {
  return import(pathToFileURL(join(SCRIPTS, 'codeServer.mjs')).href) as Promise<CodeServerModule>;
}

export interface FakeWorkspace {
  readonly runDir: string;
  readonly workspace: string;
  readonly fake: FakeGitLab;
}

/**
 * A run folder holding the VS Code suites' workspace (their setup hook: a git checkout on `main` with a
 * .gitlab-ci.yml, whose origin points at a free port) and the fake GitLab started on that port.
 */
export async function startFakeWorkspace(): Promise<FakeWorkspace> {
  const codeServer = await loadCodeServerModule();
  const runDir = await codeServer.createRunDir();
  const workspace = await setup({ runDir, repoRoot: codeServer.repoRoot });
  const fake = await startFakeGitLab({ port: Number(workspace.env?.[FAKE_PORT_VARIABLE]) });
  return { runDir, workspace: workspace.workspaceFolder ?? runDir, fake };
}

/** The environment that signs the extension in to `fake` as its maintainer, with no dialog. */
export function signedInEnv(fake: FakeGitLab): Record<string, string> {
  return { GITLAB_CI_LENS_INSTANCE_URL: fake.url, GITLAB_CI_LENS_TOKEN: fake.tokens.maintainer };
}

/** The JSON the module printed after `marker`; a session that failed, or printed none, throws with its last lines. */
export function reportOf<T>(session: SessionResult, marker: string, what: string): T {
  const line = session.output.find((candidate) => candidate.startsWith(marker));
  if (session.exitCode !== 0 || !line) {
    throw new Error(`${what} failed (exit ${session.exitCode}); its last lines:\n${session.output.slice(-20).join('\n')}`);
  }
  return JSON.parse(line.slice(marker.length)) as T;
}

export async function runSession(options: SessionOptions): Promise<SessionResult> {
  const codeServer = await loadCodeServerModule();
  const browser = (await import(pathToFileURL(join(SCRIPTS, 'browser.mjs')).href)) as BrowserModule;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const context = await browser.launchChromium({ profileDir: join(options.runDir, 'browser-profile') });
    cleanups.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    const control = await startControlServer(page, options.actions ?? {}, options.pageActions ?? {});
    cleanups.push(() => new Promise((resolve) => control.close(resolve)));
    const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
    const server = await codeServer.startCodeServer({
      runDir: options.runDir,
      workspace: options.workspace,
      env: { ...options.env, [CONTROL_URL_VARIABLE]: controlUrl },
    });
    cleanups.push(() => server.stop());

    const output: string[] = [];
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => reportExit(Number(code)));
    await page.exposeFunction('codeAutomationLog', (_level: unknown, args: unknown) => {
      output.push(Array.isArray(args) ? args.map(String).join(' ') : String(args));
    });
    await page.goto(
      server.workbenchUrl([
        ['extensionDevelopmentPath', server.remoteUri(codeServer.repoRoot)],
        ['extensionTestsPath', server.remoteUri(options.testsModule)],
        ['skipWelcome', 'true'],
      ]),
    );
    let timer: NodeJS.Timeout | undefined;
    const exitCode = await Promise.race([
      exited,
      server.exited.then(() => 1),
      new Promise<number>((resolve) => (timer = setTimeout(() => resolve(1), options.timeoutMs))),
    ]);
    clearTimeout(timer);
    return { exitCode, output };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    // Retried: processes of the window may still be writing into it (git, the file watcher) as they end.
    await rm(options.runDir, { recursive: true, force: true, maxRetries: 5 });
  }
}

/**
 * POST /act?name=N runs one of the session's actions; POST /page?name=N&arg=A one of its page actions. POST /focus?focused=false|true. Headless Chromium tells every page it has focus, so a user switching to
 * another window is played in the page: `document.hasFocus()` answers false and the window gets `blur`, the
 * two things the workbench watches to tell the extension host (`window.state.focused`).
 */
async function startControlServer(page: Page, actions: Readonly<Record<string, () => void>>, pageActions: Readonly<Record<string, PageAction>>): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const focused = url.searchParams.get('focused');
    const reply = (status: number, text: string) => response.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    const action = url.pathname === '/act' ? actions[url.searchParams.get('name') ?? ''] : undefined;
    if (request.method === 'POST' && action) {
      action();
      reply(200, 'ok');
      return;
    }
    const pageAction = url.pathname === '/page' ? pageActions[url.searchParams.get('name') ?? ''] : undefined;
    if (request.method === 'POST' && pageAction) {
      pageAction(page, url.searchParams.get('arg') ?? '').then((answer) => reply(200, answer), (error: unknown) => reply(500, String(error)));
      return;
    }
    if (request.method !== 'POST' || url.pathname !== '/focus' || (focused !== 'true' && focused !== 'false')) {
      reply(400, 'only POST /focus?focused=true|false or /act?name=<an action of the session>');
      return;
    }
    page.evaluate(focused === 'true' ? GIVE_FOCUS_BACK : TAKE_FOCUS_AWAY).then(
      () => reply(200, 'ok'),
      (error: unknown) => reply(500, String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

// Page scripts as text: this project's TypeScript has no DOM types, and these run in the page.
const TAKE_FOCUS_AWAY = `Object.defineProperty(document, 'hasFocus', { value: () => false, configurable: true });
window.dispatchEvent(new FocusEvent('blur'));`;
const GIVE_FOCUS_BACK = `delete document.hasFocus;
window.dispatchEvent(new FocusEvent('focus'));`;
