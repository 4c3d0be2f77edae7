// Requests the extension makes in the real VS Code: before its view is opened only the status bar's look at
// the current pipeline, and how many a minute with a pipeline running while the view is visible, hidden,
// and with the window unfocused; bytes a minute when nothing changes, view visible and hidden.
import { join } from 'node:path';
import type { RecordedRequest } from '../test/fake-gitlab';
import type { ResultRow, Section } from './report';
import { formatBytes } from './stats';
import { type EconomyReport, FINISH_PIPELINES_ACTION, QUIET_WINDOW_MS_VARIABLE, REPORT_MARKER, type Window, WINDOW_MS_VARIABLE } from './vscode/contract';
import { reportOf, runSession, signedInEnv, startFakeWorkspace } from './vscode/session';

const WINDOW_MS = 30_000;
// Two idle refreshes (one a minute by default) fall inside it.
const QUIET_WINDOW_MS = 130_000;
const QUIET_BYTES_GOAL = 2 * 1024;
// The status bar's look at the current pipeline, every 12 s, visible view or not.
const HIDDEN_REQUESTS_GOAL = 12;
// Signing in from the environment checks the token: who it is, and whether it may write.
const SIGN_IN_CHECK = new Set(['/api/v4/user', '/api/v4/personal_access_tokens/self']);
// What the status bar asks for the current pipeline: the branch's open MRs, one MR (its head pipeline) and its
// pipelines, the branch's latest pipeline, one pipeline, and its jobs and bridges for "running 3/7".
const STATUS_BAR_CHECK = /\/projects\/[^/]+\/(merge_requests(\/\d+(\/pipelines)?)?|pipelines\/(latest|\d+(\/(jobs|bridges))?))$/;

export async function runEconomyBench(log: (line: string) => void): Promise<Section[]> {
  const { runDir, workspace, fake } = await startFakeWorkspace();
  try {
    const pending = fake.state.findJobs({ projectId: 1, status: 'pending' });
    for (const job of pending) fake.state.setJobStatus(job.id, 'running');
    log(`economy: VS Code with a signed-in account and ${pending.length} running job(s), ${(WINDOW_MS / 1000).toFixed(0)} s per window`);
    const session = await runSession({
      runDir,
      workspace,
      env: {
        ...signedInEnv(fake),
        [WINDOW_MS_VARIABLE]: String(WINDOW_MS),
        [QUIET_WINDOW_MS_VARIABLE]: String(QUIET_WINDOW_MS),
      },
      testsModule: join(__dirname, 'vscode', 'host.js'),
      timeoutMs: 8 * 60_000,
      actions: {
        [FINISH_PIPELINES_ACTION]: () => {
          for (const job of fake.state.findJobs({})) if (!['success', 'failed', 'canceled', 'skipped', 'manual'].includes(job.status)) fake.state.setJobStatus(job.id, 'success');
        },
      },
    });
    return sections(reportOf<EconomyReport>(session, REPORT_MARKER, 'the VS Code session'), fake.requests);
  } finally {
    await fake.close();
  }
}

