import type { IncomingHttpHeaders } from 'node:http';

/**
 * Switches for what differs between GitLab versions and deployments, so a client's fallbacks can be
 * exercised. `featuresOf(generation)` gives a version's set; each switch can still be flipped at run time.
 */
export interface Features {
  /** GET trace honours byte_offset/byte_limit (newest). Off: the params are ignored and the whole log is sent. */
  traceByteRange: boolean;
  /** GET .../artifacts/tree exists (18.8+). Off: that URL falls through to the single-file route, as on old GitLab. */
  artifactsTree: boolean;
  /**
   * Strong ETags on artifact downloads (newest, with `workhorse_download_etag_caching`). Off: the same bogus
   * weak ETag for every artifact, and 304 to it even after the artifact changed (gitlab-org/gitlab#371991).
   */
  artifactEtag: boolean;
  /** Artifact downloads 302 to the object-storage origin; off: served locally with Content-Disposition. */
  artifactsRedirect: boolean;
  /** Object storage honours Range (206 + Content-Range); off: it ignores Range and sends 200 with everything. */
  objectStorageRanges: boolean;
  /** Omnibus nginx gzips JSON and text/plain when asked. Off: a proxy in front that strips compression. */
  gzip: boolean;
  /** ETags and 304s reach the client. Off: a proxy that strips ETag headers (and so never answers 304). */
  etags: boolean;
  /** `pagination=keyset` is honoured. Off: a server or proxy that ignores it and answers with offset headers. */
  keysetPagination: boolean;
  /**
   * The ops flag `enforce_ci_builds_pagination_limit` with this plan limit (`offset_pagination_limit`, 50000
   * on gitlab.com): offset pages of GET /projects/:id/jobs reaching past it get 405. null: not enforced.
   */
  jobsOffsetLimit: number | null;
  /** POST/GET /projects/:id/ci/lint exist. Off: an instance (or proxy) without them, answering 404. */
  ciLint: boolean;
  /** POST /projects/:id/pipeline reads `inputs` (18.1+). Off: older GitLab, whose Grape drops the parameter. */
  pipelineInputs: boolean;
}

/** GitLab versions the fake can be, each with the features that version has (FACTS.md says which). */
export const generations = ['18.2', '18.8', 'newest'] as const;
export type Generation = (typeof generations)[number];

/** What each generation serves. Deployment choices (object storage, its ranges, nginx) are the same on all. */
export function featuresOf(generation: Generation): Features {
  const newest = generation === 'newest';
  return {
    traceByteRange: newest,
    artifactsTree: generation !== '18.2',
    artifactEtag: newest,
    artifactsRedirect: true,
    objectStorageRanges: true,
    gzip: true,
    etags: true,
    keysetPagination: true,
    jobsOffsetLimit: null,
    ciLint: true,
    pipelineInputs: true,
  };
}

export interface RecordedRequest {
  method: string;
  /** The raw path as sent, percent-encoding kept (e.g. /api/v4/projects/demo-group%2Fdemo-app). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Date.now() when the request arrived. */
  at: number;
  /** The response's status; 0 until it finishes (or when the connection closed before any header). */
  status: number;
  /**
   * Bytes the response put on the socket: status line, headers and body as sent (compressed, chunk framing
   * included). Final once the response has ended, i.e. by the time the client has read it all.
   */
  responseBytes: number;
}

export type Role = 'reporter' | 'developer' | 'maintainer';
export type TokenScope = 'api' | 'read_api';

export const roleRank: Record<Role, number> = { reporter: 20, developer: 30, maintainer: 40 };

/** Every status GitLab's CommitStatus knows (newest included). */
export const jobStatuses = [
  'created', 'waiting_for_resource', 'preparing', 'waiting_for_callback', 'pending', 'running',
  'success', 'failed', 'canceling', 'canceled', 'skipped', 'manual', 'scheduled',
] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const completedStatuses: readonly JobStatus[] = ['success', 'failed', 'canceled', 'skipped'];
export const activeStatuses: readonly JobStatus[] = [
  'preparing', 'pending', 'running', 'waiting_for_resource', 'waiting_for_callback', 'canceling',
];

export const pipelineSources = [
  'push', 'web', 'trigger', 'schedule', 'api', 'external', 'pipeline', 'chat', 'webide',
  'merge_request_event', 'external_pull_request_event', 'parent_pipeline', 'ondemand_dast_scan',
  'ondemand_dast_validation', 'security_orchestration_policy',
] as const;
export type PipelineSource = (typeof pipelineSources)[number];

export type JobWhen = 'on_success' | 'on_failure' | 'always' | 'manual';
