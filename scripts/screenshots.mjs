/* global requestAnimationFrame */
// `npm run screenshots`: retakes the README's screenshots (docs/images/*.png) from the demo session.
// Starts the demo (startDemo() in demoSession.mjs: dark theme, signed in, simulated runner, the first new
// pipeline on main failing test:unit and test:lint), opens it in headless Chromium at 1400x850, waits for that
// failed pipeline, stops starting new ones so the screen holds still, then drives VS Code by mouse and
// keyboard and writes each picture, notifications cleared first. Each wait gives up after about a minute with
// a message saying what never showed; a shot that fails leaves its image as it was and the others are taken.
// Exits non-zero if any shot failed.
//
//   SCREENSHOTS_ONLY   comma-separated names (e.g. job-log,ci-file) to retake only those
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startDemo } from './demoSession.mjs';
import { repoRoot } from './vscode-test/codeServer.mjs';
import { launchChromium } from './vscode-test/browser.mjs';

const imagesDir = path.join(repoRoot, 'docs', 'images');
const WAIT_MS = 60_000;
// The first failing pipeline is created up to 20 s after start and runs for about a minute.
const FAILED_PIPELINE_WAIT_MS = 180_000;
const only = process.env.SCREENSHOTS_ONLY?.split(',').filter(Boolean);

const log = (message) => console.log(`[screenshots] ${message}`);

/** Waits until `selector` is visible in the page, or fails saying what never showed. */
async function waitVisible(page, selector, what, timeout = WAIT_MS) {
  await page
    .locator(selector)
    .first()
    .waitFor({ state: 'visible', timeout })
    .catch(() => Promise.reject(new Error(`${what} did not show within ${Math.round(timeout / 1000)} s (${selector})`)));
}

/** Runs a command from the Command Palette by its title, by keyboard. */
async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await waitVisible(page, '.quick-input-widget .quick-input-box input', 'the Command Palette');
  await page.keyboard.type(title);
  await waitVisible(page, `.quick-input-list .monaco-list-row[aria-label*="${title}"]`, `the command "${title}" in the Command Palette`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** Opens a workspace file by Quick Open (the Command Palette without its `>`). */
async function openFile(page, relativePath) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await waitVisible(page, '.quick-input-widget .quick-input-box input', 'Quick Open');
  await input.fill(relativePath);
  const name = path.basename(relativePath);
  await waitVisible(page, `.quick-input-list .monaco-list-row[aria-label*="${name}"]`, `${relativePath} in Quick Open`);
  await page.keyboard.press('Enter');
  await waitVisible(page, `.tabs-container .tab.active[aria-label^="${name}"]`, `the editor of ${relativePath}`);
}

/** The GitLab CI view's row whose accessible label starts with `label`. */
const treeRow = (label) => `.pane[aria-label^="Pipelines"] .monaco-list-row[aria-label^="${label}"], [id="workbench.parts.sidebar"] .monaco-list-row[aria-label^="${label}"]`;

async function expand(page, label) {
  const row = page.locator(treeRow(label)).first();
  await row.waitFor({ state: 'visible', timeout: WAIT_MS });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
}

