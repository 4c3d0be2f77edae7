import type { GitLab } from '../../gitlab';
import { GitLabError } from '../../gitlab/errors';
import { type Pipeline, isActive } from '../../gitlab/models';
import { type PipelineJobsSnapshot, PipelineJobsWatch } from '../../gitlab/watch/pipelineJobs';
import type { ProjectContext } from '../services';

/** A pipeline's jobs and trigger jobs, as the tree, the status bar and commands read them. */
export type PipelineJobs = PipelineJobsSnapshot;

/** Refreshes a pipeline's jobs may go unasked for before they are dropped (a downstream pipeline collapsed, a pipeline off the list). */
const UNUSED_REFRESHES_KEPT = 3;

interface Entry {
  readonly project: ProjectContext;
  readonly pipelineId: number;
  watch?: PipelineJobsWatch;
  /** The load or update under way: a pipeline never has two at once. */
  pending?: Promise<PipelineJobs>;
  /** Aborts `pending` when it is superseded (an action, Show Retried, the pipeline dropped). */
  controller: AbortController;
  /** An action changed the pipeline: the next look loads it anew (conditional requests). */
  stale: boolean;
  /** The refresh during which it was last read. */
  usedIn: number;
}

/**
 * Loaded pipeline jobs, kept up to date by the refresher at a cost that follows what changes
 * (`PipelineJobsWatch`): a running pipeline's refresh asks only for jobs that can still change, a finished
 * pipeline costs nothing, and pipelines nobody reads any more are dropped.
 */
export class PipelineJobsCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly gitlabFor: (project: ProjectContext) => Promise<GitLab>,
    private readonly includeRetried: () => boolean,
  ) {}

  /** How many pipelines' jobs are held (for tests: it must not grow without end). */
  get size(): number {
    return this.entries.size;
  }

  /** The jobs, loaded once and shared; a failure is not kept, so the next look tries again. */
  jobsOf(project: ProjectContext, pipelineId: number): Promise<PipelineJobs> {
    const key = keyOf(project, pipelineId);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { project, pipelineId, controller: new AbortController(), stale: false, usedIn: this.generation };
      this.entries.set(key, entry);
    }
    entry.usedIn = this.generation;
    const snapshot = entry.watch?.snapshot;
    if (!entry.pending && snapshot && !entry.stale) return Promise.resolve(snapshot);
    const pending = entry.pending ?? this.run(entry, 'load');
    // A load superseded while it ran (an action, Show Retried) is aborted: whoever asked gets the load that replaces it.
    return pending.catch((error: unknown) => {
      if (error instanceof GitLabError && error.reason === 'aborted' && entry.pending !== pending) return this.jobsOf(project, pipelineId);
      throw error;
    });
  }

  /** Loaded jobs without asking GitLab: undefined when not loaded. */
  loaded(project: ProjectContext, pipelineId: number): PipelineJobs | undefined {
    return this.entries.get(keyOf(project, pipelineId))?.watch?.snapshot;
  }

  /** After an action: a load under way is aborted, and the next look or refresh loads anew. */
  invalidate(project: ProjectContext, pipelineId?: number): void {
    for (const entry of this.entries.values()) {
      if (entry.project.key !== project.key || (pipelineId !== undefined && entry.pipelineId !== pipelineId)) continue;
      this.abort(entry);
      entry.stale = true;
    }
  }

  /** Drops a project's jobs (it left the workspace, or its account was removed). */
  forgetProject(projectKey: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.project.key !== projectKey) continue;
      this.abort(entry);
      this.entries.delete(key);
    }
  }

  /** Drops everything (Show Retried changes what each list holds). */
  clear(): void {
    for (const entry of this.entries.values()) this.abort(entry);
    this.entries.clear();
  }

  /**
   * Brings a project's loaded pipelines up to date: a listed pipeline that runs by an update, one that changed
   * otherwise (it just finished, was retried) or that an action touched by a load, a finished unchanged one
   * not at all; unlisted ones (downstream pipelines) while their jobs move, until nobody reads them. Returns the
   * ids whose jobs changed. Throws a rate limit so the refresher can wait; other failures leave the jobs as they were.
   * `onlyListed`: the listed pipelines alone (the status bar's check), nothing else looked at or dropped.
   */
  async refresh(project: ProjectContext, before: readonly Pipeline[], after: readonly Pipeline[], signal?: AbortSignal, onlyListed = false): Promise<number[]> {
    if (!onlyListed) this.generation++;
    const previously = new Map(before.map((pipeline) => [pipeline.id, pipeline]));
    const listed = new Map(after.map((pipeline) => [pipeline.id, pipeline]));
    const work: Promise<number | undefined>[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.project.key !== project.key) continue;
      const pipeline = listed.get(entry.pipelineId);
      if (!pipeline && onlyListed) continue;
      if (!pipeline && this.generation - entry.usedIn > UNUSED_REFRESHES_KEPT) {
        this.abort(entry);
        this.entries.delete(key);
        continue;
      }
      const old = previously.get(entry.pipelineId);
      // Newly listed (or back on the list): what is held may be from long ago, so it is loaded anew, as it is when it just finished.
      const reload = pipeline !== undefined && (!old || (!isActive(pipeline.status) && (old.status !== pipeline.status || old.updated_at !== pipeline.updated_at)));
      const how = entry.stale || reload ? 'load' : (pipeline ? isActive(pipeline.status) : entry.watch?.moving) ? 'update' : undefined;
      if (how || entry.pending) work.push(this.bringUpToDate(entry, how, signal));
    }
    const results = await Promise.allSettled(work);
    const rateLimited = results.find((result) => result.status === 'rejected' && result.reason instanceof GitLabError && result.reason.reason === 'rate-limited');
    if (rateLimited?.status === 'rejected') throw rateLimited.reason;
    return results.flatMap((result) => (result.status === 'fulfilled' && result.value !== undefined ? [result.value] : []));
  }

  /** The pipeline id when its jobs changed. A load already under way is joined, never doubled. */
  private async bringUpToDate(entry: Entry, how: 'load' | 'update' | undefined, signal?: AbortSignal): Promise<number | undefined> {
    const seen = entry.watch?.snapshot;
    // A load under way (the tree or the status bar asked) is as fresh as an update: joined, not doubled.
    if (entry.pending) await entry.pending;
    else if (how) await this.run(entry, how, signal);
    return entry.watch?.snapshot !== seen ? entry.pipelineId : undefined;
  }

  private run(entry: Entry, how: 'load' | 'update', signal?: AbortSignal): Promise<PipelineJobs> {
    entry.stale = false;
    const signals = signal ? AbortSignal.any([entry.controller.signal, signal]) : entry.controller.signal;
    const running = (async () => {
      entry.watch ??= new PipelineJobsWatch(await this.gitlabFor(entry.project), entry.project.projectPath, entry.pipelineId, { includeRetried: this.includeRetried() });
      return how === 'load' ? entry.watch.load(signals) : entry.watch.update(signals);
    })();
    const settled = running.finally(() => {
      if (entry.pending === settled) entry.pending = undefined;
    });
    entry.pending = settled;
    settled.catch(() => undefined); // an aborted or failed load nobody waits for is no unhandled rejection
    return settled;
  }

  private abort(entry: Entry): void {
    if (!entry.pending) return;
    entry.controller.abort();
    entry.controller = new AbortController();
    entry.pending = undefined;
  }
}

function keyOf(project: ProjectContext, pipelineId: number): string {
  return `${project.key}#${pipelineId}`;
}
