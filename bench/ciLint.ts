// Requests per minute while typing in a CI file: the lint scheduler the editor uses (LintScheduler, plain
// Node) with the real client against the fake GitLab 18.2, GitLab's lint answering in 400 ms. A simulated
// typist (no VS Code: the scheduler is the whole of the editor's lint traffic, fed the text at each
// keystroke) types for TYPING_MS, pausing between words and lines, and saves now and then without a change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { GitLab } from '../src/gitlab';
import { LintScheduler } from '../src/gitlab/ciConfig';
import { startFakeGitLab } from '../test/fake-gitlab';
import type { ResultRow, Section } from './report';

const TYPING_MS = 30_000;
const KEYSTROKE_MS = 120;
const WORD_PAUSE_MS = 350;
const LINE_PAUSE_MS = 2_500;
const SAVE_EVERY_MS = 7_000;
/** The editor's debounce (src/ui/ciConfig/lintDiagnostics.ts). */
const DEBOUNCE_MS = 800;
const LINT_LATENCY_MS = 400;
const PROJECT = 'demo-group/demo-app';

export interface CiLintBenchResult {
  keystrokes: number;
  saves: number;
  requests: number;
  lintRequestsAtServer: number;
  unchangedSkipped: number;
  /** Requests whose text was the one sent just before. */
  unchangedSent: number;
  maxInFlight: number;
  minutes: number;
}

export async function measureLintWhileTyping(log: (line: string) => void = () => undefined): Promise<CiLintBenchResult> {
  const fake = await startFakeGitLab({ generation: '18.2' });
  try {
    fake.faults.add({ route: /\/ci\/lint$/, kind: 'latency', ms: LINT_LATENCY_MS, times: Infinity });
    const gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.developer });
    let lastSent: string | undefined;
    let unchangedSent = 0;
    const scheduler = new LintScheduler({
      debounceMs: DEBOUNCE_MS,
      lint: (text, signal) => {
        if (text === lastSent) unchangedSent++;
        lastSent = text;
        return gitlab.ciLint.lintContent(PROJECT, text, { signal });
      },
      onResult: () => undefined,
      onError: (_text, error) => log(`ci lint: ${error instanceof Error ? error.message : String(error)}`),
    });
    const base = readFileSync(join(__dirname, '../../demo/workspace/.gitlab-ci.yml'), 'utf8');
    const addition = 'lint:yaml:\n  stage: test\n  image: node:20\n  script:\n    - npx yaml-lint .gitlab-ci.yml\n    - echo checked the configuration\n  allow_failure: true\n'.repeat(20);
    log(`ci lint: typing for ${TYPING_MS / 1000} s, keystrokes every ${KEYSTROKE_MS} ms, debounce ${DEBOUNCE_MS} ms, lint answering in ${LINT_LATENCY_MS} ms`);
    let text = base;
    let keystrokes = 0;
    let saves = 0;
    const started = Date.now();
    let lastSave = started;
    scheduler.schedule(text, true); // opening the file
    for (const char of addition) {
      if (Date.now() - started >= TYPING_MS) break;
      text += char;
      keystrokes++;
      scheduler.schedule(text);
      await delay(char === '\n' ? LINE_PAUSE_MS : char === ' ' ? WORD_PAUSE_MS : KEYSTROKE_MS);
      if (Date.now() - lastSave >= SAVE_EVERY_MS) {
        // Saving lints at once; the text was just linted (or is about to be): unchanged text costs nothing.
        scheduler.schedule(text, true);
        lastSave = Date.now();
        saves++;
      }
    }
    while (!scheduler.idle) await delay(50);
    const minutes = (Date.now() - started) / 60_000;
    scheduler.dispose();
    return {
      keystrokes, saves, minutes,
      requests: scheduler.stats.requests,
      lintRequestsAtServer: fake.requests.filter((request) => request.path.endsWith('/ci/lint')).length,
      unchangedSkipped: scheduler.stats.skippedUnchanged,
      unchangedSent,
      maxInFlight: scheduler.stats.maxInFlight,
    };
  } finally {
    await fake.close();
  }
}

export async function runCiLintBench(log: (line: string) => void): Promise<Section> {
  const result = await measureLintWhileTyping(log);
  const perMinute = (count: number) => count / result.minutes;
  const rows: ResultRow[] = [
    {
      measure: 'Lint requests a minute while typing in .gitlab-ci.yml',
      ratio: `${(result.requests / Math.max(1, result.keystrokes)).toFixed(3)}× the keystrokes`,
      ours: `${perMinute(result.requests).toFixed(1)} a minute (${result.requests} for ${result.keystrokes} keystrokes and ${result.saves} saves in ${(result.minutes * 60).toFixed(0)} s; the server saw ${result.lintRequestsAtServer})`,
      baseline: `linting at every change: ${perMinute(result.keystrokes + result.saves).toFixed(0)} a minute`,
      goal: '',
    },
    {
      measure: 'Lints in flight at once while typing',
      ratio: '',
      ours: String(result.maxInFlight),
      baseline: '',
      goal: '≤ 1',
      met: result.maxInFlight <= 1,
    },
    {
      measure: 'Lint requests for unchanged text (saves and re-schedules of a text already linted)',
      ratio: '',
      ours: `${result.unchangedSent} sent, ${result.unchangedSkipped} skipped`,
      baseline: '',
      goal: '0',
      met: result.unchangedSent === 0,
    },
  ];
  return {
    title: 'CI Lint while typing',
    method: `A plain-Node simulation, not a real VS Code (bench/ciLint.ts): the editor's lint scheduler (src/gitlab/ciConfig/lintScheduler.ts, debounce ${DEBOUNCE_MS} ms) with the real client against the fake GitLab 18.2 whose lint answers in ${LINT_LATENCY_MS} ms, fed the text at each keystroke of a typist (${KEYSTROKE_MS} ms a key, pauses between words and lines, a save every ${SAVE_EVERY_MS / 1000} s) for ${TYPING_MS / 1000} s.`,
    rows,
  };
}

// Standalone: `npm run compile-tests && node out/bench/ciLint.js`.
if (require.main === module) {
  void runCiLintBench((line) => console.log(`[bench] ${line}`)).then((section) => console.log(JSON.stringify(section, null, 2)));
}
