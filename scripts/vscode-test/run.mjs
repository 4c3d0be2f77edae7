/* global requestAnimationFrame -- in page.evaluate */
// Runs test/vscode/ (compiled to out/test/vscode/) inside a real VS Code: code-server's extension host,
// driven by headless Chromium. Builds nothing: `npm run test:vscode` builds and compiles first.
//
// Environment:
//   VSCODE_TEST_TIMEOUT_MS  limit on the suite, from opening the workbench to its exit code (default 10 min)
//   VSCODE_TEST_GREP        run only the tests whose titles match (test/vscode/index.ts reads it)
//   VSCODE_TEST_SETUP       module (path from the repo root) whose `setup(context)` runs here first: see
//                           test/vscode/runnerContract.ts
//   VSCODE_TEST_KEEP_RUN=1  keep the run folder (.vscode-test/runs/…) after a passing run
//   anything else           reaches the extension host and so the suite and the extension
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { format } from 'node:util';
import { launchChromium } from './browser.mjs';
import { cacheDir, createRunDir, repoRoot, startCodeServer } from './codeServer.mjs';
import { runSetupHook } from './setupHook.mjs';

const timeoutMs = Number(process.env.VSCODE_TEST_TIMEOUT_MS ?? 10 * 60_000);
const testsEntry = path.join(repoRoot, 'out/test/vscode/index.js');
const screenshotsDir = path.join(cacheDir, 'screenshots');
const SCREENSHOT_NAME = /^[\w.-]{1,100}$/;
// The first line test/vscode/index.ts prints.
const SUITE_STARTED_MARKER = 'vscode-test: running ';

const log = (message) => console.log(`[vscode-test] ${message}`);

for (const [file, howToMake] of [
  [path.join(repoRoot, 'dist/extension.js'), 'npm run build'],
  [testsEntry, 'npm run compile-tests'],
]) {
  if (!existsSync(file)) {
    log(`${path.relative(repoRoot, file)} is missing: run \`${howToMake}\` first`);
    process.exit(2);
  }
}

// code-server runs in its own process group, out of reach of the terminal's Ctrl-C: exiting runs the
// 'exit' handler startCodeServer installed, which ends that group.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1));

const startedAt = Date.now();
const runDir = await createRunDir();
log(`run folder ${path.relative(repoRoot, runDir)}`);

const cleanups = []; // run in reverse order, whatever happens
let exitCode = 1;
try {
  exitCode = await runSuite();
} catch (error) {
  log(`failed: ${error instanceof Error ? error.stack : String(error)}`);
} finally {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      log(`cleanup failed: ${String(error)}`);
    }
  }
}
if (exitCode === 0 && process.env.VSCODE_TEST_KEEP_RUN !== '1') {
  await rm(runDir, { recursive: true, force: true });
} else {
  log(`logs kept in ${path.relative(repoRoot, runDir)} (code-server.log, workbench.log, browser.log, user-data/logs)`);
}
log(`${exitCode === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
process.exit(exitCode);

async function runSuite() {
  let page; // set once the browser is up; screenshot requests before that are refused
  const control = await startControlServer(() => page);
  cleanups.push(() => new Promise((resolve) => control.close(resolve)));

  const setup = await runSetupHook(runDir);
  if (setup.teardown) cleanups.push(setup.teardown);
  const workspace = setup.workspaceFolder ?? path.join(runDir, 'workspace');
  await mkdir(workspace, { recursive: true });

  const server = await startCodeServer({
    runDir,
    workspace,
    env: { ...setup.env, VSCODE_TEST_CONTROL_URL: `http://127.0.0.1:${control.address().port}` },
  });
  cleanups.push(server.stop);
  log(`code-server ${server.url} on ${workspace}`);

  const context = await launchChromium({ profileDir: path.join(runDir, 'browser-profile') });
  cleanups.push(() => context.close());
  page = context.pages()[0] ?? (await context.newPage());
  const browserLog = await openBrowserLog(page);
  cleanups.push(browserLog.close);
  const pageCrashed = new Promise((resolve) => page.once('crash', () => resolve()));

  let reportExit;
  const suiteExit = new Promise((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
  const workbenchLog = await forwardWorkbenchLog(page);
  cleanups.push(workbenchLog.close);

  await page.goto(
    server.workbenchUrl([
      ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
      ['extensionTestsPath', server.remoteUri(testsEntry)],
      ['skipWelcome', 'true'],
    ]),
  );

  let timer;
  let settled = false;
  const failure = (reason) => {
    if (!settled) log(reason);
    return 1;
  };
  const code = await Promise.race([
    suiteExit,
    pageCrashed.then(() => failure('the workbench page crashed')),
    server.exited.then(({ code: serverCode, signal }) =>
      failure(`code-server exited (code ${serverCode}, signal ${signal}) before the suite finished`),
    ),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(failure(`timed out after ${timeoutMs / 1000} s (VSCODE_TEST_TIMEOUT_MS)`)), timeoutMs);
    }),
  ]);
  settled = true;
  clearTimeout(timer);
  if (!workbenchLog.suiteStarted()) workbenchLog.printErrors();

  // What the window showed at the end: the first thing to look at when a run fails or times out.
  await saveScreenshot(page, 'workbench-at-exit').then(
    (file) => log(`screenshot ${path.relative(repoRoot, file)}`),
    (error) => log(`no screenshot at exit: ${String(error)}`),
  );
  return code;
}

