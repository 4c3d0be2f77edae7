import { type GitLabClient, projectPath } from './client';
import { GitLabHttpError } from './errors';
import type { Bridge, Job, Pipeline, PipelineDetail, ProjectRef, Status, Variable } from './models';
import { type Page, getAll, getPage } from './pagination';

export interface PipelineFilters {
  scope?: 'running' | 'pending' | 'finished' | 'branches' | 'tags';
  status?: Status;
  ref?: string;
  sha?: string;
  /** `parent_pipeline` is the only way to list child pipelines. */
  source?: string;
  username?: string;
  name?: string;
  updated_after?: string;
  updated_before?: string;
  created_after?: string;
  created_before?: string;
  order_by?: 'id' | 'status' | 'ref' | 'updated_at' | 'user_id';
  sort?: 'asc' | 'desc';
}

/** `GET .../test_report_summary`: counts per suite, from the junit reports jobs uploaded so far. */
export interface TestReportSummary {
  total: { time: number; count: number; success: number; failed: number; skipped: number; error: number; suite_error: string | null };
  test_suites: {
    name: string;
    total_time: number;
    total_count: number;
    success_count: number;
    failed_count: number;
    skipped_count: number;
    error_count: number;
    build_ids: number[];
    suite_error: string | null;
  }[];
}

/** `spec:inputs` values for a new pipeline (GitLab 18.1+). */
export type PipelineInputs = Record<string, string | number | boolean | readonly string[]>;

export interface PipelineJobsOptions {
  scope?: readonly Status[];
  includeRetried?: boolean;
  signal?: AbortSignal;
}

/** GitLab's pipelines API (`/projects/:id/pipelines`, `/projects/:id/pipeline`). */
export class PipelinesApi {
  constructor(private readonly client: GitLabClient) {}

  list(project: ProjectRef, filters: PipelineFilters = {}, page: { page?: number; perPage?: number; signal?: AbortSignal } = {}): Promise<Page<Pipeline>> {
    return getPage<Pipeline>(this.client, `${projectPath(project)}/pipelines`, { ...filters }, page);
  }

  /** The newest pipeline for the ref's HEAD commit; `undefined` when there is none (GitLab answers 403 then). */
  async latest(project: ProjectRef, ref: string, signal?: AbortSignal): Promise<PipelineDetail | undefined> {
    try {
      return await this.client.json<PipelineDetail>('GET', `${projectPath(project)}/pipelines/latest`, { query: { ref }, signal });
    } catch (error) {
      if (error instanceof GitLabHttpError && (error.status === 403 || error.status === 404)) return undefined;
      throw error;
    }
  }

  get(project: ProjectRef, pipelineId: number, signal?: AbortSignal): Promise<PipelineDetail> {
    return this.client.json('GET', `${projectPath(project)}/pipelines/${pipelineId}`, { signal });
  }

  /** Every job of the pipeline (newest first), all pages. Retried attempts only when asked. */
  jobs(project: ProjectRef, pipelineId: number, options: PipelineJobsOptions = {}): Promise<Job[]> {
    return getAll<Job>(this.client, `${projectPath(project)}/pipelines/${pipelineId}/jobs`, {
      'scope[]': options.scope,
      include_retried: options.includeRetried,
    }, { signal: options.signal });
  }

  /** One page of the pipeline's jobs, for callers that show a page at a time. */
  jobsPage(project: ProjectRef, pipelineId: number, page: { page?: number; perPage?: number; signal?: AbortSignal } = {}, options: Omit<PipelineJobsOptions, 'signal'> = {}): Promise<Page<Job>> {
    return getPage<Job>(this.client, `${projectPath(project)}/pipelines/${pipelineId}/jobs`, {
      'scope[]': options.scope,
      include_retried: options.includeRetried,
    }, page);
  }

  /** Trigger jobs, each with the downstream (child or multi-project) pipeline it started. */
  bridges(project: ProjectRef, pipelineId: number, options: Omit<PipelineJobsOptions, 'includeRetried'> = {}): Promise<Bridge[]> {
    return getAll<Bridge>(this.client, `${projectPath(project)}/pipelines/${pipelineId}/bridges`, { 'scope[]': options.scope }, { signal: options.signal });
  }

  /** Not idempotent: never repeated by the client. */
  retry(project: ProjectRef, pipelineId: number, signal?: AbortSignal): Promise<PipelineDetail> {
    return this.client.json('POST', `${projectPath(project)}/pipelines/${pipelineId}/retry`, { signal });
  }

  cancel(project: ProjectRef, pipelineId: number, signal?: AbortSignal): Promise<PipelineDetail> {
    return this.client.json('POST', `${projectPath(project)}/pipelines/${pipelineId}/cancel`, { signal });
  }

  /** Not idempotent: never repeated by the client. `inputs` needs GitLab 18.1+ (older GitLab refuses it). */
  create(project: ProjectRef, ref: string, variables: readonly Variable[] = [], signal?: AbortSignal, inputs?: PipelineInputs): Promise<PipelineDetail> {
    return this.client.json('POST', `${projectPath(project)}/pipeline`, {
      query: { ref },
      json: { ref, ...(variables.length ? { variables } : {}), ...(inputs && Object.keys(inputs).length ? { inputs } : {}) },
      signal,
    });
  }

  /** Deletes the pipeline with its jobs, logs and artifacts (GitLab asks for the Owner role). */
  async delete(project: ProjectRef, pipelineId: number, signal?: AbortSignal): Promise<void> {
    await this.client.send('DELETE', `${projectPath(project)}/pipelines/${pipelineId}`, { signal });
  }

  /** Partial while the pipeline runs; GitLab may serve it from a cache up to 2 minutes old. */
  testReportSummary(project: ProjectRef, pipelineId: number, signal?: AbortSignal): Promise<TestReportSummary> {
    return this.client.json('GET', `${projectPath(project)}/pipelines/${pipelineId}/test_report_summary`, { signal });
  }
}
