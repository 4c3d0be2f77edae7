import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { findNameProblem } from '../gitlab/archive/entryNames';
import { fetchArtifactFile, listArtifactFiles } from './artifactListing';
import { saveArchive, saveArtifactFile } from './downloads';
import { artifactListingShape } from './artifactListing';
import { jobSummary, savedArchiveShape, savedFileShape } from './schemas';
import { summarizeJob } from './summaries';
import { DESTRUCTIVE, DOWNLOAD, IDEMPOTENT_WRITE, READ_ONLY, type ToolContext, addTool, directory, extract, jobId, overwrite, page, perPage, projectFor, projectId } from './tooling';

const refName = z.string().min(1).max(255).describe('Branch or tag (not a SHA, not HEAD).');
const jobName = z.string().min(1).max(255).describe('The job name, as in .gitlab-ci.yml.');
// Checked before any request: a URL would quietly resolve `..` into another endpoint.
const artifactPath = z
  .string()
  .min(1)
  .max(4096)
  .superRefine((path, check) => {
    const problem = findNameProblem(path);
    if (problem !== undefined) check.addIssue({ code: 'custom', message: `not a plain relative path inside the archive (${problem})` });
  })
  .describe('Path of the file inside the artifacts archive, e.g. reports/junit.xml.');

/** GitLab's job artifacts API: download whole archives or single files to disk, list, keep, delete, expire. */
export function registerArtifactTools(server: McpServer, context: ToolContext): void {
  addTool(server, context, {
    name: 'download-artifacts-archive-job',
    title: 'Download the artifacts of the latest successful job on a ref',
    description:
      'Downloads the artifacts archive of the named job in the newest successful pipeline of a branch or tag, into `directory` ' +
      '(safely extracted, or kept as a zip). Answers with paths, sizes and the entry list.',
    hints: DOWNLOAD,
    credentials: 'user',
    output: savedArchiveShape,
    input: {
      project_id: projectId,
      ref_name: refName,
      job: jobName,
      search_recent_successful_pipelines: z.boolean().optional().describe('Also search recent successful pipelines, not only the newest one.'),
      directory,
      extract,
      overwrite,
    },
    async run(args, call) {
      const selector = { ref: args.ref_name, job: args.job, searchRecentSuccessfulPipelines: args.search_recent_successful_pipelines };
      const download = await context.gitlab.artifacts.downloadArchive(projectFor(context, args.project_id), selector, call.signal);
      return saveArchive(download, { ...args, ...call });
    },
  });

  addTool(server, context, {
    name: 'download-artifacts-archive-job-2',
    title: "Download a job's artifacts",
    description: "Downloads a job's artifacts archive into `directory` (safely extracted, or kept as a zip). Answers with paths, sizes and the entry list.",
    hints: DOWNLOAD,
    credentials: 'user',
    output: savedArchiveShape,
    input: { project_id: projectId, job_id: jobId, directory, extract, overwrite },
    async run(args, call) {
      const download = await context.gitlab.artifacts.downloadArchive(projectFor(context, args.project_id), { jobId: args.job_id }, call.signal);
      return saveArchive(download, { ...args, ...call });
    },
  });

  addTool(server, context, {
    name: 'download-specific-file-artifacts-archive',
    title: 'Download one artifact file of the latest successful job on a ref',
    description:
      'Downloads one file from the artifacts of the named job in the newest successful pipeline of a branch or tag, into `directory` ' +
      'at its own relative path. Text files up to 64 KB also come back inline as `content`.',
    hints: DOWNLOAD,
    credentials: 'user',
    output: savedFileShape,
    input: { project_id: projectId, ref_name: refName, artifact_path: artifactPath, job: jobName, directory, overwrite },
    async run(args, call) {
      const project = projectFor(context, args.project_id);
      const selector = { ref: args.ref_name, job: args.job };
      return saveArtifactFile(args.artifact_path, args, (destFile) => fetchArtifactFile(context, project, selector, args.artifact_path, destFile, call));
    },
  });

  addTool(server, context, {
    name: 'download-specific-file-artifacts-archive-2',
    title: "Download one file of a job's artifacts",
    description: "Downloads one file from a job's artifacts archive into `directory` at its own relative path. Text files up to 64 KB also come back inline as `content`.",
    hints: DOWNLOAD,
    credentials: 'user',
    output: savedFileShape,
    input: { project_id: projectId, job_id: jobId, artifact_path: artifactPath, directory, overwrite },
    async run(args, call) {
      const project = projectFor(context, args.project_id);
      const selector = { jobId: args.job_id };
      return saveArtifactFile(args.artifact_path, args, (destFile) => fetchArtifactFile(context, project, selector, args.artifact_path, destFile, call));
    },
  });

  addTool(server, context, {
    name: 'list-all-files-artifacts-archive',
    title: "List the files of a job's artifacts",
    description: "Lists the files and folders in a job's artifacts archive (one folder, or everything below it with recursive), a page at a time, without extracting anything.",
    hints: READ_ONLY,
    credentials: 'user',
    output: artifactListingShape,
    input: {
      project_id: projectId,
      job_id: jobId,
      path: z.string().max(4096).default('').describe('Folder inside the archive to list; the root by default.'),
      recursive: z.boolean().default(false).describe('Everything below `path`, not only its direct children.'),
      page,
      per_page: perPage,
    },
    async run(args, { signal }) {
      const project = projectFor(context, args.project_id);
      return listArtifactFiles(context, project, args.job_id, { path: args.path, recursive: args.recursive, page: args.page, perPage: args.per_page, signal });
    },
  });

  addTool(server, context, {
    name: 'keep-artifacts-prevent-them-being',
    title: "Keep a job's artifacts",
    description: "Keeps a job's artifacts: clears their expiry date so they are not deleted when it passes.",
    hints: IDEMPOTENT_WRITE,
    credentials: 'user',
    output: { kept: z.boolean(), artifacts_expire_at: z.string().nullish(), job: jobSummary },
    input: { project_id: projectId, job_id: jobId },
    async run(args, { signal }) {
      const job = await context.gitlab.artifacts.keep(projectFor(context, args.project_id), args.job_id, signal);
      return { kept: true, artifacts_expire_at: job.artifacts_expire_at, job: summarizeJob(job) };
    },
  });

  addTool(server, context, {
    name: 'delete-artifacts-files-job',
    title: "Delete a job's artifacts",
    description: "Deletes a job's artifacts for good (needs the Maintainer role). The job and its log stay.",
    hints: DESTRUCTIVE,
    credentials: 'user',
    output: { deleted: z.boolean(), job_id: z.number() },
    input: { project_id: projectId, job_id: jobId },
    async run(args, { signal }) {
      await context.gitlab.artifacts.deleteJobArtifacts(projectFor(context, args.project_id), args.job_id, signal);
      return { deleted: true, job_id: args.job_id };
    },
  });

  addTool(server, context, {
    name: 'expire-artifacts-files-project',
    title: "Expire all of a project's artifacts",
    description:
      "Schedules the deletion of every artifact of the project that can expire (GitLab works through it in the background; kept artifacts and the newest of each ref may stay). Needs the Maintainer role.",
    hints: DESTRUCTIVE,
    credentials: 'user',
    output: { scheduled: z.boolean(), project_id: z.union([z.number(), z.string()]), note: z.string() },
    input: { project_id: projectId },
    async run(args, { signal }) {
      const project = projectFor(context, args.project_id);
      await context.gitlab.artifacts.expireProjectArtifacts(project, signal);
      return { scheduled: true, project_id: project, note: 'GitLab expires the artifacts asynchronously; they disappear over the next minutes.' };
    },
  });
}
