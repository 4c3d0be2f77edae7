import type { ApiContext, ApiRouter } from './app';
import { requireRole } from './auth';
import { emptyReply, jsonReply } from './http';
import { type FakeTestSuite, jobTestSuite } from './junit';
import { pipelineIn, projectAccess } from './route-helpers';

interface SuiteCounts {
  time: number;
  count: number;
  success: number;
  failed: number;
  skipped: number;
  error: number;
}

/** A pipeline's test report, its summary, and deleting a pipeline, as lib/api/ci/pipelines.rb serves them. */
export function registerPipelineReportRoutes(router: ApiRouter): void {
  router.add('GET', '/api/v4/projects/:id/pipelines/:pipeline_id#/test_report_summary', (ctx, { id = '', pipeline_id = '' }) => {
    const suites = pipelineSuites(ctx, id, pipeline_id);
    const counted = suites.map((suite) => ({ suite, counts: countsOf(suite) }));
    const total = counted.reduce((sum, { counts }) => addCounts(sum, counts), emptyCounts());
    return jsonReply(200, {
      total: { ...total, time: round(total.time), suite_error: suites.find((suite) => suite.suiteError)?.suiteError ?? null },
      test_suites: counted.map(({ suite, counts }) => ({ ...suiteFields(suite, counts), build_ids: suite.buildIds })),
    });
  });

  // Every case of every suite in one answer: GitLab neither paginates nor trims it.
  router.add('GET', '/api/v4/projects/:id/pipelines/:pipeline_id#/test_report', (ctx, { id = '', pipeline_id = '' }) => {
    const suites = pipelineSuites(ctx, id, pipeline_id).map((suite) => ({ suite, counts: countsOf(suite) }));
    const total = suites.reduce((sum, { counts }) => addCounts(sum, counts), emptyCounts());
    return jsonReply(200, {
      total_time: round(total.time),
      total_count: total.count,
      success_count: total.success,
      failed_count: total.failed,
      skipped_count: total.skipped,
      error_count: total.error,
      test_suites: suites.map(({ suite, counts }) => ({ ...suiteFields(suite, counts), test_cases: suite.cases })),
    });
  });

  // GitLab asks for the Owner role; the fake's highest role is maintainer.
  router.add('DELETE', '/api/v4/projects/:id/pipelines/:pipeline_id#', (ctx, { id = '', pipeline_id = '' }) => {
    const { project, role } = projectAccess(ctx, id);
    const pipeline = pipelineIn(ctx, project, pipeline_id);
    requireRole(role, 'maintainer');
    ctx.app.state.deletePipeline(pipeline);
    return emptyReply(204);
  });
}

/** Only jobs that uploaded a junit report so far count: partial while the pipeline runs. */
function pipelineSuites(ctx: ApiContext, projectId: string, pipelineId: string): FakeTestSuite[] {
  const { project } = projectAccess(ctx, projectId);
  const pipeline = pipelineIn(ctx, project, pipelineId);
  return ctx.app.state.pipelineJobs(pipeline.id).flatMap((job) => jobTestSuite(job) ?? []);
}

function countsOf(suite: FakeTestSuite): SuiteCounts {
  const counts = emptyCounts();
  counts.time = suite.totalTime;
  for (const testCase of suite.cases) {
    counts.count++;
    counts[testCase.status]++;
  }
  return counts;
}

function suiteFields(suite: FakeTestSuite, counts: SuiteCounts) {
  return {
    name: suite.name,
    total_time: round(counts.time),
    total_count: counts.count,
    success_count: counts.success,
    failed_count: counts.failed,
    skipped_count: counts.skipped,
    error_count: counts.error,
    suite_error: suite.suiteError,
  };
}

function emptyCounts(): SuiteCounts {
  return { time: 0, count: 0, success: 0, failed: 0, skipped: 0, error: 0 };
}

function addCounts(a: SuiteCounts, b: SuiteCounts): SuiteCounts {
  return { time: a.time + b.time, count: a.count + b.count, success: a.success + b.success, failed: a.failed + b.failed, skipped: a.skipped + b.skipped, error: a.error + b.error };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
