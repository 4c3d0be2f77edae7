// Runs every measure and writes docs/BENCHMARKS.md. Started by bench/run.mjs (`npm run bench`), which
// installs, builds and compiles first. A measure that breaks is reported as such and the others still run;
// a missed goal is a result, not a failure.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runActivationBench } from './activation';
import { runArtifactsBench } from './artifacts';
import { runArtifactsCliBench } from './artifactsCli';
import { runCiLintBench } from './ciLint';
import { runEconomyBench } from './economy';
import { type FollowBenchRow, runFollowBench } from './logs/followBench';
import { runLogMemoryBench } from './logs/memoryBench';
import { runPipelineListingBench } from './pipelineJobs';
import { matchingSection, runMatchingBench } from './problems/matchingBench';
import { renderReport, type ResultRow, type Section } from './report';
import { runScaleBench } from './scale';
import { formatBytes } from './stats';
import { runTestReportBench } from './tests/testReportBench';

const REPO_ROOT = join(__dirname, '../..');
const DATA_DIR = join(REPO_ROOT, 'bench/.data');
const REPORT = join(REPO_ROOT, 'docs/BENCHMARKS.md');

const log = (line: string) => console.log(`[bench] ${line}`);

const measures: { title: string; run: () => Promise<Section | Section[]> }[] = [
  { title: 'Listing a pipeline of 1,000 jobs', run: () => runPipelineListingBench(log) },
  {
    title: 'Artifacts',
    run: async () => ({
      title: 'Artifacts',
      method: 'A 1 GiB archive on the fake GitLab, served by its object storage behind a 302 as on gitlab.com (bench/artifacts/): peak memory of our download in a fresh process against an idle process that loads the same modules, throughput against curl fetching the same signed object-storage URL, and the bytes moved to list the archive and to extract one small file.',
      rows: await runArtifactsBench({ dataDir: DATA_DIR, log }),
    }),
  },
  { title: 'Artifacts: python-gitlab CLI', run: () => runArtifactsCliBench(DATA_DIR, log) },
  {
    title: 'Logs',
    run: async () => {
      log('logs: following a log as it grows');
      return logsSection(await runFollowBench());
    },
  },
  { title: 'Log memory', run: () => runLogMemoryBench(log) },
  { title: 'Activation', run: () => runActivationBench(log) },
  { title: 'Idle economy', run: () => runEconomyBench(log) },
  { title: 'Problem matching', run: () => Promise.resolve(matchingSection(runMatchingBench(log))) },
  { title: 'Test reports', run: () => runTestReportBench(log) },
  { title: 'Big running pipelines in VS Code', run: () => runScaleBench(log) },
  { title: 'CI Lint while typing', run: () => runCiLintBench(log) },
];

/** Goals on bytes on the wire ÷ log bytes: slices move each byte once; a whole-log GitLab pays each change. */
const FOLLOW_GOALS: Record<string, number> = { 'GitLab newest': 1.05, 'GitLab 18.8': 8, 'GitLab 18.2': 8 };

function logsSection(rows: readonly FollowBenchRow[]): Section {
  const perLogByte = (row: FollowBenchRow) => row.wireBytes / row.finalLogBytes;
  const baselines = rows.filter((row) => row.follower.startsWith('baseline'));
  const figures = (row: FollowBenchRow) =>
    `${perLogByte(row).toFixed(3)} bytes a log byte: ${row.requests} requests, ${formatBytes(row.wireBytes)} on the wire (${formatBytes(row.bodyBytes)} of bodies)${row.exact ? '' : ', the log delivered was **not** exact'}`;
  return {
    title: 'Logs',
    method: `One job log growing to ${formatBytes(rows[0]?.finalLogBytes ?? 0)} in 1,000 appends on the fake GitLab of each generation (bench/logs/followBench.ts): 18.2 and 18.8 serve the whole log (with a weak ETag, gzipped when asked), newest serves byte slices. Every follower polls every 100 ms. Ratio: bytes on the wire (compressed bodies plus status lines and headers) ÷ bytes of the log.`,
    rows: rows.map((row): ResultRow => {
      const goal = Object.entries(FOLLOW_GOALS).find(([generation]) => !row.follower.startsWith('baseline') && row.follower.endsWith(generation))?.[1];
      return {
        measure: `Follow the log: ${row.follower}`,
        ratio: `${perLogByte(row).toFixed(2)}×`,
        ours: figures(row),
        baseline: goal === undefined ? 'itself' : baselines.map((baseline) => `${baseline.follower.replace('baseline: ', '')}: ${perLogByte(baseline).toFixed(2)}×`).join('; '),
        goal: goal === undefined ? '' : `≤ ${goal}×`,
        met: goal === undefined ? undefined : row.exact && perLogByte(row) <= goal,
      };
    }),
  };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const sections: Section[] = [];
  let broken = 0;
  for (const measure of measures) {
    log(`— ${measure.title}`);
    try {
      sections.push(...[await measure.run()].flat());
    } catch (error) {
      broken++;
      const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`[bench] ${measure.title} failed: ${reason}`);
      sections.push({ title: measure.title, method: 'Not measured: the benchmark itself failed.', rows: [], notes: [reason.split('\n')[0]] });
    }
  }
  const report = renderReport(sections, { startedAt, seconds: (Date.now() - startedAt.getTime()) / 1000 });
  await writeFile(REPORT, report);
  console.log(`\n${report}`);
  log(`wrote ${REPORT}`);
  if (broken > 0) process.exitCode = 1;
}

void main();