/**
 * A small HTTP server on 127.0.0.1 through which the suite asks for screenshots (test/vscode/screenshot.ts):
 * POST /screenshot?name=N[&waitFor=CSS][&element=CSS] answers once .vscode-test/screenshots/N.png is written.
 */
async function startControlServer(currentPage) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const reply = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || url.pathname !== '/screenshot') {
      reply(404, { error: 'only POST /screenshot' });
      return;
    }
    const name = url.searchParams.get('name') ?? '';
    const page = currentPage();
    if (!SCREENSHOT_NAME.test(name) || !page) {
      reply(400, { error: page ? `name must match ${String(SCREENSHOT_NAME)}` : 'the workbench is not open yet' });
      return;
    }
    saveScreenshot(page, name, {
      waitFor: url.searchParams.get('waitFor') ?? undefined,
      element: url.searchParams.get('element') ?? undefined,
    }).then(
      (file) => {
        log(`screenshot ${path.relative(repoRoot, file)}`);
        reply(200, { path: file });
      },
      (error) => reply(500, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Writes .vscode-test/screenshots/<name>.png: the page, or one element of it, after `waitFor` is visible. */
async function saveScreenshot(page, name, { waitFor, element } = {}) {
  await mkdir(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  if (waitFor) {
    await page
      .locator(waitFor)
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 })
      .catch(() => Promise.reject(new Error(`nothing matching ${waitFor} became visible within 15 s`)));
  }
  // Changes made through the extension API reach the page asynchronously: let it paint them.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  if (element) await page.locator(element).first().screenshot({ path: file, timeout: 15_000 });
  else await page.screenshot({ path: file });
  return file;
}

/** Page errors and console output go to runDir/browser.log, not to the test report. */
async function openBrowserLog(page) {
  const stream = createWriteStream(path.join(runDir, 'browser.log'));
  page.on('console', (message) => stream.write(`[${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => stream.write(`[pageerror] ${error.stack ?? String(error)}\n`));
  page.on('crash', () => stream.write('[crash] the page crashed\n'));
  return { close: () => new Promise((resolve) => stream.end(resolve)) };
}

/**
 * The workbench hands its log and the extension host's console (so mocha's report) to codeAutomationLog.
 * All of it goes to runDir/workbench.log; the console shows it from the suite's first line on, so the
 * workbench's start-up chatter stays out of the report. If the suite never starts, printErrors() shows why.
 */
async function forwardWorkbenchLog(page) {
  const stream = createWriteStream(path.join(runDir, 'workbench.log'));
  const errors = [];
  let suiteStarted = false;
  await page.exposeFunction('codeAutomationLog', (level, args) => {
    const text = Array.isArray(args) ? format(...args) : String(args);
    stream.write(`[${level}] ${text}\n`);
    if (level === 'error') errors.push(text);
    suiteStarted ||= text.startsWith(SUITE_STARTED_MARKER);
    if (suiteStarted) process.stdout.write(`${text}\n`);
  });
  return {
    suiteStarted: () => suiteStarted,
    printErrors() {
      log(`the suite never started; workbench errors:${errors.length ? '' : ' none'}`);
      for (const error of errors) console.log(error);
    },
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}
