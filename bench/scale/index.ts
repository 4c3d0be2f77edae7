// The scale table and the soak of issue 15, in the real VS Code: one window per size of running pipeline
// (100, 1,000 and 5,000 jobs, at most 100 of them active), the view visible; the 1,000-job window then
// follows one job's log and soaks. Requests and bytes are counted on the fake GitLab; CPU, heap and first
// rows come from the extension host (host.ts) and the page (rows.ts).
import { join } from 'node:path';
import { RUNNING_PIPELINE_STAGES, RunningPipeline } from '../../test/fake-gitlab/running-pipeline';
import type { Section } from '../report';
import { reportOf, runSession, signedInEnv, startFakeWorkspace } from '../vscode/session';
import {
  CLICK_SAMPLES_VARIABLE, CLICK_STAGES_VARIABLE, FOLLOWED_JOB_VARIABLE, SCALE_REPORT_MARKER, SCALE_WINDOW_MS_VARIABLE, type ScaleReport, SOAK_MS_VARIABLE, SOAK_SAMPLE_MS_VARIABLE, ROW_NAMES_VARIABLE,
} from './contract';
import { describeClicks } from './clickRows';
import { rowActions } from './rows';
import { type ScaleRun, scaleSections } from './sections';

export const JOB_COUNTS = [100, 1_000, 5_000] as const;
/** The window that also soaks: a 1,000-job pipeline, as in the issue. */
const SOAK_JOB_COUNT = 1_000;
/** Minutes of soak: `BENCH_SOAK_MINUTES` (default 10, the issue's minimum; 1 for a quick check). */
export const SOAK_MINUTES_VARIABLE = 'BENCH_SOAK_MINUTES';
/** Some of JOB_COUNTS only, comma-separated (e.g. `100` for a quick check of the bench itself). */
export const JOB_COUNTS_VARIABLE = 'BENCH_SCALE_JOB_COUNTS';
const WINDOW_MS = 45_000;
/** Clicks on collapsed stages while a refresh runs, per window. */
const CLICK_SAMPLES = 10;
// The stages that finished: they start collapsed, so a click on one asks for rows not shown before.
const FINISHED_STAGES = RUNNING_PIPELINE_STAGES.slice(0, -1);
// A big pipeline moves all the time: every 2 s a job finishes, another starts and one is retried, and the
// followed job writes 2 KiB of log.
const CHURN_MS = 2_000;
const LOG_BYTES_PER_CHURN = 2_048;
const PROGRESS_MS = 60_000;
// The workspace's branch (test/vscode/setup.ts): the measured pipeline runs on it.
const BRANCH = 'main';

export async function runScaleBench(log: (line: string) => void): Promise<Section[]> {
  const soakMinutes = Number(process.env[SOAK_MINUTES_VARIABLE] ?? 10);
  if (!(soakMinutes > 0)) throw new Error(`${SOAK_MINUTES_VARIABLE} must be a positive number of minutes, not ${process.env[SOAK_MINUTES_VARIABLE]}`);
  const wanted = process.env[JOB_COUNTS_VARIABLE]?.split(',').map(Number);
  const runs: ScaleRun[] = [];
  for (const jobCount of JOB_COUNTS.filter((count) => !wanted || wanted.includes(count))) {
    const soakMs = jobCount === SOAK_JOB_COUNT ? soakMinutes * 60_000 : 0;
    try {
      runs.push(await measureOne(jobCount, soakMs, log));
    } catch (error) {
      // One window that breaks leaves the others measured; the section says which failed and why.
      const reason = error instanceof Error ? error.message : String(error);
      log(`scale: ${jobCount} jobs failed: ${reason}`);
      runs.push({ jobCount, activeJobs: activeJobsOf(jobCount), followedJobId: 0, error: reason, requests: [] });
    }
  }
  return scaleSections(runs, { windowMs: WINDOW_MS, soakMinutes, soakJobCount: SOAK_JOB_COUNT, churnMs: CHURN_MS, logBytesPerChurn: LOG_BYTES_PER_CHURN });
}

/** The number of active jobs: at most 100, as in the issue's goal; a tenth of a small pipeline. */
export function activeJobsOf(jobCount: number): number {
  return Math.min(100, Math.floor(jobCount / 10));
}

async function measureOne(jobCount: number, soakMs: number, log: (line: string) => void): Promise<ScaleRun> {
  const { runDir, workspace, fake } = await startFakeWorkspace();
  const pipeline = RunningPipeline.seed(fake.state, { projectId: 1, jobCount, activeJobs: activeJobsOf(jobCount), ref: BRANCH });
  pipeline.finishOtherPipelines();
  const churn = setInterval(() => {
    pipeline.tick();
    pipeline.growFollowedLog(LOG_BYTES_PER_CHURN);
  }, CHURN_MS);
  const startedAt = Date.now();
  const expectedMinutes = Math.ceil((70_000 + WINDOW_MS + soakMs) / 60_000);
  const progress = setInterval(() => log(`scale: ${jobCount.toLocaleString('en')} jobs, ${Math.round((Date.now() - startedAt) / 60_000)} of about ${expectedMinutes} min`), PROGRESS_MS);
  log(`scale: a VS Code window on a running pipeline of ${jobCount.toLocaleString('en')} jobs (${activeJobsOf(jobCount)} active)${soakMs ? `, then a ${soakMs / 60_000}-minute soak following a log` : ''}`);
  try {
    const session = await runSession({
      runDir,
      workspace,
      env: {
        ...signedInEnv(fake),
        [SCALE_WINDOW_MS_VARIABLE]: String(WINDOW_MS),
        [SOAK_MS_VARIABLE]: String(soakMs),
        // About 20 samples whatever the length, never more than one every 30 s.
        [SOAK_SAMPLE_MS_VARIABLE]: String(Math.max(5_000, Math.min(30_000, soakMs / 20))),
        [FOLLOWED_JOB_VARIABLE]: String(pipeline.followedJob.id),
        [ROW_NAMES_VARIABLE]: [BRANCH, ...RUNNING_PIPELINE_STAGES].join(','),
        [CLICK_STAGES_VARIABLE]: FINISHED_STAGES.join(','),
        [CLICK_SAMPLES_VARIABLE]: String(CLICK_SAMPLES),
      },
      testsModule: join(__dirname, 'host.js'),
      timeoutMs: 4 * 60_000 + soakMs,
      pageActions: rowActions,
    });
    const report = reportOf<ScaleReport>(session, SCALE_REPORT_MARKER, `the VS Code window on ${jobCount} jobs`);
    for (const line of describeClicks(report.clicks ?? [])) log(`scale: ${jobCount.toLocaleString('en')} jobs, click on ${line}`);
    return { jobCount, activeJobs: activeJobsOf(jobCount), report, requests: [...fake.requests], followedJobId: pipeline.followedJob.id };
  } finally {
    clearInterval(churn);
    clearInterval(progress);
    await fake.close();
  }
}
