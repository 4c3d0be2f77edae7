import { GitLabHttpError } from '../errors';
import type { GitLab } from '../index';
import { type Bridge, type Job, type ProjectRef, type Status, isFinished } from '../models';

/**
 * Job statuses a running pipeline's refresh asks for (`scope[]`): those that can still change. Only statuses
 * every supported GitLab accepts in `scope[]` (Grape rejects unknown ones); a job in a newer transient status
 * (`canceling`, `waiting_for_callback`) drops out of this answer and is then followed by itself.
 */
export const CHANGEABLE_JOB_STATUSES: readonly Status[] = ['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'manual', 'scheduled'];

/** More jobs than this leaving the changeable set at once: one conditional reload of the list costs less. */
const MAX_SINGLE_JOB_FETCHES = 8;

/**
 * How often an update still asks for trigger jobs that can no longer change by themselves (finished, and
 * their downstream pipeline too): only a retry in GitLab's web page changes them then.
 */
export const SETTLED_BRIDGES_RECHECK_MS = 30_000;

/** Shared with every reader: read-only by contract (arrays kept mutable in type for existing readers). */
export interface PipelineJobsSnapshot {
  /** Newest first, as GitLab lists them. */
  readonly jobs: Job[];
  readonly bridges: Bridge[];
}

export interface PipelineJobsOptions {
  /** Retried attempts too (GitLab's `include_retried`). */
  includeRetried: boolean;
  /** ms since the epoch; tests pass their own clock. */
  now?: () => number;
}

/**
 * One pipeline's jobs and trigger jobs, kept up to date at a cost that follows what changes: a load asks for
 * every job (conditional requests: unchanged pages are 304s), an update only for jobs that can still change
 * (`scope[]`), plus each job that just left that set, once. Finished jobs are never fetched again by an update.
 * A job whose fields read the same keeps its object, and an update that changed nothing gives back the very
 * same snapshot, so readers compare with `===`.
 */
export class PipelineJobsWatch {
  private snapshotValue: PipelineJobsSnapshot | undefined;
  private bridgesCheckedAt = 0;

  constructor(
    private readonly gitlab: GitLab,
    private readonly project: ProjectRef,
    readonly pipelineId: number,
    private readonly options: PipelineJobsOptions,
  ) {}

  /** The last loaded jobs; undefined before the first load. */
  get snapshot(): PipelineJobsSnapshot | undefined {
    return this.snapshotValue;
  }

  /** Whether a job or trigger job may still change by itself: worth an update. */
  get moving(): boolean {
    const snapshot = this.snapshotValue;
    return snapshot !== undefined && [...snapshot.jobs, ...snapshot.bridges].some((job) => !isFinished(job.status) && job.status !== 'manual');
  }

  /** Every job and trigger job. */
  async load(signal?: AbortSignal): Promise<PipelineJobsSnapshot> {
    const [jobs, bridges] = await Promise.all([
      this.gitlab.pipelines.jobs(this.project, this.pipelineId, { includeRetried: this.options.includeRetried, signal }),
      this.bridges(signal),
    ]);
    return this.settle(jobs, bridges);
  }

  /** Only what can still change; a load when nothing was loaded yet, or when many jobs finished at once. */
  async update(signal?: AbortSignal): Promise<PipelineJobsSnapshot> {
    const previous = this.snapshotValue;
    if (!previous) return this.load(signal);
    const [changeable, bridges] = await Promise.all([
      this.gitlab.pipelines.jobs(this.project, this.pipelineId, { scope: CHANGEABLE_JOB_STATUSES, includeRetried: this.options.includeRetried, signal }),
      this.bridgesMayHaveChanged(previous.bridges) ? this.bridges(signal) : previous.bridges,
    ]);
    const stillChangeable = new Set(changeable.map((job) => job.id));
    const left = previous.jobs.filter((job) => !isFinished(job.status) && !stillChangeable.has(job.id));
    if (left.length > MAX_SINGLE_JOB_FETCHES) return this.load(signal);
    const fetched = await Promise.all(left.map((job) => this.fetchJob(job.id, signal)));
    const byId = new Map(previous.jobs.map((job) => [job.id, job]));
    left.forEach((job, index) => {
      const fresh = fetched[index];
      if (fresh) byId.set(job.id, fresh);
      else byId.delete(job.id); // gone (the pipeline's jobs were deleted): nothing to show
    });
    for (const job of changeable) byId.set(job.id, job);
    return this.settle(this.options.includeRetried ? [...byId.values()] : newestAttempts([...byId.values()]), bridges);
  }

  /**
   * Trigger jobs are asked for again while one of them, or its downstream pipeline, can still change. A
   * pipeline without any has none later (GitLab creates every job with the pipeline; a retry in GitLab is a
   * new trigger job of one that existed); settled ones are looked at again now and then, for such a retry.
   */
  private bridgesMayHaveChanged(bridges: readonly Bridge[]): boolean {
    if (bridges.length === 0) return false;
    const settled = bridges.every((bridge) => isFinished(bridge.status) && (!bridge.downstream_pipeline || isFinished(bridge.downstream_pipeline.status)));
    return !settled || this.now() - this.bridgesCheckedAt >= SETTLED_BRIDGES_RECHECK_MS;
  }

  private bridges(signal?: AbortSignal): Promise<Bridge[]> {
    this.bridgesCheckedAt = this.now();
    return this.gitlab.pipelines.bridges(this.project, this.pipelineId, { signal });
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private async fetchJob(jobId: number, signal?: AbortSignal): Promise<Job | undefined> {
    try {
      // Finished: never asked for again, so its answer is not kept for conditional requests (the cache would fill with them).
      return await this.gitlab.jobs.get(this.project, jobId, signal, { conditional: false });
    } catch (error) {
      if (error instanceof GitLabHttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Keeps the objects of jobs that read the same, and the snapshot itself when nothing changed. */
  private settle(jobs: readonly Job[], bridges: readonly Bridge[]): PipelineJobsSnapshot {
    const previous = this.snapshotValue;
    const keptJobs = keepUnchanged(previous?.jobs, jobs);
    const keptBridges = keepUnchanged(previous?.bridges, bridges);
    if (previous && sameItems(previous.jobs, keptJobs) && sameItems(previous.bridges, keptBridges)) return previous;
    this.snapshotValue = { jobs: keptJobs, bridges: keptBridges };
    return this.snapshotValue;
  }
}

/** Without `include_retried`, GitLab lists only each name's newest attempt: a retry's older attempt leaves too. */
function newestAttempts(jobs: readonly Job[]): Job[] {
  const newest = new Map<string, Job>();
  for (const job of jobs) if ((newest.get(job.name)?.id ?? -1) < job.id) newest.set(job.name, job);
  return jobs.filter((job) => newest.get(job.name) === job);
}

/** Newest first, each job as the previous object when it reads the same (see `sameJob`). */
function keepUnchanged<T extends Job | Bridge>(previous: readonly T[] | undefined, fresh: readonly T[]): T[] {
  const before = new Map((previous ?? []).map((job) => [job.id, job]));
  return fresh.map((job) => {
    const old = before.get(job.id);
    return old && sameJob(old, job) ? old : job;
  }).sort((a, b) => b.id - a.id);
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/**
 * What a reader shows of a job. A running job's `duration` grows with every answer: left out while it runs,
 * so an unchanged running job does not count as a change.
 */
function sameJob(a: Job | Bridge, b: Job | Bridge): boolean {
  if (a === b) return true;
  const shown = (job: Job | Bridge) => JSON.stringify({ ...job, duration: isFinished(job.status) ? job.duration : undefined, queued_duration: undefined });
  return shown(a) === shown(b);
}
