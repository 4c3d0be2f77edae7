import { type ApiResponse, type GitLabClient, discardBody, projectPath } from './client';
import type { Job, ProjectRef, Status, Variable } from './models';
import { type Page, getPage, iterateKeyset } from './pagination';

/** The largest `byte_limit` GitLab accepts: 500 KB. */
export const MAX_TRACE_SLICE = 500 * 1024;

export interface TraceRequest {
  /** Newest GitLab: the slice from this byte on. Older GitLab ignores it and sends the whole log. */
  byteOffset?: number;
  /** Newest GitLab: at most this many bytes (1 to `MAX_TRACE_SLICE`). */
  byteLimit?: number;
  /** The ETag of the copy the caller holds: GitLab answers 304 when the log has not changed. */
  etag?: string;
  signal?: AbortSignal;
}

export interface TraceResponse {
  /** 304 when `etag` still matches. */
  status: 200 | 304;
  etag?: string;
  /** The log bytes (a slice when the server honoured the byte range). Read or destroy it; a 304's is closed already. */
  body: ApiResponse['body'];
}

/** GitLab's jobs API (`/projects/:id/jobs`). Bridges are not jobs here: a bridge id gives 404. */
export class JobsApi {
  constructor(private readonly client: GitLabClient) {}

  /** One page of the project's jobs, newest first. GitLab never counts these (no totals). */
  list(project: ProjectRef, scope: readonly Status[] = [], page: { page?: number; perPage?: number; signal?: AbortSignal } = {}): Promise<Page<Job>> {
    return getPage<Job>(this.client, `${projectPath(project)}/jobs`, { 'scope[]': scope }, page);
  }

  /** All of the project's jobs, a page at a time, by keyset pagination: cheap for GitLab however deep it goes. */
  iterate(project: ProjectRef, scope: readonly Status[] = [], options: { perPage?: number; signal?: AbortSignal } = {}): AsyncGenerator<Job[]> {
    return iterateKeyset<Job>(this.client, `${projectPath(project)}/jobs`, { 'scope[]': scope, order_by: 'id', sort: 'desc' }, options);
  }

  /** `conditional: false` for a job read once (one that just finished): its answer is not kept for a 304. */
  get(project: ProjectRef, jobId: number, signal?: AbortSignal, { conditional = true } = {}): Promise<Job> {
    return this.client.json('GET', `${projectPath(project)}/jobs/${jobId}`, { signal, conditional });
  }

  /** The raw log (ANSI escapes, section markers) as a stream: nothing holds a whole log in memory. */
  async trace(project: ProjectRef, jobId: number, request: TraceRequest = {}): Promise<TraceResponse> {
    const response = await this.client.stream('GET', `${projectPath(project)}/jobs/${jobId}/trace`, {
      query: { byte_offset: request.byteOffset, byte_limit: request.byteLimit },
      headers: request.etag ? { 'if-none-match': request.etag } : {},
      acceptStatuses: [304],
      signal: request.signal,
    });
    // A 304 has no body, but until its stream is closed undici keeps the exchange and its listener on the
    // caller's signal: a follow polling an unchanged log would add one per poll for as long as it runs.
    if (response.status === 304) discardBody(response.body);
    return { status: response.status === 304 ? 304 : 200, etag: response.header('etag'), body: response.body };
  }

  /**
   * Whether this GitLab serves trace slices (`byte_offset`/`byte_limit`, newest). It asks for `byte_limit=0`:
   * newest refuses the value (400), older GitLab ignores it and starts sending the whole log, which is dropped
   * unread, however large.
   */
  async servesTraceSlices(project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<boolean> {
    const response = await this.client.stream('GET', `${projectPath(project)}/jobs/${jobId}/trace`, {
      query: { byte_limit: 0 },
      acceptStatuses: [400],
      signal,
    });
    if (response.status !== 400) {
      discardBody(response.body);
      return false;
    }
    await response.body.dump({ limit: 4096 }); // a short JSON error: read it, so the connection is kept
    return true;
  }

  /** Creates a NEW job (a new id). Not idempotent: never repeated by the client. */
  retry(project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<Job> {
    return this.client.json('POST', `${projectPath(project)}/jobs/${jobId}/retry`, { signal });
  }

  /** GitLab answers with the job even when it could not be canceled; check its status. */
  cancel(project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<Job> {
    return this.client.json('POST', `${projectPath(project)}/jobs/${jobId}/cancel`, { signal });
  }

  /** Starts a manual job (or bridge), with variables for this run. */
  play(project: ProjectRef, jobId: number, variables: readonly Variable[] = [], signal?: AbortSignal): Promise<Job> {
    return this.client.json('POST', `${projectPath(project)}/jobs/${jobId}/play`, {
      json: variables.length ? { job_variables_attributes: variables.map(({ key, value }) => ({ key, value })) } : undefined,
      signal,
    });
  }

  /** Removes the job's log and artifacts. */
  erase(project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<Job> {
    return this.client.json('POST', `${projectPath(project)}/jobs/${jobId}/erase`, { signal });
  }
}
