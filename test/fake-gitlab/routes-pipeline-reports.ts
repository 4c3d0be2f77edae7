import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ApiRouter } from './app';
import { requireRole } from './auth';
import { emptyReply, jsonReply } from './http';
import type { JobRecord } from './model';
import { pipelineIn, projectAccess } from './route-helpers';

interface SuiteCounts {
  time: number;
  count: number;
  success: number;
  failed: number;
  skipped: number;
  error: number;
}

/** A pipeline's test report summary and its deletion, as lib/api/ci/pipelines.rb serves them. */
export function registerPipelineReportRoutes(router: ApiRouter): void {
  router.add('GET', '/api/v4/projects/:id/pipelines/:pipeline_id#/test_report_summary', (ctx, { id = '', pipeline_id = '' }) => {
    const { project } = projectAccess(ctx, id);
    const pipeline = pipelineIn(ctx, project, pipeline_id);
    // GitLab names a suite after the job that uploaded it; only jobs with a junit report count.
    const suites = ctx.app.state.pipelineJobs(pipeline.id).flatMap((job) => {
      const counts = junitCounts(job);
      return counts === undefined ? [] : [{ job, counts }];
    });
    const total = suites.reduce((sum, { counts }) => addCounts(sum, counts), emptyCounts());
    return jsonReply(200, {
      total: { ...total, time: round(total.time), suite_error: null },
      test_suites: suites.map(({ job, counts }) => ({
        name: job.name,
        total_time: round(counts.time),
        total_count: counts.count,
        success_count: counts.success,
        failed_count: counts.failed,
        skipped_count: counts.skipped,
        error_count: counts.error,
        build_ids: [job.id],
        suite_error: null,
      })),
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

function junitCounts(job: JobRecord): SuiteCounts | undefined {
  const reports = job.artifacts.filter((artifact) => artifact.fileType === 'junit');
  if (job.kind !== 'build' || reports.length === 0) return undefined;
  return reports.map((report) => countCases(gunzipSync(readFileSync(report.filePath)).toString('utf8'))).reduce(addCounts, emptyCounts());
}

/** Enough of JUnit XML for counts: each <testcase>, its time, and whether it holds a failure, error or skipped. */
function countCases(xml: string): SuiteCounts {
  const counts = emptyCounts();
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = match[2] ?? '';
    counts.count++;
    counts.time += Number(/\btime="([\d.]+)"/.exec(match[1])?.[1] ?? 0);
    if (/<failure\b/.test(body)) counts.failed++;
    else if (/<error\b/.test(body)) counts.error++;
    else if (/<skipped\b/.test(body)) counts.skipped++;
    else counts.success++;
  }
  return counts;
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