function sections(report: EconomyReport, requests: readonly RecordedRequest[]): Section[] {
  const beforeView = requests.filter((request) => request.at < report.viewOpenedAt && !SIGN_IN_CHECK.has(request.path));
  const beforeViewOthers = beforeView.filter((request) => !STATUS_BAR_CHECK.test(request.path));
  const signInChecks = requests.filter((request) => request.at < report.viewOpenedAt && SIGN_IN_CHECK.has(request.path)).length;
  const inWindow = (window: Window) => requests.filter((request) => request.at >= window.start && request.at < window.end);
  const perMinute = (window: Window) => (inWindow(window).length * 60_000) / (window.end - window.start);
  // Bytes on the wire the fake sent (status line, headers, compressed bodies), a minute.
  const bytesPerMinute = (window: Window) => (inWindow(window).reduce((sum, request) => sum + (request.responseBytes ?? 0), 0) * 60_000) / (window.end - window.start);
  const visible = perMinute(report.visible);
  const idleRow = (state: string, window: Window | undefined, goal: number): ResultRow => {
    const rate = window && perMinute(window);
    return {
      measure: `Requests a minute, view visible → ${state}`,
      ratio: rate === undefined ? 'n/a' : `${(rate / visible).toFixed(2)}×`,
      ours: rate === undefined ? `not measured: ${report.unfocusedError ?? 'unknown'}` : rate.toFixed(1),
      baseline: `${visible.toFixed(1)} (view visible and focused)`,
      goal: goal === 0 ? '0' : `≤ ${goal}`,
      met: rate === undefined ? false : rate <= goal,
    };
  };
  const quietBytesRow = (state: string, window: Window): ResultRow => ({
    measure: `Bytes on the wire a minute, view ${state}, nothing changing`,
    ratio: `${(bytesPerMinute(window) / bytesPerMinute(report.visible)).toFixed(3)}×`,
    ours: `${formatBytes(bytesPerMinute(window))} (${perMinute(window).toFixed(1)} requests a minute, ${inWindow(window).filter((request) => request.status === 304).length} of ${inWindow(window).length} answered 304)`,
    baseline: `${formatBytes(bytesPerMinute(report.visible))} with a pipeline running`,
    goal: `≤ ${formatBytes(QUIET_BYTES_GOAL)}`,
    met: bytesPerMinute(window) <= QUIET_BYTES_GOAL,
  });
  const context = `signed in from the environment: ${report.signedIn ? 'yes' : '**no**'}, project found from the git remote: ${report.projectFound ? 'yes' : '**no**'}`;
  return [
    {
      title: 'Requests before the view is opened',
      method: `Real VS Code (code-server, headless Chromium) on a git workspace with .gitlab-ci.yml whose origin is the fake GitLab, an account signed in from \`GITLAB_CI_LENS_INSTANCE_URL\`/\`GITLAB_CI_LENS_TOKEN\` (${context}); the GitLab view left closed for 10 s after both. Counted: every request to the fake but the sign-in check (${signInChecks} requests to /user and /personal_access_tokens/self) and the status bar's look at the current pipeline (${beforeView.length - beforeViewOthers.length} requests: the branch's merge requests, its latest pipeline, that pipeline's jobs and bridges).`,
      rows: [
        {
          measure: 'Requests before the view is opened, beside the status bar\'s',
          ratio: 'n/a',
          ours: `${beforeViewOthers.length}${beforeViewOthers.length ? ` (${[...new Set(beforeViewOthers.map((request) => `${request.method} ${request.path}`))].join(', ')})` : ''}`,
          baseline: 'the goal',
          goal: '0',
          met: beforeViewOthers.length === 0 && report.signedIn && report.projectFound,
        },
      ],
    },
    {
      title: 'Idle economy',
      method: `The same window, on the fake GitLab as 18.2, with a pipeline running on the current branch (default settings: 5 s refresh while something runs and the view is visible; with the view hidden, the status bar's look at the current pipeline every 12 s, and at which merge request is open every 2 min). Requests to the fake counted over ${(WINDOW_MS / 1000).toFixed(0)} s per state, starting 2 s after the change: the GitLab view visible in a focused window; the Explorer shown instead (view hidden); the view visible but the window unfocused (played in the page: \`document.hasFocus()\` false and a \`blur\` event, as when the user switches to another window — headless Chromium otherwise always reports focus). Then every job finished and ${(QUIET_WINDOW_MS / 1000).toFixed(0)} s with the view visible and nothing changing (default idle refresh: 60 s), then ${((report.hiddenQuiet.end - report.hiddenQuiet.start) / 1000).toFixed(0)} s with the view hidden again. Bytes are what the fake GitLab put on the socket: status lines, headers and bodies as sent (gzipped where asked).`,
      rows: [
        { measure: 'Requests a minute, view visible and focused', ratio: '1.00×', ours: visible.toFixed(1), baseline: 'itself', goal: '' },
        idleRow('hidden', report.hidden, HIDDEN_REQUESTS_GOAL),
        idleRow('window unfocused', report.unfocused, 0),
        {
          measure: 'Bytes on the wire a minute, view visible, a pipeline running',
          ratio: 'n/a',
          ours: `${formatBytes(bytesPerMinute(report.visible))} (${visible.toFixed(1)} requests)`,
          baseline: 'context for the row below',
          goal: '',
        },
        quietBytesRow('visible', report.quiet),
        quietBytesRow('hidden', report.hiddenQuiet),
      ],
    },
  ];
}
