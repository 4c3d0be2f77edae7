// Loaded by VS Code as extensionTestsPath (see session.ts): drives the real extension in the real extension
// host through the states a user puts it in, and reports when each began and ended. The fake GitLab and its
// request log live in the bench's process; the bench counts what arrived in each window.
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import {
  CONTROL_URL_VARIABLE, type EconomyReport, FINISH_PIPELINES_ACTION, QUIET_WINDOW_MS_VARIABLE, REPORT_MARKER, type Window, WINDOW_MS_VARIABLE,
} from './contract';

const EXTENSION_ID = 'gitlab-ci-lens.gitlab-ci-lens';
const VIEW_FOCUS_COMMAND = 'gitlabCiLens.pipelines.focus';
// The extension signs in from the environment and finds the project from the git remote on its own; then
// it gets this long to show whether it would fetch anything before the view opens.
const BEFORE_VIEW_MS = 10_000;
// After a change of state, a refresh already under way may still land: the window starts after it.
const SETTLE_MS = 2_000;

export async function run(): Promise<void> {
  const windowMs = Number(process.env[WINDOW_MS_VARIABLE] ?? 30_000);
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  const { accounts, projects, tree } = api.services;
  const signedIn = await waitFor(() => accounts.list().length > 0, 30_000);
  const projectFound = await waitFor(() => projects.list().length > 0, 30_000);
  await sleep(BEFORE_VIEW_MS);
  if (tree.view.visible) throw new Error('the GitLab view was open before the bench opened it');

  const viewOpenedAt = Date.now();
  await vscode.commands.executeCommand(VIEW_FOCUS_COMMAND);
  await expectState('the view to show', () => tree.view.visible);
  const visible = await measureWindow(windowMs);

  await vscode.commands.executeCommand('workbench.view.explorer');
  await expectState('the view to hide', () => !tree.view.visible);
  const hidden = await measureWindow(windowMs);

  await vscode.commands.executeCommand(VIEW_FOCUS_COMMAND);
  await expectState('the view to show again', () => tree.view.visible);
  let unfocused: Window | undefined;
  let unfocusedError: string | undefined;
  try {
    await setWindowFocus(false);
    await expectState('the window to lose focus', () => !vscode.window.state.focused);
    unfocused = await measureWindow(windowMs);
  } catch (error) {
    unfocusedError = error instanceof Error ? error.message : String(error);
  } finally {
    await setWindowFocus(true).catch(() => undefined);
  }

  // Nothing changing: every pipeline finished, and one refresh seen since, so the view polls at its idle pace.
  await control(`/act?name=${FINISH_PIPELINES_ACTION}`);
  await vscode.commands.executeCommand('gitlabCiLens.refresh');
  const quiet = await measureWindow(Number(process.env[QUIET_WINDOW_MS_VARIABLE] ?? 120_000));
  await vscode.commands.executeCommand('workbench.view.explorer');
  await expectState('the view to hide again', () => !tree.view.visible);
  // Two minutes: the status bar's look for an open merge request (every 2 min) falls inside it once.
  const hiddenQuiet = await measureWindow(120_000);

  const report: EconomyReport = { signedIn, projectFound, viewOpenedAt, visible, hidden, unfocused, unfocusedError, quiet, hiddenQuiet };
  console.log(REPORT_MARKER + JSON.stringify(report));
}

async function measureWindow(windowMs: number): Promise<Window> {
  await sleep(SETTLE_MS);
  const start = Date.now();
  await sleep(windowMs);
  return { start, end: Date.now() };
}

/** Asks the bench's browser to take focus from the workbench page, or give it back. */
function setWindowFocus(focused: boolean): Promise<void> {
  return control(`/focus?focused=${focused}`);
}

async function control(path: string): Promise<void> {
  const controlUrl = process.env[CONTROL_URL_VARIABLE];
  if (!controlUrl) throw new Error(`${CONTROL_URL_VARIABLE} is not set`);
  const response = await fetch(new URL(path, controlUrl), { method: 'POST' });
  if (!response.ok) throw new Error(`the bench could not do ${path}: ${await response.text()}`);
}

async function expectState(what: string, holds: () => boolean): Promise<void> {
  if (!(await waitFor(holds, 10_000))) throw new Error(`timed out waiting for ${what}`);
}

async function waitFor(holds: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
