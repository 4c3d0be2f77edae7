// Page actions of the scale bench (run in the workbench page, in the bench's process): when did the tree
// show its first stage row and its first job row. A MutationObserver sees each row as the list renders it,
// so the time is the DOM's, not that of a poll.
import type { Page } from 'playwright-core';
import type { PageAction } from '../vscode/session';
import { FIRST_ROWS_ACTION, type FirstRows, WATCH_ROWS_ACTION } from './contract';

// How long a window may take to show a job row before the bench reports that it showed none.
const FIRST_JOB_ROW_TIMEOUT_MS = 30_000;

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

export const rowActions: Readonly<Record<string, PageAction>> = { [WATCH_ROWS_ACTION]: watchRows, [FIRST_ROWS_ACTION]: firstRows };
