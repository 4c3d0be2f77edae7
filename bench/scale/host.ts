// Loaded by VS Code as extensionTestsPath (see ../vscode/session.ts) in a window on a project whose branch
// runs one big pipeline: opens the GitLab view and asks the page when its first rows showed, then holds it
// visible for a window (the bench counts requests and bytes on the fake GitLab; the host's CPU is measured
// here), then clicks collapsed stages while refreshes run (clicks.ts), and, when asked to soak, follows one job's log and samples the heap after GC until the soak ends.
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ProjectContext } from '../../src/ui/services';
import { waitFor } from '../../test/vscode/waitFor';
import { CONTROL_URL_VARIABLE } from '../vscode/contract';
import { clicksWhileRefreshing } from './clicks';
import {
  CLICK_SAMPLES_VARIABLE, CLICK_STAGES_VARIABLE, FIRST_ROWS_ACTION, type FirstRows, FOLLOWED_JOB_VARIABLE, type HeapSample, SCALE_REPORT_MARKER, SCALE_WINDOW_MS_VARIABLE, type ScaleReport,
  SOAK_MS_VARIABLE, SOAK_SAMPLE_MS_VARIABLE, ROW_NAMES_VARIABLE, WATCH_ROWS_ACTION,
} from './contract';
import { HostProbes } from './probes';

const EXTENSION_ID = 'gitlab-ci-lens.gitlab-ci-lens';
const VIEW_FOCUS_COMMAND = 'gitlabCiLens.pipelines.focus';
// The window's own start-up (built-in extensions, the workbench) settles before the view opens.
const BEFORE_VIEW_MS = 3_000;
// The first load of a big pipeline (all its pages) lands before the window starts.
const SETTLE_MS = 10_000;

export async function run(): Promise<void> {
  const windowMs = Number(process.env[SCALE_WINDOW_MS_VARIABLE] ?? 45_000);
  const soakMs = Number(process.env[SOAK_MS_VARIABLE] ?? 0);
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  const { accounts, projects } = api.services;
  await waitFor(() => accounts.list().length > 0, 'the account from the environment', 30_000);
  const project = await waitFor(() => projects.list()[0], 'the project from the git remote', 30_000);
  await sleep(BEFORE_VIEW_MS);

  await askPage(WATCH_ROWS_ACTION, process.env[ROW_NAMES_VARIABLE] ?? '');
  const viewOpenedAt = Date.now();
  await vscode.commands.executeCommand(VIEW_FOCUS_COMMAND);
  const firstRows = JSON.parse(await askPage(FIRST_ROWS_ACTION, '')) as FirstRows;
  await sleep(SETTLE_MS);

  const probes = new HostProbes();
  try {
    probes.cpuPercentSinceLast();
    const start = Date.now();
    await sleep(windowMs);
    const cpuPercent = probes.cpuPercentSinceLast();
    const window = { start, end: Date.now() };
    let clicks: ScaleReport['clicks'];
    let clickError: string | undefined;
    const clickCount = Number(process.env[CLICK_SAMPLES_VARIABLE] ?? 0);
    if (clickCount > 0) {
      try {
        clicks = await clicksWhileRefreshing(api, askPage, (process.env[CLICK_STAGES_VARIABLE] ?? '').split(',').filter(Boolean), clickCount);
      } catch (error) {
        clickError = error instanceof Error ? error.message : String(error);
      }
    }
    let soak: ScaleReport['soak'];
    let soakError: string | undefined;
    if (soakMs > 0) {
      try {
        soak = await soakWithFollowedLog(project, probes, soakMs);
      } catch (error) {
        soakError = error instanceof Error ? error.message : String(error);
      }
    }
    const report: ScaleReport = { viewOpenedAt, firstRows, window, cpuPercent, clicks, clickError, soak, soakError };
    console.log(SCALE_REPORT_MARKER + JSON.stringify(report));
  } finally {
    probes.dispose();
  }
}

/** Follows the job's log the way a user does (the command, given the project and the job as GitLab lists it). */
async function soakWithFollowedLog(project: ProjectContext, probes: HostProbes, soakMs: number): Promise<NonNullable<ScaleReport['soak']>> {
  const sampleMs = Number(process.env[SOAK_SAMPLE_MS_VARIABLE] ?? 30_000);
  await vscode.commands.executeCommand('gitlabCiLens.followJobLog', project, await fetchFollowedJob(project.projectPath));
  const start = Date.now();
  const samples: HeapSample[] = [await probes.sample()];
  while (Date.now() - start < soakMs) {
    await sleep(Math.min(sampleMs, start + soakMs - Date.now()));
    samples.push(await probes.sample());
  }
  return { start, end: Date.now(), samples };
}

async function fetchFollowedJob(projectPath: string): Promise<unknown> {
  const instanceUrl = process.env.GITLAB_CI_LENS_INSTANCE_URL;
  const token = process.env.GITLAB_CI_LENS_TOKEN;
  const jobId = process.env[FOLLOWED_JOB_VARIABLE];
  if (!instanceUrl || !token || !jobId) throw new Error('the instance, token or job to follow is not set');
  const response = await fetch(`${instanceUrl}/api/v4/projects/${encodeURIComponent(projectPath)}/jobs/${jobId}`, { headers: { 'PRIVATE-TOKEN': token } });
  if (!response.ok) throw new Error(`the job to follow could not be read: HTTP ${response.status}`);
  return response.json();
}

/** Asks the bench's process to run one of its page actions (rows.ts) in the workbench page. */
async function askPage(name: string, argument: string): Promise<string> {
  const controlUrl = process.env[CONTROL_URL_VARIABLE];
  if (!controlUrl) throw new Error(`${CONTROL_URL_VARIABLE} is not set`);
  const url = new URL('/page', controlUrl);
  url.search = new URLSearchParams({ name, arg: argument }).toString();
  const response = await fetch(url, { method: 'POST' });
  const answer = await response.text();
  if (!response.ok) throw new Error(`the page could not do ${name}: ${answer}`);
  return answer;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
