// One measured process (forked by testReportBench.ts): what expanding the Tests node costs until the failed
// cases are shown, or the baseline, reading GitLab's whole answer as plain JSON. Reports time and peak RSS.
import { GitLab } from '../../src/gitlab';
import { CaseLocator } from '../../src/gitlab/tests';
import { folderFiles } from '../../test/gitlab/tests/folderFiles';
import { peakRssTracker } from '../memory';

/**
 * `expand`: the tree's steps — the summary, then the report (bounded), the failed cases picked and each located
 * in a workspace folder (stack frames mapped, files checked). `whole`: fetch the report and JSON.parse it, no
 * more. `idle`: loads the same modules and stops.
 */
export type TestReportMode = 'idle' | 'expand' | 'whole';

export interface TestReportJob {
  readonly mode: TestReportMode;
  readonly instanceUrl: string;
  readonly token: string;
  readonly project: string;
  readonly pipelineId: number;
  readonly workspace: string;
}

export interface TestReportMeasure {
  readonly peakRssBytes: number;
  readonly ms: number;
  /** Failed cases shown (expand) or in the answer (whole). */
  readonly failed: number;
  /** Failed cases placed at a workspace file and line. */
  readonly located: number;
}

async function run(job: TestReportJob): Promise<TestReportMeasure> {
  const peakRss = peakRssTracker();
  const started = performance.now();
  let failed = 0;
  let located = 0;
  if (job.mode === 'expand') {
    const gitlab = new GitLab({ instanceUrl: job.instanceUrl, token: job.token });
    await gitlab.pipelines.testReportSummary(job.project, job.pipelineId);
    const report = await gitlab.testReports.report(job.project, job.pipelineId);
    const locator = new CaseLocator(await folderFiles(job.workspace));
    for (const suite of report.suites) {
      for (const testCase of suite.cases) {
        if (testCase.status !== 'failed' && testCase.status !== 'error') continue;
        failed++;
        if ((await locator.locate(testCase)).test) located++;
      }
    }
  } else if (job.mode === 'whole') {
    const response = await fetch(`${job.instanceUrl}/api/v4/projects/${encodeURIComponent(job.project)}/pipelines/${job.pipelineId}/test_report`, { headers: { 'private-token': job.token } });
    const report = (await response.json()) as { test_suites: { test_cases: { status: string }[] }[] };
    failed = report.test_suites.flatMap((suite) => suite.test_cases).filter((testCase) => testCase.status === 'failed').length;
  }
  return { peakRssBytes: peakRss(), ms: performance.now() - started, failed, located };
}

process.once('message', (job: TestReportJob) => {
  void run(job).then(
    (measure) => process.send?.(measure, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