/** No toasts, no hover, nothing half-painted: then the picture. */
async function shoot(page, name) {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.mouse.move(1399, 500);
  await page.waitForTimeout(1500);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const file = path.join(imagesDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

const shots = [
  {
    name: 'pipelines-tree',
    async prepare(page) {
      await expand(page, 'Test report of pipeline');
      await waitVisible(page, treeRow('test:unit failed'), 'the failed test:unit job');
    },
  },
  {
    name: 'job-log',
    async prepare(page) {
      await page.locator(treeRow('test:lint failed')).first().click();
      await waitVisible(page, '.tabs-container .tab.active[aria-label*="test:lint"]', "test:lint's log as a document");
    },
  },
  {
    name: 'problems-from-ci',
    async prepare(page) {
      await openFile(page, 'src/checkout.ts');
      await waitVisible(page, '.editor-instance .squiggly-error', 'the CI error underlined in src/checkout.ts');
      await runCommand(page, 'Problems: Focus on Problems View');
      await waitVisible(page, '.markers-panel .monaco-list-row', 'the Problems panel with entries');
    },
  },
  {
    name: 'test-failure-traced',
    async prepare(page) {
      if (await page.locator('[id="workbench.parts.panel"]').isVisible()) await runCommand(page, 'View: Toggle Panel Visibility');
      // The Tests node's failed suite, open on its cases.
      await expand(page, 'Test report of pipeline');
      const suite = page.locator('.monaco-list-row[aria-expanded="false"]').filter({ hasText: /\d+ failed, \d+ passed/ }).first();
      await suite.waitFor({ state: 'visible', timeout: WAIT_MS }).catch(() => Promise.reject(new Error('no failed suite under the Tests node')));
      await suite.locator('.monaco-tl-twistie').click();
      await openFile(page, 'test/cart.test.ts');
      await waitVisible(page, '.editor-instance .testing-run-glyph, .editor-instance [class*="testing-"][class*="fail"], .editor-instance .test-message-inline-content', "the failed tests' marks in test/cart.test.ts");
    },
  },
  {
    name: 'ci-file',
    async prepare(page) {
      await page.keyboard.press('Escape');
      if (await page.locator('[id="workbench.parts.panel"]').isVisible()) await runCommand(page, 'View: Toggle Panel Visibility');
      await openFile(page, '.gitlab-ci.yml');
      await waitVisible(page, '.editor-instance .codelens-decoration a', 'the job CodeLenses in .gitlab-ci.yml');
      // Down to the last job: the jobs and their lenses in view.
      await page.keyboard.press('Control+End');
    },
  },
].filter((shot) => !only || only.includes(shot.name));

const started = Date.now();
// TypeScript's own check would add its copy of the type error to the Problems panel, at a moment of its own.
const demo = await startDemo({ port: 0, label: 'screenshots', failFirst: true, settings: { 'typescript.validate.enable': false } });
let context;
const failed = [];
try {
  await mkdir(imagesDir, { recursive: true });
  log('Opening VS Code in headless Chromium (1400x850)…');
  context = await launchChromium({ profileDir: path.join(demo.runDir, 'chromium'), viewport: { width: 1400, height: 850 } });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(demo.workbenchUrl);
  await waitVisible(page, '.monaco-workbench .activitybar', 'the workbench');
  await page.locator('.activitybar [aria-label^="GitLab CI"]').first().click();
  await waitVisible(page, treeRow('main'), 'the current pipeline on main in the GitLab CI view');

  log(`Waiting for the current pipeline on main to fail (up to ${FAILED_PIPELINE_WAIT_MS / 1000} s)…`);
  const current = page.locator(treeRow('main ')).first();
  const deadline = Date.now() + FAILED_PIPELINE_WAIT_MS;
  for (let said = ''; ; await page.waitForTimeout(1000)) {
    const state = (await current.getAttribute('aria-label').catch(() => null)) ?? 'not shown';
    if (state.startsWith('main failed')) break;
    if (state !== said) log(`  current pipeline: ${(said = state)}`);
    if (Date.now() > deadline) {
      await page.screenshot({ path: path.join(demo.runDir, 'no-failed-pipeline.png') });
      throw new Error(`the current pipeline on main did not fail within ${FAILED_PIPELINE_WAIT_MS / 1000} s (last: ${state})`);
    }
  }
  demo.holdPipelines();

  for (const [index, shot] of shots.entries()) {
    const label = `${index + 1}/${shots.length} ${shot.name}.png`;
    log(`${label}…`);
    try {
      await shot.prepare(page);
      const file = await shoot(page, shot.name);
      log(`${label} written: ${path.relative(repoRoot, file)}`);
    } catch (error) {
      failed.push(shot.name);
      const debug = path.join(demo.runDir, `${shot.name}-failed.png`);
      await page.screenshot({ path: debug }).catch(() => undefined);
      log(`${label} FAILED, the image is left as it was: ${error instanceof Error ? error.message : String(error)} (the screen then: ${path.relative(repoRoot, debug)})`);
    }
  }
} finally {
  await context?.close();
  await demo.stop();
}
log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s${failed.length ? `; not retaken: ${failed.join(', ')}` : ''}.`);
process.exit(failed.length ? 1 : 0);
