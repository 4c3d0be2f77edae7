import { type Job, type Status, isFinished } from './models';

/**
 * What a job's state allows, as GitLab decides it (lib/api/ci/jobs.rb and the job's policies): the UI
 * offers exactly these actions, so a click does not end in "403 Job is not retryable".
 */
export interface JobCapabilities {
  retryable: boolean;
  cancelable: boolean;
  playable: boolean;
  erasable: boolean;
  hasTrace: boolean;
  hasArtifacts: boolean;
  hasArchive: boolean;
  /** Artifacts that will expire unless kept. */
  expiring: boolean;
}

const RETRYABLE = new Set(['success', 'failed', 'canceled', 'canceling']);
const CANCELABLE = new Set(['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'scheduled']);
const PLAYABLE = new Set(['manual', 'scheduled']);
const IGNORABLE_WHEN_ALLOWED = new Set(['failed', 'canceled', 'manual']);

export function jobCapabilities(job: Job): JobCapabilities {
  const artifacts = (job.artifacts ?? []).filter((artifact) => artifact.file_type !== 'trace');
  const hasTrace = job.started_at != null && job.erased_at == null;
  const hasArtifacts = artifacts.length > 0;
  return {
    retryable: RETRYABLE.has(job.status) && job.retried !== true,
    cancelable: CANCELABLE.has(job.status),
    playable: PLAYABLE.has(job.status),
    erasable: isFinished(job.status) && job.erased_at == null && (hasTrace || hasArtifacts),
    hasTrace,
    hasArtifacts,
    hasArchive: job.artifacts_file != null || artifacts.some((artifact) => artifact.file_type === 'archive'),
    expiring: hasArtifacts && job.artifacts_expire_at != null,
  };
}

const PIPELINE_RETRYABLE = new Set(['failed', 'canceled', 'canceling']);
const PIPELINE_CANCELABLE = new Set(['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'scheduled', 'manual']);

/** What a pipeline's state allows: retry re-runs its failed and canceled jobs; cancel stops what has not finished. */
export function pipelineCapabilities(pipeline: { status: Status }): { retryable: boolean; cancelable: boolean } {
  return { retryable: PIPELINE_RETRYABLE.has(pipeline.status), cancelable: PIPELINE_CANCELABLE.has(pipeline.status) };
}

/**
 * A stage's status from its jobs, the way GitLab composes it (Ci::HasStatus.composite_status): anything still
 * moving wins, then failures that are not allowed to fail, then manual, then success.
 */
export function compositeStatus(allJobs: readonly (Pick<Job, 'status' | 'allow_failure'> & { retried?: boolean })[]): Status {
  // A superseded attempt no longer counts (GitLab composes from `latest` jobs only).
  const jobs = allJobs.filter((job) => job.retried !== true);
  if (jobs.length === 0) return 'skipped';
  // Jobs allowed to fail do not drag the stage down (GitLab "ignores" them): a failure is a warning, a manual one is optional.
  const statuses = jobs.map((job) => (job.allow_failure && IGNORABLE_WHEN_ALLOWED.has(job.status) ? 'success-with-warnings' : job.status));
  const has = (status: string) => statuses.includes(status);
  const all = (...allowed: string[]) => statuses.every((status) => allowed.includes(status));
  if (all('skipped')) return 'skipped';
  if (all('success-with-warnings') && jobs.every((job) => job.status === 'manual')) return 'manual';
  if (all('created')) return 'created';
  if (has('running') || has('canceling')) return has('canceling') && !has('running') ? 'canceling' : 'running';
  if (has('pending') || has('preparing') || has('waiting_for_resource')) return has('pending') ? 'pending' : has('preparing') ? 'preparing' : 'waiting_for_resource';
  if (all('success', 'success-with-warnings', 'skipped')) return 'success';
  if (has('failed')) return 'failed';
  if (has('canceled')) return 'canceled';
  if (has('manual')) return 'manual';
  if (has('scheduled')) return 'scheduled';
  if (has('created')) return 'created';
  return statuses.find((status) => !['success', 'success-with-warnings', 'skipped'].includes(status)) ?? 'success';
}

/**
 * Marks superseded attempts as retried. GitLab's job entities carry no `retried` flag; a retry adds a job of the
 * same name with a higher id, and only that newest attempt is current (Ci::Processable `latest`).
 */
export function markRetried<T extends { id: number; name: string; retried?: boolean }>(jobs: readonly T[]): T[] {
  const newestIdByName = new Map<string, number>();
  for (const job of jobs) newestIdByName.set(job.name, Math.max(job.id, newestIdByName.get(job.name) ?? job.id));
  return jobs.map((job) => (job.id === newestIdByName.get(job.name) || job.retried === true ? job : { ...job, retried: true }));
}

/** Seconds as `45s`, `3m 07s`, `1h 02m`. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m ${String(total % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * How long a job or pipeline ran, or has been running until `now`. While it runs, from its start: the
 * `duration` GitLab sends then is that of the moment it answered, and an unchanged job keeps its object.
 */
export function elapsedSeconds(item: { duration?: number | null; started_at?: string | null; finished_at?: string | null }, now = Date.now()): number | undefined {
  if (item.started_at && !item.finished_at) return (now - Date.parse(item.started_at)) / 1000;
  if (item.duration != null) return item.duration;
  if (!item.started_at || !item.finished_at) return undefined;
  return (Date.parse(item.finished_at) - Date.parse(item.started_at)) / 1000;
}

/** A running time to the minute ("< 1m", "4m", "1h 05m"): a row that shows it reads differently once a minute, not at every refresh. */
export function formatRunningTime(seconds: number): string {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  if (minutes < 1) return '< 1m';
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
