// A 20,000-case test report (200 failures, one with a 1 MB stack trace), uploaded as gzipped JUnit by the
// simulated runner and served by the fake GitLab: the time from expanding the Tests node to the failed cases
// shown (located in a workspace), and the peak memory, each in a fresh process against one reading GitLab's
// answer as plain JSON. Plain Node on the core and the tree's steps (no VS Code: the tree's rendering of 200
// rows is not what costs). Run alone: npm run compile-tests && node out/bench/tests/testReportBench.js
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitLab } from '../../src/gitlab';
import { startFakeGitLab } from '../../test/fake-gitlab';
import { PROJECT, junitRunner, largeJunit, runJobOf } from '../../test/gitlab/tests/junitFixtures';
import { runMeasuredChild } from '../memory';
import type { Section } from '../report';
import { formatBytes, formatMs, median, ratio } from '../stats';
import type { TestReportJob, TestReportMeasure, TestReportMode } from './testReportChild';

const CASES = 20_000;
const HUGE_TRACE_BYTES = 1024 * 1024;
const RUNS = 3;
const GOAL_MS = 2_000;
const GOAL_BYTES = 100 * 1024 * 1024;

export async function runTestReportBench(log: (line: string) => void): Promise<Section> {
  const fake = await startFakeGitLab();
  const workspace = await mkdtemp(join(tmpdir(), 'bench-tests-'));
  try {
    log(`test reports: uploading a ${CASES.toLocaleString('en')}-case JUnit report through the runner protocol`);
    const gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.developer });
    const pipelineId = (await gitlab.pipelines.create(PROJECT, 'feature/login')).id;
    const runner = junitRunner(fake, () => largeJunit(CASES, HUGE_TRACE_BYTES));
    await runJobOf(fake, runner, pipelineId);
    await runner.stop();
    // GitLab parses a report once and caches it: the fake's first parse is not what a user waits for.
    await gitlab.pipelines.testReportSummary(PROJECT, pipelineId);
    // The workspace the failures point into (largeJunit's traces name src/case<n>.ts).
    await mkdir(join(workspace, 'src'));
    for (let index = 0; index < CASES; index += 100) await writeFile(join(workspace, 'src', `case${index}.ts`), 'export {};\n');

    const child = (mode: TestReportMode) =>
      runMeasuredChild<TestReportJob, TestReportMeasure>(join(__dirname, 'testReportChild.js'), { mode, instanceUrl: fake.url, token: fake.tokens.developer, project: PROJECT, pipelineId, workspace });
    const idle = (await child('idle')).peakRssBytes;
    const expand: TestReportMeasure[] = [];
    const whole: TestReportMeasure[] = [];
    for (let run = 0; run < RUNS; run++) {
      expand.push(await child('expand'));
      whole.push(await child('whole'));
    }
    const ms = median(expand.map((measure) => measure.ms));
    const wholeMs = median(whole.map((measure) => measure.ms));
    const rss = median(expand.map((measure) => measure.peakRssBytes)) - idle;
    const wholeRss = median(whole.map((measure) => measure.peakRssBytes)) - idle;
    const { failed, located } = expand[0];
    return {
      title: 'Test reports',
      method:
        `A ${CASES.toLocaleString('en')}-case JUnit report (${failed} failures, one with a 1 MB stack trace) uploaded gzipped by the simulated runner, parsed and served by the fake GitLab 18.2 (bench/tests/). ` +
        `Each measure in a fresh process, median of ${RUNS}; plain Node on the core and the tree's steps (VS Code's rendering of the rows is left out). ` +
        'Ours: expanding the Tests node — the summary, the report read bounded, the failed cases picked and located in a workspace folder. Baseline: fetching the report and JSON.parse alone, locating nothing.',
      rows: [
        {
          measure: `Expand the Tests node of a ${CASES.toLocaleString('en')}-case report to its failed cases, located`,
          ratio: ratio(ms, wholeMs),
          ours: `${formatMs(ms)} (${located} of ${failed} failures located at a workspace line; the one whose 1 MB trace names no file is not)`,
          baseline: `${formatMs(wholeMs)} fetching and parsing the JSON alone`,
          goal: `≤ ${formatMs(GOAL_MS)}`,
          met: ms <= GOAL_MS,
        },
        {
          measure: `Peak RSS expanding it (over an idle process, ${formatBytes(idle)})`,
          ratio: ratio(rss, wholeRss),
          ours: `+${formatBytes(rss)}`,
          baseline: `+${formatBytes(wholeRss)} fetching and parsing the JSON alone`,
          goal: `≤ +${formatBytes(GOAL_BYTES)}`,
          met: rss <= GOAL_BYTES,
        },
      ],
    };
  } finally {
    await rm(workspace, { recursive: true, force: true });
    await fake.close();
  }
}

if (require.main === module) {
  void runTestReportBench((line) => console.log(`[bench] ${line}`)).then((section) => console.log(JSON.stringify(section, null, 2)));
}
