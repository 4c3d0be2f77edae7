import type { IncomingHttpHeaders } from 'node:http';

/** Switches for behaviour that only the newest GitLab has, so a client's fallbacks can be exercised. */
export interface Features {
  /** GET trace honours byte_offset/byte_limit. Off: the params are ignored and the whole log is sent. */
  traceByteRange: boolean;
  /** GET .../artifacts/tree exists. Off: that URL falls through to the single-file route, as on old GitLab. */
  artifactsTree: boolean;
  /** Strong ETag (sha256 hex of the archive) on artifact downloads. */
  artifactEtag: boolean;
  /** Artifact downloads 302 to the object-storage origin; off: served locally with Content-Disposition. */
  artifactsRedirect: boolean;
  /** Object storage honours Range (206 + Content-Range); off: it ignores Range and sends 200 with everything. */
  objectStorageRanges: boolean;
}

/** GitLab versions the fake can be, each with the features that version has (FACTS.md says which). */
export const generations = ['18.2', '18.8', 'newest'] as const;
export type Generation = (typeof generations)[number];

/** What each generation serves. Deployment choices (object storage, its ranges) are the same on all. */
export function featuresOf(generation: Generation): Features {
  const newest = generation === 'newest';
  return {
    traceByteRange: newest,
    artifactsTree: generation !== '18.2',
    artifactEtag: newest,
    artifactsRedirect: true,
    objectStorageRanges: true,
  };
}

export const defaultFeatures: Features = featuresOf('newest');

export interface RecordedRequest {
  method: string;
  /** The raw path as sent, percent-encoding kept (e.g. /api/v4/projects/demo-group%2Fdemo-app). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Date.now() when the request arrived. */
  at: number;
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
