import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { type Bridge, GitLabHttpError, type Job, KNOWN_STATUSES, type ProjectRef } from '../gitlab';
import { type TestReportSummary } from '../gitlab/pipelines';
import { jobSummary, pageShape, pipelineSummary } from './schemas';
import { pageInfo, summarizeBridge, summarizeJob, summarizePipeline } from './summaries';
import { READ_ONLY, type ToolContext, addTool, page, perPage, pipelineId, projectFor, projectId } from './tooling';

export const status = z.enum(KNOWN_STATUSES);

/** `scope[]` as GitLab takes it: one status or several. */
export const jobScope = z
  .union([status.transform((one) => [one]), z.array(status).min(1).max(KNOWN_STATUSES.length)])
  .optional()
  .describe('Only jobs in these statuses, e.g. "failed" or ["failed", "canceled"].');

const stageJob = z.object({ id: z.number(), name: z.string(), status: z.string(), failure_reason: z.string().nullish(), allow_failure: z.boolean().optional(), web_url: z.string() });
const triggerJob = z.object({
  id: z.number(),
  name: z.string(),
  stage: z.string(),
  status: z.string(),
  allow_failure: z.boolean().optional(),
  web_url: z.string(),
  downstream_pipeline: z.object({ id: z.number(), project_id: z.number(), status: z.string(), ref: z.string(), web_url: z.string() }).nullable(),
});
const suiteCounts = z.object({
  name: z.string(),
  total_count: z.number(),
  success_count: z.number(),
  failed_count: z.number(),
  skipped_count: z.number(),
  error_count: z.number(),
  suite_error: z.string().nullish(),
});
const testReport = z.object({
  total: z.object({ count: z.number(), success: z.number(), failed: z.number(), skipped: z.number(), error: z.number(), time: z.number(), suite_error: z.string().nullish() }),
  suites: z.array(suiteCounts),
});

