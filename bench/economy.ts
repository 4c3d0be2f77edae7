// Requests the extension makes in the real VS Code: none before its view is opened, and how many a minute
// with a pipeline running while the view is visible, hidden, and with the window unfocused.
import { join } from 'node:path';
import { startFakeGitLab, type RecordedRequest } from '../test/fake-gitlab';
import { FAKE_PORT_VARIABLE, setup } from '../test/vscode/setup';
import type { ResultRow, Section } from './report';
import { formatBytes } from './stats';
import { type EconomyReport, FINISH_PIPELINES_ACTION, QUIET_WINDOW_MS_VARIABLE, REPORT_MARKER, type Window, WINDOW_MS_VARIABLE } from './vscode/contract';
import { loadCodeServerModule, runSession } from './vscode/session';

const WINDOW_MS = 30_000;
// Two idle refreshes (one a minute by default) fall inside it.
const QUIET_WINDOW_MS = 130_000;
const QUIET_BYTES_GOAL = 2 * 1024;
// Signing in from the environment checks the token: who it is, and whether it may write.
const SIGN_IN_CHECK = new Set(['/api/v4/user', '/api/v4/personal_access_tokens/self']);

export async function runEconomyBench(log: (line: string) => void): Promise<Section[]> {
  const codeServer = await loadCodeServerModule();
  const runDir = await codeServer.createRunDir();
  // The VS Code suites' setup hook: a git workspace with .gitlab-ci.yml whose origin points at the fake's port.
  const workspace = await setup({ runDir, repoRoot: codeServer.repoRoot });
  const fake = await startFakeGitLab({ port: Number(workspace.env?.[FAKE_PORT_VARIABLE]) });
  try {
    const pending = fake.state.findJobs({ projectId: 1, status: 'pending' });
    for (const job of pending) fake.state.setJobStatus(job.id, 'running');
    log(`economy: VS Code with a signed-in account and ${pending.length} running job(s), ${(WINDOW_MS / 1000).toFixed(0)} s per window`);
    const session = await runSession({
      runDir,
      workspace: workspace.workspaceFolder ?? runDir,
      env: {
        GITLAB_CI_LENS_INSTANCE_URL: fake.url,
        GITLAB_CI_LENS_TOKEN: fake.tokens.maintainer,
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
    const reportLine = session.output.find((line) => line.startsWith(REPORT_MARKER));
    if (session.exitCode !== 0 || !reportLine) {
      throw new Error(`the VS Code session failed (exit ${session.exitCode}); its last lines:\n${session.output.slice(-20).join('\n')}`);
    }
    return sections(JSON.parse(reportLine.slice(REPORT_MARKER.length)) as EconomyReport, fake.requests);
  } finally {
    await fake.close();
  }
}

function sections(report: EconomyReport, requests: readonly RecordedRequest[]): Section[] {
  const beforeView = requests.filter((request) => request.at < report.viewOpenedAt && !SIGN_IN_CHECK.has(request.path));
  const signInChecks = requests.filter((request) => request.at < report.viewOpenedAt && SIGN_IN_CHECK.has(request.path)).length;
  const inWindow = (window: Window) => requests.filter((request) => request.at >= window.start && request.at < window.end);
  const perMinute = (window: Window) => (inWindow(window).length * 60_000) / (window.end - window.start);
  // Bytes on the wire the fake sent (status line, headers, compressed bodies), a minute.
  const bytesPerMinute = (window: Window) => (inWindow(window).reduce((sum, request) => sum + (request.responseBytes ?? 0), 0) * 60_000) / (window.end - window.start);
  const visible = perMinute(report.visible);
  const idleRow = (state: string, window: Window | undefined): ResultRow => {
    const rate = window && perMinute(window);
    return {
      measure: `Requests a minute, view visible → ${state}`,
      ratio: rate === undefined ? 'n/a' : `${(rate / visible).toFixed(2)}×`,
      ours: rate === undefined ? `not measured: ${report.unfocusedError ?? 'unknown'}` : rate.toFixed(1),
      baseline: `${visible.toFixed(1)} (view visible and focused)`,
      goal: '0',
      met: rate === undefined ? false : rate === 0,
    };
  };
  const context = `signed in from the environment: ${report.signedIn ? 'yes' : '**no**'}, project found from the git remote: ${report.projectFound ? 'yes' : '**no**'}`;
  return [
    {
      title: 'Requests before the view is opened',
      method: `Real VS Code (code-server, headless Chromium) on a git workspace with .gitlab-ci.yml whose origin is the fake GitLab, an account signed in from \`GITLAB_CI_LENS_INSTANCE_URL\`/\`GITLAB_CI_LENS_TOKEN\` (${context}); the GitLab view left closed for 10 s after both. Counted: every request to the fake but the sign-in check (${signInChecks} requests to /user and /personal_access_tokens/self).`,
      rows: [
        {
          measure: 'Requests before the view is opened',
          ratio: 'n/a',
          ours: `${beforeView.length}${beforeView.length ? ` (${[...new Set(beforeView.map((request) => `${request.method} ${request.path}`))].join(', ')})` : ''}`,
          baseline: 'the goal',
          goal: '0',
          met: beforeView.length === 0 && report.signedIn && report.projectFound,
        },
      ],
    },
    {
      title: 'Idle economy',
      method: `The same window, on the fake GitLab as 18.2, with a pipeline running on the current branch (default settings: 5 s refresh while something runs). Requests to the fake counted over ${(WINDOW_MS / 1000).toFixed(0)} s per state, starting 2 s after the change: the GitLab view visible in a focused window; the Explorer shown instead (view hidden); the view visible but the window unfocused (played in the page: \`document.hasFocus()\` false and a \`blur\` event, as when the user switches to another window — headless Chromium otherwise always reports focus). Then every job finished and ${(QUIET_WINDOW_MS / 1000).toFixed(0)} s with the view visible and nothing changing (default idle refresh: 60 s). Bytes are what the fake GitLab put on the socket: status lines, headers and bodies as sent (gzipped where asked).`,
      rows: [
        { measure: 'Requests a minute, view visible and focused', ratio: '1.00×', ours: visible.toFixed(1), baseline: 'itself', goal: '' },
        idleRow('hidden', report.hidden),
        idleRow('window unfocused', report.unfocused),
        {
          measure: 'Bytes on the wire a minute, view visible, a pipeline running',
          ratio: 'n/a',
          ours: `${formatBytes(bytesPerMinute(report.visible))} (${visible.toFixed(1)} requests)`,
          baseline: 'context for the row below',
          goal: '',
        },
        {
          measure: 'Bytes on the wire a minute, view visible, nothing changing',
          ratio: `${(bytesPerMinute(report.quiet) / bytesPerMinute(report.visible)).toFixed(3)}×`,
          ours: `${formatBytes(bytesPerMinute(report.quiet))} (${perMinute(report.quiet).toFixed(1)} requests a minute, ${inWindow(report.quiet).filter((request) => request.status === 304).length} of ${inWindow(report.quiet).length} answered 304)`,
          baseline: `${formatBytes(bytesPerMinute(report.visible))} with a pipeline running`,
          goal: `≤ ${formatBytes(QUIET_BYTES_GOAL)}`,
          met: bytesPerMinute(report.quiet) <= QUIET_BYTES_GOAL,
        },
      ],
    },
  ];
}
