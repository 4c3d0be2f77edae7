import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { GitLabHttpError } from '../gitlab';
import { readLogRange, readLogTail } from './jobLog';
import { ToolUsageError } from './output';
import { jobScope } from './pipelineTools';
import { jobSummary, pageShape } from './schemas';
import { pageInfo, summarizeJob } from './summaries';
import { DESTRUCTIVE, READ_ONLY, type ToolContext, WRITE, addTool, jobId, page, perPage, projectFor, projectId } from './tooling';

const MAX_LOG_BYTES = 256 * 1024;

/** GitLab answers 404 for a bridge id on every job endpoint: the likeliest mix-up gets named. */
const JOB_NOT_FOUND =
  'No such job in this project: check project_id and job_id. A trigger job (bridge) id also gives 404 here, as job tools take CI jobs only: ' +
  'gitlab_get_pipeline lists trigger jobs with the downstream pipeline each started.';

/** What an agent debugging a failure reads of a job and does with it. */
export function registerJobTools(server: McpServer, context: ToolContext): void {
  const errorHints = { 'not-found': JOB_NOT_FOUND };

  addTool(server, context, {
    name: 'gitlab_get_job',
    title: 'Get a job',
    description: 'One job: status, failure reason, stage, timing, runner, artifacts and web_url.',
    hints: READ_ONLY,
    credentials: 'user',
    input: { project_id: projectId, job_id: jobId },
    output: jobSummary.shape,
    errorHints,
    async run(args, { signal }) {
      return summarizeJob(await context.gitlab.jobs.get(projectFor(context, args.project_id), args.job_id, signal));
    },
  });

  addTool(server, context, {
    name: 'gitlab_list_jobs',
    title: "List a project's jobs",
    description: "Lists the project's jobs across pipelines, newest first, optionally only some statuses (scope), e.g. every failed job. GitLab gives no totals here: follow next_page.",
    hints: READ_ONLY,
    credentials: 'user',
    input: { project_id: projectId, scope: jobScope, page, per_page: perPage },
    output: { jobs: z.array(jobSummary), ...pageShape },
    async run(args, { signal }) {
      const result = await context.gitlab.jobs.list(projectFor(context, args.project_id), args.scope, { page: args.page, perPage: args.per_page, signal });
      return { jobs: result.items.map(summarizeJob), ...pageInfo(result) };
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
    output: {
      job_id: z.number(),
      text: z.string(),
      skipped_bytes: z.number().optional(),
      skipped_lines: z.number().optional(),
      returned_lines: z.number(),
      total_bytes: z.number().optional(),
      next_offset: z.number(),
      more_after: z.boolean(),
      truncated: z.boolean(),
    },
    errorHints,
    async run(args, { signal }) {
      const project = projectFor(context, args.project_id);
      const excerpt =
        args.byte_offset === undefined
          ? await readLogTail(context.gitlab, project, args.job_id, { lines: args.tail_lines, maxBytes: args.max_bytes, secrets: context.secrets, signal })
          : await readLogRange(context.gitlab, project, args.job_id, context.traceCapabilities, { byteOffset: args.byte_offset, maxBytes: args.max_bytes, secrets: context.secrets, signal });
      return { job_id: args.job_id, ...excerpt };
    },
    // The position first (small, structured), then the text as its own block so it reads as a log.
    text: ({ text, ...position }) => [JSON.stringify(position), text === '' ? '(no log output in this range)' : text],
  });

  addTool(server, context, {
    name: 'gitlab_retry_job',
    title: 'Retry a job',
    description: 'Runs a finished job (success, failed or canceled) again. GitLab creates a NEW job with a new id, returned here. Not idempotent: each call starts another run.',
    hints: WRITE,
    credentials: 'user',
    input: { project_id: projectId, job_id: jobId },
    output: { retried_job_id: z.number(), new_job: jobSummary },
    errorHints: {
      ...errorHints,
      forbidden: 'GitLab retries only finished jobs (success, failed, canceled) that were not retried already, and needs the Developer role: gitlab_get_job shows the status.',
    },
    async run(args, { signal }) {
      const job = await context.gitlab.jobs.retry(projectFor(context, args.project_id), args.job_id, signal);
      return { retried_job_id: args.job_id, new_job: summarizeJob(job) };
    },
  });

  addTool(server, context, {
    name: 'gitlab_cancel_job',
    title: 'Cancel a job',
    description: 'Cancels a pending or running job. GitLab answers with the job even when it could not be canceled: check `canceled`.',
    hints: DESTRUCTIVE,
    credentials: 'user',
    input: { project_id: projectId, job_id: jobId },
    output: { canceled: z.boolean(), note: z.string().optional(), job: jobSummary },
    errorHints,
    async run(args, { signal }) {
      const job = await context.gitlab.jobs.cancel(projectFor(context, args.project_id), args.job_id, signal);
      const canceled = job.status === 'canceled' || job.status === 'canceling';
      return { canceled, ...(canceled ? {} : { note: `The job is ${job.status}: only pending or running jobs can be canceled.` }), job: summarizeJob(job) };
    },
  });

  addTool(server, context, {
    name: 'gitlab_play_job',
    title: 'Play a manual job',
    description: 'Starts a manual job (when: manual, status manual), optionally with variables for this run only.',
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
    output: { job: jobSummary },
    errorHints,
    async run(args, { signal }) {
      const project = projectFor(context, args.project_id);
      try {
        return { job: summarizeJob(await context.gitlab.jobs.play(project, args.job_id, args.job_variables_attributes, signal)) };
      } catch (error) {
        // GitLab only says "Unplayable Job": the job's status says why.
        if (!(error instanceof GitLabHttpError && error.status === 400)) throw error;
        const job = await context.gitlab.jobs.get(project, args.job_id, signal);
        throw new ToolUsageError(
          `GitLab refused to play job ${job.id} (${error.gitlabMessage}): ${job.name} is ${job.status}, not a manual job waiting to be started; only jobs in status manual can be played.` +
            (job.status === 'success' || job.status === 'failed' || job.status === 'canceled' ? ' To run it again, use gitlab_retry_job.' : ''),
        );
      }
    },
  });

  addTool(server, context, {
    name: 'gitlab_erase_job',
    title: 'Erase a job',
    description: "Erases a finished job's log and artifacts for good (the job itself stays, marked erased). Cannot be undone.",
    hints: DESTRUCTIVE,
    credentials: 'user',
    input: { project_id: projectId, job_id: jobId },
    output: { erased: z.boolean(), job: jobSummary },
    errorHints: {
      ...errorHints,
      forbidden: 'GitLab erases only finished jobs that still have a log or artifacts (an erased job cannot be erased again), and needs the Developer role.',
    },
    async run(args, { signal }) {
      return { erased: true, job: summarizeJob(await context.gitlab.jobs.erase(projectFor(context, args.project_id), args.job_id, signal)) };
    },
  });
}