/** Reading pipelines: the list, one pipeline whole (stages, trigger jobs, tests), its jobs. */
export function registerPipelineTools(server: McpServer, context: ToolContext): void {
  addTool(server, context, {
    name: 'gitlab_list_pipelines',
    title: 'List pipelines',
    description: "Lists the project's pipelines, newest first, optionally for one ref (branch or tag), commit or status. Use it to find the pipeline that failed.",
    hints: READ_ONLY,
    credentials: 'user',
    input: {
      project_id: projectId,
      ref: z.string().min(1).max(255).optional().describe('Branch or tag name.'),
      sha: z.string().regex(/^[0-9a-f]{7,64}$/i, 'a commit SHA (hex)').optional().describe('Commit SHA.'),
      status: status.optional().describe('Only pipelines in this status, e.g. failed.'),
      scope: z.enum(['running', 'pending', 'finished', 'branches', 'tags']).optional(),
      source: z.string().min(1).max(64).optional().describe('e.g. push, web, schedule, merge_request_event, parent_pipeline (child pipelines are listed only with that one).'),
      order_by: z.enum(['id', 'status', 'ref', 'updated_at', 'user_id']).default('id'),
      sort: z.enum(['asc', 'desc']).default('desc'),
      page,
      per_page: perPage,
    },
    output: { pipelines: z.array(pipelineSummary), ...pageShape },
    async run(args, { signal }) {
      const { project_id, page: pageNumber, per_page, ...filters } = args;
      const result = await context.gitlab.pipelines.list(projectFor(context, project_id), filters, { page: pageNumber, perPage: per_page, signal });
      return { pipelines: result.items.map(summarizePipeline), ...pageInfo(result) };
    },
  });

  addTool(server, context, {
    name: 'gitlab_get_pipeline',
    title: 'Get a pipeline',
    description:
      "One pipeline whole: its status and timing, its jobs by stage (in pipeline order), its trigger jobs with the downstream pipeline each started " +
      '(id and project: follow a failed child pipeline from there) and its test report summary (null when no job uploaded a junit report).',
    hints: READ_ONLY,
    credentials: 'user',
    input: { project_id: projectId, pipeline_id: pipelineId },
    output: {
      pipeline: pipelineSummary.extend({ started_at: z.string().nullish(), finished_at: z.string().nullish(), duration: z.number().nullish(), queued_duration: z.number().nullish() }),
      stages: z.array(z.object({ name: z.string(), jobs: z.array(stageJob) })),
      trigger_jobs: z.array(triggerJob),
      test_report: testReport.nullable(),
    },
    async run(args, { signal }) {
      const project = projectFor(context, args.project_id);
      const { pipelines } = context.gitlab;
      const [pipeline, jobs, bridges, tests] = await Promise.all([
        pipelines.get(project, args.pipeline_id, signal),
        pipelines.jobs(project, args.pipeline_id, { signal }),
        pipelines.bridges(project, args.pipeline_id, { signal }),
        testSummary(context, project, args.pipeline_id, signal),
      ]);
      const { started_at, finished_at, duration, queued_duration } = pipeline;
      return {
        pipeline: { ...summarizePipeline(pipeline), started_at, finished_at, duration, queued_duration },
        stages: byStage([...jobs, ...bridges]),
        trigger_jobs: bridges.sort((a, b) => a.id - b.id).map(summarizeBridge),
        test_report: tests,
      };
    },
  });

  addTool(server, context, {
    name: 'gitlab_list_pipeline_jobs',
    title: 'List the jobs of a pipeline',
    description:
      "Lists a pipeline's jobs (newest first) with status, stage, failure reason, timing, artifacts and web_url, optionally only some statuses (scope) " +
      'and with earlier attempts of retried jobs (include_retried). Trigger jobs are listed by gitlab_get_pipeline.',
    hints: READ_ONLY,
    credentials: 'user',
    input: {
      project_id: projectId,
      pipeline_id: pipelineId,
      scope: jobScope,
      include_retried: z.boolean().default(false).describe('Also list the earlier attempts of retried jobs.'),
      per_page: perPage,
      page,
    },
    output: { pipeline_id: z.number(), jobs: z.array(jobSummary), ...pageShape },
    async run(args, { signal }) {
      const project = projectFor(context, args.project_id);
      const result = await context.gitlab.pipelines.jobsPage(
        project,
        args.pipeline_id,
        { page: args.page, perPage: args.per_page, signal },
        { scope: args.scope, includeRetried: args.include_retried },
      );
      return { pipeline_id: args.pipeline_id, jobs: result.items.map(summarizeJob), ...pageInfo(result) };
    },
  });
}

/** Stages in pipeline order (GitLab creates a pipeline's jobs stage by stage, so by id), each with its jobs. */
function byStage(jobs: readonly (Job | Bridge)[]): { name: string; jobs: z.input<typeof stageJob>[] }[] {
  const stages = new Map<string, z.input<typeof stageJob>[]>();
  for (const job of [...jobs].sort((a, b) => a.id - b.id)) {
    const list = stages.get(job.stage) ?? [];
    list.push({ id: job.id, name: job.name, status: job.status, failure_reason: job.failure_reason, allow_failure: job.allow_failure, web_url: job.web_url });
    stages.set(job.stage, list);
  }
  return [...stages].map(([name, stageJobs]) => ({ name, jobs: stageJobs }));
}

/** The counts of the pipeline's test report; null when GitLab has none to give. */
async function testSummary(context: ToolContext, project: ProjectRef, pipelineId: number, signal: AbortSignal): Promise<z.input<typeof testReport> | null> {
  let summary: TestReportSummary;
  try {
    summary = await context.gitlab.pipelines.testReportSummary(project, pipelineId, signal);
  } catch (error) {
    if (error instanceof GitLabHttpError && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
  if (summary.test_suites.length === 0) return null;
  const { count, success, failed, skipped, error, time, suite_error } = summary.total;
  return {
    total: { count, success, failed, skipped, error, time, suite_error },
    suites: summary.test_suites.map(({ name, total_count, success_count, failed_count, skipped_count, error_count, suite_error: suiteError }) => ({
      name,
      total_count,
      success_count,
      failed_count,
      skipped_count,
      error_count,
      suite_error: suiteError,
    })),
  };
}
