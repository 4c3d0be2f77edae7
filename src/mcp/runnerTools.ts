import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { KNOWN_STATUSES } from '../gitlab';
import { RunnerApi, type RunnerJobPayload } from '../gitlab/runner';
import { saveArchive } from './downloads';
import { ToolUsageError } from './output';
import { jobSummary, pageShape, savedArchiveShape } from './schemas';
import { pageInfo, summarizeJob } from './summaries';
import { DOWNLOAD, IDEMPOTENT_WRITE, READ_ONLY, type ToolContext, WRITE, addTool, directory, extract, idOf, jobId, jobToken, overwrite, page, perPage } from './tooling';

const artifactType = z.string().regex(/^[a-z_]+$/, 'a GitLab artifact type such as archive, junit, dotenv').max(64).optional().describe('archive (default), junit, dotenv, cobertura, ...');
const artifactFormat = z.enum(['zip', 'gzip', 'raw']).optional().describe('zip (default for archive), gzip, or raw.');

/** What gitlab-runner speaks (`/api/v4/jobs/...`), with runner and job tokens rather than the user's. */
export function registerRunnerTools(server: McpServer, context: ToolContext): void {
  // The runner's side lives outside the GitLab class, so the extension's bundle does without it.
  const runner = new RunnerApi(context.gitlab.client);
  const { runners } = context.gitlab;

  addTool(server, context, {
    name: 'request-job',
    title: 'Request a job (runner)',
    description:
      "Asks GitLab for a pending job on behalf of a runner. Answers with the job's payload (id, job token, steps, variables with masked values hidden) " +
      'or {"job": null} when none waits. The job is then assigned to the runner: report its progress with append-patch-job-trace and update-job.',
    hints: WRITE,
    credentials: 'runner',
    output: { job: z.record(z.string(), z.unknown()).nullable() },
    input: {
      token: z.string().min(1).max(1024).describe("The runner's authentication token."),
      info: z.record(z.string(), z.unknown()).optional().describe('Runner details GitLab records (name, version, executor, features, ...).'),
    },
    async run(args, { signal }) {
      const job = await runner.requestJob(args.token, args.info, signal);
      return { job: job === undefined ? null : redactPayload(job) };
    },
  });

  addTool(server, context, {
    name: 'update-job',
    title: "Update a job's state (runner)",
    description: "Reports a running job's state to GitLab (running, success, failed, ...), as the runner executing it. Sending the same state twice is harmless.",
    hints: IDEMPOTENT_WRITE,
    credentials: 'job',
    output: { job_id: z.number(), state: z.string(), job_status: z.string().optional() },
    input: {
      job_id: jobId,
      job_token: jobToken,
      state: z.enum(['pending', 'running', 'success', 'failed', 'canceled']),
      failure_reason: z.string().regex(/^[a-z_]+$/, 'a GitLab failure reason such as script_failure').max(64).optional().describe('With state failed, e.g. script_failure, runner_system_failure.'),
      exit_code: z.number().int().min(0).max(255).optional(),
    },
    async run(args, { signal }) {
      const result = await runner.updateJob(args.job_id, args.job_token, { state: args.state, failureReason: args.failure_reason, exitCode: args.exit_code }, signal);
      return { job_id: args.job_id, state: args.state, job_status: result.jobStatus };
    },
  });

  addTool(server, context, {
    name: 'append-patch-job-trace',
    title: "Append to a job's log (runner)",
    description:
      "Appends text to a running job's log at byte `offset` (the size GitLab already holds). Answers accepted and server_size; " +
      'when the offset does not match (accepted false), send again from server_size. Resending the same piece is harmless.',
    hints: IDEMPOTENT_WRITE,
    credentials: 'job',
    output: { accepted: z.boolean(), server_size: z.number(), job_status: z.string().optional(), update_interval_seconds: z.number().optional(), hint: z.string().optional() },
    input: {
      job_id: jobId,
      job_token: jobToken,
      content: z.string().min(1).max(1024 * 1024).describe('The log text to append (ANSI escapes and section markers allowed).'),
      offset: z.number().int().min(0).describe('Byte offset where `content` starts: the log size GitLab holds now (0 for the first piece).'),
    },
    async run(args, { signal }) {
      const result = await runner.appendTrace(args.job_id, args.job_token, Buffer.from(args.content, 'utf8'), args.offset, signal);
      return {
        accepted: result.accepted,
        server_size: result.serverSize,
        job_status: result.jobStatus,
        update_interval_seconds: result.updateIntervalSeconds,
        ...(result.accepted ? {} : { hint: `GitLab holds ${result.serverSize} bytes: send the log again from offset ${result.serverSize}.` }),
      };
    },
  });

  addTool(server, context, {
    name: 'authorize-uploading-job-artifact',
    title: 'Authorize an artifact upload (runner)',
    description: 'Asks GitLab whether an artifact of this size may be uploaded for the job (413 when it is too large). Optional before upload-job-artifact.',
    hints: WRITE,
    credentials: 'job',
    output: { authorized: z.boolean(), maximum_size: z.number().optional() },
    input: {
      job_id: jobId,
      job_token: jobToken,
      artifact_type: artifactType,
      artifact_format: artifactFormat,
      filesize: z.number().int().min(0).optional().describe('Size of the file to upload, in bytes.'),
    },
    async run(args, { signal }) {
      const answer = await runner.authorizeArtifact(args.job_id, args.job_token, { artifactType: args.artifact_type, artifactFormat: args.artifact_format, filesize: args.filesize }, signal);
      // Workhorse's upload instructions are for Workhorse; an agent needs the verdict and the limit.
      const maximumSize = answer.MaximumSize;
      return { authorized: true, ...(typeof maximumSize === 'number' ? { maximum_size: maximumSize } : {}) };
    },
  });

  addTool(server, context, {
    name: 'upload-job-artifact',
    title: 'Upload a job artifact (runner)',
    description: "Uploads a local file as the job's artifact (a zip for the archive type), streamed from disk, with the job token. Not repeated on failure.",
    hints: WRITE,
    credentials: 'job',
    output: { uploaded: z.boolean(), job_id: z.number(), file: z.string(), size: z.number() },
    input: {
      job_id: jobId,
      job_token: jobToken,
      file: z.string().min(1).max(4096).describe('Path of the local file to upload.'),
      artifact_type: artifactType,
      artifact_format: artifactFormat,
      expire_in: z.string().max(64).optional().describe('How long GitLab keeps it, e.g. "1 week", "never".'),
    },
    async run(args, { signal }) {
      const filePath = resolve(args.file);
      const file = await stat(filePath).catch(() => undefined);
      if (!file?.isFile()) throw new ToolUsageError(`${filePath} is not a readable file.`);
      await runner.uploadArtifact(
        args.job_id,
        args.job_token,
        { filePath, artifactType: args.artifact_type, artifactFormat: args.artifact_format, expireIn: args.expire_in },
        signal,
      );
      return { uploaded: true, job_id: args.job_id, file: filePath, size: file.size };
    },
  });

  addTool(server, context, {
    name: 'download-artifacts-file-job',
    title: "Download a job's artifacts (runner)",
    description:
      "Downloads a job's artifacts archive with a job token, as a runner fetches a dependency's artifacts, into `directory` " +
      '(safely extracted, or kept as a zip). Answers with paths, sizes and the entry list.',
    hints: DOWNLOAD,
    credentials: 'job',
    output: savedArchiveShape,
    input: { job_id: jobId, job_token: jobToken, directory, extract, overwrite },
    async run(args, call) {
      return saveArchive(await runner.downloadArtifacts(args.job_id, args.job_token, call.signal), { ...args, ...call });
    },
  });

  addTool(server, context, {
    name: 'list-runner-s-jobs',
    title: "List a runner's jobs",
    description: 'Lists the jobs a runner ran or runs (needs a token of the runner\'s owner or an admin), filtered by status, newest first by default.',
    hints: READ_ONLY,
    credentials: 'user',
    output: { runner_id: z.number(), jobs: z.array(jobSummary), ...pageShape, next_cursor: z.string().optional() },
    errorHints: {
      'not-found': 'No runner with this id is visible to your token: check the id (gitlab_get_job shows the runner of a job), or the runner serves only projects and groups your token does not administer.',
      forbidden: "Your token may not list this runner's jobs: that needs the Maintainer role on a project the runner serves (its owner) or an administrator's token.",
    },
    input: {
      id: idOf('The runner id (a job\'s runner.id shows it).'),
      system_id: z.string().min(1).max(64).optional().describe('Only jobs of this runner manager (system id).'),
      status: z.enum(KNOWN_STATUSES).optional(),
      order_by: z.enum(['id']).optional(),
      sort: z.enum(['asc', 'desc']).optional(),
      cursor: z.string().min(1).max(1024).optional().describe('Keyset pagination: the next_cursor of a previous answer.'),
      page,
      per_page: perPage,
    },
    async run(args, { signal }) {
      const result = await runners.listRunnerJobs(
        args.id,
        { systemId: args.system_id, status: args.status, orderBy: args.order_by, sort: args.sort, cursor: args.cursor, page: args.page, perPage: args.per_page },
        signal,
      );
      const nextCursor = result.nextUrl?.searchParams.get('cursor') ?? undefined;
      // GitLab's entity here leaves the runner out: it is the one asked about.
      const jobs = result.items.map((job) => ({ ...summarizeJob(job), runner: { id: args.id, description: job.runner?.description } }));
      return { runner_id: args.id, jobs, ...pageInfo(result), next_cursor: nextCursor };
    },
  });
}

/** The payload minus the values of masked variables: an agent needs to see which variables exist, not the secrets. */
function redactPayload(job: RunnerJobPayload): RunnerJobPayload {
  return { ...job, variables: job.variables?.map((variable) => (variable.masked ? { ...variable, value: '[MASKED]' } : variable)) };
}
