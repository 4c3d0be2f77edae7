// Problem matching over a long job log: how many MB/s the matchers add to the renderer they run behind, and
// whether the time stays linear in the log's size. The log is real runner output (bench/logs/syntheticLog.ts)
// with real tool output (test/gitlab/problems/fixtures: tsc, ESLint, GCC, rustc, pytest...) spliced in every
// 200 lines, so the matchers find problems all along. The same problems repeat, and repeats count once, so the
// scan never reaches its cap and stops early: every line of the log goes through the matchers.
// Standalone: `node out/bench/problems/matchingBench.js` (after `npm run compile-tests`).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ProblemScanner } from '../../src/gitlab/problems/scanner';
import { TraceRenderer } from '../../src/gitlab/trace/renderer';
import { syntheticLog } from '../logs/syntheticLog';
import type { Section } from '../report';

const MB = 1024 * 1024;
const SIZES_MB = [25, 50, 100];
const CHUNK = 64 * 1024;
const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'gitlab', 'problems', 'fixtures');

/** `sizeMb` MB of runner output with tool output spliced in. */
function logWithProblems(sizeMb: number): Buffer {
  const toolOutput = readdirSync(FIXTURES).map((name) => readFileSync(path.join(FIXTURES, name), 'utf8'));
  const lines = syntheticLog(sizeMb * MB).toString('latin1').split('\n');
  const pieces: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    pieces.push(lines[index] ?? '');
    if (index % 200 === 199) pieces.push(toolOutput[(index / 200) % toolOutput.length | 0] ?? '');
  }
  return Buffer.from(pieces.join('\n'), 'latin1').subarray(0, sizeMb * MB);
}

/** Seconds to render `log` in 64 KB chunks, each line also scanned when `scan`; the best of three runs. */
function time(log: Buffer, scan: boolean): { seconds: number; problems: number; capped: boolean } {
  let best = Infinity;
  let problems = 0;
  let capped = false;
  for (let run = 0; run < 3; run++) {
    const started = process.hrtime.bigint();
    const renderer = new TraceRenderer();
    const scanner = new ProblemScanner();
    for (let offset = 0; offset < log.length; offset += CHUNK) {
      const lines = renderer.push(log.subarray(offset, offset + CHUNK));
      if (scan) for (const line of lines) scanner.push(line.text);
    }
    for (const line of renderer.end()) if (scan) scanner.push(line.text);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
    ({ capped } = scanner.result());
    problems = scanner.result().problems.length;
  }
  return { seconds: best, problems, capped };
}

export interface MatchingRow {
  sizeMb: number;
  renderOnlySeconds: number;
  renderAndMatchSeconds: number;
  problems: number;
  capped: boolean;
}

export function runMatchingBench(log: (line: string) => void = () => undefined): MatchingRow[] {
  return SIZES_MB.map((sizeMb) => {
    log(`problems: matching over ${sizeMb} MB`);
    const input = logWithProblems(sizeMb);
    const renderOnly = time(input, false);
    const both = time(input, true);
    return { sizeMb, renderOnlySeconds: renderOnly.seconds, renderAndMatchSeconds: both.seconds, problems: both.problems, capped: both.capped };
  });
}

/** The matchers may cost at most as much again as rendering: the whole pipeline keeps half the renderer's speed. */
const GOAL_SHARE = 0.5;
/** Linear: 4× the log takes at most 4.4× the time (10 % slack for noise). */
const GOAL_LINEARITY = 1.1;

export function matchingSection(rows: readonly MatchingRow[]): Section {
  const mbps = (sizeMb: number, seconds: number) => sizeMb / seconds;
  const first = rows[0];
  const last = rows[rows.length - 1];
  const linearity = first && last ? last.renderAndMatchSeconds / last.sizeMb / (first.renderAndMatchSeconds / first.sizeMb) : NaN;
  return {
    title: 'Problem matching',
    method:
      'Rendering a job log (bench/logs/syntheticLog.ts) with real tool output spliced in every 200 lines, in 64 KB chunks, alone and with every line through the problem matchers (bench/problems/matchingBench.ts; best of three). Ratio: throughput with matching ÷ the renderer’s own. The spliced problems repeat (repeats count once), so the scan never stops early at its cap of 1,000: every line is matched.',
    rows: [
      ...rows.map((row) => {
        const share = row.renderOnlySeconds / row.renderAndMatchSeconds;
        return {
          measure: `Render and match ${row.sizeMb} MB`,
          ratio: `${share.toFixed(2)}×`,
          ours: `${mbps(row.sizeMb, row.renderAndMatchSeconds).toFixed(1)} MB/s (${row.renderAndMatchSeconds.toFixed(2)} s, ${row.problems} problems${row.capped ? ', capped' : ''})`,
          baseline: `renderer alone: ${mbps(row.sizeMb, row.renderOnlySeconds).toFixed(1)} MB/s`,
          goal: `≥ ${GOAL_SHARE}×`,
          met: share >= GOAL_SHARE,
        };
      }),
      {
        measure: `Linear in size (${first?.sizeMb ?? 0} → ${last?.sizeMb ?? 0} MB)`,
        ratio: `${linearity.toFixed(2)}×`,
        ours: 'time per MB at the largest size ÷ at the smallest',
        baseline: 'itself',
        goal: `≤ ${GOAL_LINEARITY}×`,
        met: linearity <= GOAL_LINEARITY,
      },
    ],
  };
}

if (require.main === module) {
  const rows = runMatchingBench((line) => console.log(`[bench] ${line}`));
  console.log(JSON.stringify(matchingSection(rows), null, 2));
}
