import { basename } from 'node:path';
import { type GitLabClient, readJson } from './client';
import { type Download, toDownload } from './artifacts';
import { multipartWithFile } from './multipart';
import type { Status, Variable } from './models';

/** What `POST /jobs/request` hands a runner: enough to run the job, and the job token to report with. */
export interface RunnerJobPayload {
  id: number;
  token: string;
  job_info: { id?: number; name: string; stage: string; project_id: number; project_name: string };
  git_info: { repo_url?: string; ref: string; sha: string; before_sha?: string; ref_type?: string };
  variables: (Variable & { public?: boolean; masked?: boolean })[];
  steps: { name: string; script: string[]; timeout?: number; when?: string; allow_failure?: boolean }[];
  artifacts?: { name?: string; paths?: string[]; when?: string; expire_in?: string; artifact_type?: string; artifact_format?: string }[] | null;
  dependencies?: { id: number; name: string; token: string; artifacts_file?: { filename: string; size: number } }[];
  [field: string]: unknown;
}

export type RunnerJobState = 'pending' | 'running' | 'success' | 'failed' | 'canceled';

export interface TraceAppendResult {
  /** 202: the chunk was taken. 416: the offset did not match; resend from `serverSize`. */
  accepted: boolean;
  /** How many bytes of the log the server holds now (its `Range: 0-<n>` answer). */
  serverSize: number;
  /** The job's status as GitLab sees it; a runner stops when it reads `canceled` or `failed`. */
  jobStatus?: Status;
  /** How often GitLab wants trace updates (`X-GitLab-Trace-Update-Interval`), in seconds. */
  updateIntervalSeconds?: number;
}

/** The runner's side of GitLab (`/api/v4/jobs/...`): what gitlab-runner speaks, with runner and job tokens. */
export class RunnerApi {
  constructor(private readonly client: GitLabClient) {}

  /** A pending job for this runner, or `undefined` (204) when none waits. Never repeated: a lost answer would orphan a job. */
  async requestJob(runnerToken: string, info: Record<string, unknown> = {}, signal?: AbortSignal): Promise<RunnerJobPayload | undefined> {
    const response = await this.client.stream('POST', '/jobs/request', { auth: 'none', json: { token: runnerToken, info }, signal });
    if (response.status === 204) {
      await response.body.dump();
      return undefined;
    }
    return readJson<RunnerJobPayload>(response, 'POST /jobs/request');
  }

  /** Reports the job's state; the same report twice is harmless, so it may be retried. */
  async updateJob(jobId: number, jobToken: string, update: { state: RunnerJobState; failureReason?: string; exitCode?: number }, signal?: AbortSignal): Promise<{ jobStatus?: Status }> {
    const response = await this.client.send('PUT', `/jobs/${jobId}`, {
      auth: { jobToken },
      json: { token: jobToken, state: update.state, failure_reason: update.failureReason, exit_code: update.exitCode },
      signal,
    });
    return { jobStatus: response.header('job-status') };
  }

  /** Appends `chunk` at byte `offset` of the log. `Content-Range` makes a resend harmless, so it may be retried. */
  async appendTrace(jobId: number, jobToken: string, chunk: Uint8Array, offset: number, signal?: AbortSignal): Promise<TraceAppendResult> {
    const response = await this.client.send('PATCH', `/jobs/${jobId}/trace`, {
      auth: { jobToken },
      headers: { 'content-range': `${offset}-${offset + chunk.byteLength - 1}`, 'content-type': 'text/plain' },
      body: chunk,
      idempotent: true,
      acceptStatuses: [416],
      signal,
    });
    const interval = Number(response.header('x-gitlab-trace-update-interval'));
    return {
      accepted: response.status === 202,
      serverSize: Number(/^0-(\d+)$/.exec(response.header('range') ?? '')?.[1] ?? offset),
      jobStatus: response.header('job-status'),
      updateIntervalSeconds: Number.isFinite(interval) && interval > 0 ? interval : undefined,
    };
  }

  /** Asks whether an artifact of this size may be uploaded (GitLab answers 413 when it is too large). */
  authorizeArtifact(jobId: number, jobToken: string, artifact: { artifactType?: string; artifactFormat?: string; filesize?: number }, signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.client.json('POST', `/jobs/${jobId}/artifacts/authorize`, {
      auth: { jobToken },
      json: { token: jobToken, artifact_type: artifact.artifactType, artifact_format: artifact.artifactFormat, filesize: artifact.filesize },
      idempotent: true,
      signal,
    });
  }

  /** Uploads a file as the job's artifact, streamed from disk. Never repeated by the client. */
  async uploadArtifact(
    jobId: number,
    jobToken: string,
    artifact: { filePath: string; filename?: string; artifactType?: string; artifactFormat?: string; expireIn?: string },
    signal?: AbortSignal,
  ): Promise<void> {
    const form = await multipartWithFile(
      { token: jobToken, artifact_type: artifact.artifactType || undefined, artifact_format: artifact.artifactFormat || undefined, expire_in: artifact.expireIn || undefined },
      { field: 'file', path: artifact.filePath, filename: artifact.filename ?? basename(artifact.filePath) },
    );
    await this.client.send('POST', `/jobs/${jobId}/artifacts`, {
      auth: { jobToken },
      headers: { 'content-type': form.contentType, 'content-length': String(form.contentLength) },
      body: form.stream,
      signal,
    });
  }

  /** Another job's artifacts (a dependency), fetched with this job's token; redirects leave the token home. */
  async downloadArtifacts(jobId: number, jobToken: string, signal?: AbortSignal): Promise<Download> {
    return toDownload(await this.client.stream('GET', `/jobs/${jobId}/artifacts`, { auth: { jobToken }, signal }));
  }
}
