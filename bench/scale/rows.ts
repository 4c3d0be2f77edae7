// Page actions of the scale bench (run in the workbench page, in the bench's process): when did the tree
// show its first stage row and its first job row; and how soon a click on a collapsed stage shows its first
// job row. A MutationObserver sees each row as the list renders it, so the time is the DOM's, not a poll's.
import type { Page } from 'playwright-core';
import type { PageAction } from '../vscode/session';
import { CLICK_ROW_ACTION, COLLAPSE_ROW_ACTION, FIRST_ROWS_ACTION, type FirstRows, WATCH_ROWS_ACTION } from './contract';

// How long a window may take to show a job row before the bench reports that it showed none.
const FIRST_JOB_ROW_TIMEOUT_MS = 30_000;
// How long a click may take to be answered before the sample is reported unanswered.
const CLICK_TIMEOUT_MS = 10_000;
// After the answer, until the page has reported the long tasks that ran up to it.
const LONG_TASKS_SETTLE_MS = 600;

// Page scripts as text: this project's TypeScript has no DOM types. Rows are VS Code's list rows; their
// aria-label starts with the tree item's label: the branch for the current pipeline, `<stage>` for a stage,
// `<stage>:<n>` for a job.
const WATCH_ROWS = `(source) => {
  const pattern = new RegExp(source);
  const seen = (window.benchFirstRows = {});
  const observer = new MutationObserver(() => {
    for (const row of document.querySelectorAll('.monaco-list-row')) {
      const match = pattern.exec((row.getAttribute('aria-label') || row.textContent || '').trim());
      if (!match) continue;
      const now = performance.timeOrigin + performance.now();
      if (match[1]) seen.pipelineRowAt ??= now;
      else if (match[3]) seen.jobRowAt ??= now;
      else seen.stageRowAt ??= now;
    }
    if (seen.jobRowAt) observer.disconnect();
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
}`;

/** `argument`: the branch, then the stage names, comma-separated, word characters only. */
async function watchRows(page: Page, argument: string): Promise<string> {
  const [branch, ...stages] = argument.split(',');
  if (![branch, ...stages].every((name) => /^\w+$/.test(name))) throw new Error(`the branch and stage names must be word characters: ${argument}`);
  // Group 1: the current pipeline; group 3 (":<n>") tells a job from a stage; a longer word is none of them.
  const source = `^(?:(${branch})|(${stages.join('|')})(:\\d+)?)(?![\\w:/-])`;
  await page.evaluate(`(${WATCH_ROWS})(${JSON.stringify(source)})`);
  return 'ok';
}

async function firstRows(page: Page): Promise<string> {
  await page.waitForFunction('window.benchFirstRows && window.benchFirstRows.jobRowAt', undefined, { timeout: FIRST_JOB_ROW_TIMEOUT_MS, polling: 50 }).catch(() => undefined);
  const rows = await page.evaluate<FirstRows>('window.benchFirstRows || {}');
  return JSON.stringify(rows);
}

// Finds the stage's row, which must be collapsed with none of its job rows shown; arms window.benchClick: the
// time the mouse goes down, then the time the first job row of the stage is in the DOM. Answers where to click.
const ARM_CLICK = `(stage, stageSource, jobSource) => {
  const labelOf = (row) => (row.getAttribute('aria-label') || row.textContent || '').trim();
  const stageRow = new RegExp(stageSource);
  const jobRow = new RegExp(jobSource);
  const rows = () => [...document.querySelectorAll('.monaco-list-row')];
  const row = rows().find((candidate) => stageRow.test(labelOf(candidate)));
  if (!row) throw new Error('no row of the stage ' + stage + ' is shown');
  if (row.getAttribute('aria-expanded') !== 'false' || rows().some((candidate) => jobRow.test(labelOf(candidate)))) throw new Error('the stage ' + stage + ' is not collapsed');
  const now = () => performance.timeOrigin + performance.now();
  const click = (window.benchClick = { pageLongTasksMs: 0 });
  const longTasks = new PerformanceObserver((list) => {
    for (const task of list.getEntries()) {
      if (click.clickAt === undefined) continue;
      const start = Math.max(performance.timeOrigin + task.startTime, click.clickAt);
      const end = Math.min(performance.timeOrigin + task.startTime + task.duration, click.answeredAt ?? Infinity);
      if (end > start) click.pageLongTasksMs += end - start;
    }
  });
  longTasks.observe({ type: 'longtask' });
  const observer = new MutationObserver(() => {
    if (!rows().some((candidate) => jobRow.test(labelOf(candidate)))) return;
    click.answeredAt = now();
    observer.disconnect();
    // Long tasks are reported after they end: the one that rendered the answer still arrives.
    setTimeout(() => longTasks.disconnect(), 500);
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
  document.addEventListener('mousedown', () => { click.clickAt ??= now(); }, { capture: true, once: true });
  const box = row.getBoundingClientRect();
  return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
}`;

// Where to click to collapse the stage again (undefined when it is collapsed), and whether its job rows are gone.
const STAGE_STATE = `(_stage, stageSource, jobSource) => {
  const labelOf = (row) => (row.getAttribute('aria-label') || row.textContent || '').trim();
  const rows = [...document.querySelectorAll('.monaco-list-row')];
  const row = rows.find((candidate) => new RegExp(stageSource).test(labelOf(candidate)));
  const box = row && row.getAttribute('aria-expanded') === 'true' ? row.getBoundingClientRect() : undefined;
  return {
    expandedAt: box && { x: box.left + box.width / 2, y: box.top + box.height / 2 },
    jobRowsShown: rows.some((candidate) => new RegExp(jobSource).test(labelOf(candidate))),
  };
}`;

/** Clicks the collapsed stage `argument` as a user does (the mouse, not a command) and answers ClickAnswer as JSON. */
async function clickRow(page: Page, argument: string): Promise<string> {
  const at = await page.evaluate<{ x: number; y: number }>(`(${ARM_CLICK})(${stageArguments(argument)})`);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction('window.benchClick.answeredAt', undefined, { timeout: CLICK_TIMEOUT_MS, polling: 50 }).catch(() => undefined);
  await page.waitForTimeout(LONG_TASKS_SETTLE_MS);
  return JSON.stringify(await page.evaluate('window.benchClick'));
}

/** Collapses the stage `argument` if it is expanded, and waits until its job rows are gone. */
async function collapseRow(page: Page, argument: string): Promise<string> {
  const script = `(${STAGE_STATE})(${stageArguments(argument)})`;
  const state = await page.evaluate<{ expandedAt?: { x: number; y: number } }>(script);
  if (state.expandedAt) await page.mouse.click(state.expandedAt.x, state.expandedAt.y);
  await page.waitForFunction(`!(${script}).jobRowsShown`, undefined, { timeout: CLICK_TIMEOUT_MS, polling: 50 });
  return 'ok';
}

/** The stage's name, the pattern of its row's label and that of its job rows' labels, as page script arguments. */
function stageArguments(stage: string): string {
  if (!/^\w+$/.test(stage)) throw new Error(`a stage name must be word characters: ${stage}`);
  return [stage, `^${stage}(?![\\w:/-])`, `^${stage}:\\d+(?![\\w:/-])`].map((text) => JSON.stringify(text)).join(',');
}

export const rowActions: Readonly<Record<string, PageAction>> = {
  [WATCH_ROWS_ACTION]: watchRows,
  [FIRST_ROWS_ACTION]: firstRows,
  [CLICK_ROW_ACTION]: clickRow,
  [COLLAPSE_ROW_ACTION]: collapseRow,
};
