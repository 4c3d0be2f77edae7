import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { KNOWN_STATUSES } from '../gitlab';
import { readLogRange, readLogTail } from './jobLog';
import { jsonResult } from './output';
import { pageInfo, summarizeJob, summarizePipeline } from './summaries';
import { DESTRUCTIVE, READ_ONLY, type ToolContext, WRITE, addTool, jobId, page, perPage, projectFor, projectId } from './tooling';

const status = z.enum(KNOWN_STATUSES);
const MAX_LOG_BYTES = 256 * 1024;

/** What an agent debugging a failed pipeline reads and does: pipelines, their jobs, a job's log, retry/cancel/play. */
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
    async run(args, { signal }) {
      const { project_id, page: pageNumber, per_page, ...filters } = args;
      const result = await context.gitlab.pipelines.list(projectFor(context, project_id), filters, { page: pageNumber, perPage: per_page, signal });
      return jsonResult({ pipelines: result.items.map(summarizePipeline), ...pageInfo(result) });
    },
  });

  addTool(server, context, {
    name: 'gitlab_list_pipeline_jobs',
    title: 'List the jobs of a pipeline',
    description: "Lists a pipeline's jobs (newest first) with status, stage, failure reason, timing, artifacts and web_url. Trigger jobs (bridges) are not included.",
    hints: READ_ONLY,
    credentials: 'user',
    input: {
      project_id: projectId,
      pipeline_id: z.number().int().positive().describe('Pipeline id.'),
      per_page: perPage,
      page,
    },
    async run(args, { signal }) {
      const project = projectFor(context, args.project_id);
      const result = await context.gitlab.pipelines.jobsPage(project, args.pipeline_id, { page: args.page, perPage: args.per_page, signal });
      return jsonResult({ pipeline_id: args.pipeline_id, jobs: result.items.map(summarizeJob), ...pageInfo(result) });
    },
  });

  addTool(server, context, {
    name: 'gitlab_get_job',
    title: 'Get a job',
    description: 'One job: status, failure reason, stage, timing, runner, artifacts and web_url.',
    hints: READ_ONLY,
    credentials: 'user',
    input: { project_id: projectId, job_id: jobId },
    async run(args, { signal }) {
      return jsonResult(summarizeJob(await context.gitlab.jobs.get(projectFor(context, args.project_id), args.job_id, signal)));
    },
  });

  addTool(server, context, {
    name: 'gitlab_read_job_log',
    title: "Read a job's log",
    description:
      "A job's log as plain text (colours, escape codes and section markers removed; sections shown as ▸/◂ lines). " +
      'By default the last tail_lines lines; with byte_offset, the raw bytes from there on (continue with next_offset). ' +
      'Never more than max_bytes; the answer says how many lines or bytes were skipped.',
    hints: READ_ONLY,
    credentials: 'user',
    input: {
      project_id: projectId,
      job_id: jobId,
      tail_lines: z.number().int().min(1).max(5000).default(200).describe('How many lines from the end (ignored with byte_offset).'),
      byte_offset: z.number().int().min(0).optional().describe('Read forward from this raw byte offset instead of the tail (e.g. a previous next_offset).'),
      max_bytes: z.number().int().min(1024).max(MAX_LOG_BYTES).default(64 * 1024).describe(`Most text returned, 1 KB to ${MAX_LOG_BYTES / 1024} KB.`),
    },
    async run(args, { signal }) {
      const project = projectFor(context, args.project_id);
      const excerpt =
        args.byte_offset === undefined
          ? await readLogTail(context.gitlab, project, args.job_id, { lines: args.tail_lines, maxBytes: args.max_bytes, signal })
          : await readLogRange(context.gitlab, project, args.job_id, context.traceCapabilities, { byteOffset: args.byte_offset, maxBytes: args.max_bytes, signal });
      const { text, ...position } = excerpt;
      return logResult(args.job_id, text, position);
    },
  });

  addTool(server, context, {
    name: 'gitlab_retry_job',
    title: 'Retry a job',
    description: 'Runs a finished job (success, failed or canceled) again. GitLab creates a NEW job with a new id, returned here. Not idempotent: each call starts another run.',
    hints: WRITE,
    credentials: 'user',
    input: { project_id: projectId, job_id: jobId },
    async run(args, { signal }) {
      const job = await context.gitlab.jobs.retry(projectFor(context, args.project_id), args.job_id, signal);
      return jsonResult({ retried_job_id: args.job_id, new_job: summarizeJob(job) });
    },
  });

  addTool(server, context, {
    name: 'gitlab_cancel_job',
    title: 'Cancel a job',
    description: 'Cancels a pending or running job. GitLab answers with the job even when it could not be canceled: check `canceled`.',
    hints: DESTRUCTIVE,
    credentials: 'user',
    input: { project_id: projectId, job_id: jobId },
    async run(args, { signal }) {
      const job = await context.gitlab.jobs.cancel(projectFor(context, args.project_id), args.job_id, signal);
      const canceled = job.status === 'canceled' || job.status === 'canceling';
      return jsonResult({ canceled, ...(canceled ? {} : { note: `The job is ${job.status}: only pending or running jobs can be canceled.` }), job: summarizeJob(job) });
    },
  });

  addTool(server, context, {
    name: 'gitlab_play_job',
    title: 'Play a manual job',
    description: 'Starts a manual job (when: manual), optionally with variables for this run only.',
    hints: WRITE,
    credentials: 'user',
    input: {
      project_id: projectId,
      job_id: jobId,
      job_variables_attributes: z
        .array(z.strictObject({ key: z.string().regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _ only').max(255), value: z.string().max(10_000) }))
        .max(50)
        .default([])
        .describe('Variables for this run, e.g. [{"key":"DEPLOY_ENV","value":"staging"}].'),
    },
    async run(args, { signal }) {
      const job = await context.gitlab.jobs.play(projectFor(context, args.project_id), args.job_id, args.job_variables_attributes, signal);
      return jsonResult({ job: summarizeJob(job) });
    },
  });
}

/** The position first (small, structured), then the text as its own block so it reads as a log. */
function logResult(jobId: number, text: string, position: Record<string, unknown>): CallToolResult {
  const summary = { job_id: jobId, ...position };
  return {
    content: [
      { type: 'text', text: JSON.stringify(summary) },
      { type: 'text', text: text === '' ? '(no log output in this range)' : text },
    ],
    structuredContent: { ...summary, text },
  };
}
