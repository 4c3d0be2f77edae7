import * as vscode from 'vscode';
import type { GitLab } from '../../gitlab';
import { GitLabError } from '../../gitlab/errors';
import { type Pipeline, type PipelineDetail, isActive } from '../../gitlab/models';
import type { MergeRequestRef } from '../../gitlab/mergeRequests';
import type { PipelineFilters } from '../../gitlab/pipelines';
import type { Page } from '../../gitlab/pagination';
import type { Logger } from '../log';
import type { Projects } from '../projects';
import type { ProjectContext } from '../services';
import type { Settings } from '../settings';
import { BranchLookups } from './branchLookups';
import { type BranchPipelines, checkCurrentPipeline, listShowsCurrentUnchanged, loadBranchPipelines, mergeRecent } from './branchPipelines';

export interface ProjectPipelines {
  project: ProjectContext;
  /** The checked-out branch's current pipeline: its merge request's head pipeline, else the branch's newest. */
  current?: PipelineDetail;
  /** The checked-out branch's open merge request, when it has one. */
  mergeRequest?: MergeRequestRef;
  recent: Pipeline[];
  /** Whether GitLab has more recent pipelines than shown ("Load more"). */
  hasMore: boolean;
  error?: GitLabError;
}

import { type PipelineJobs, PipelineJobsCache } from './pipelineJobsCache';

export type { PipelineJobs } from './pipelineJobsCache';

/** A pipeline, as change events name it. */
export interface PipelineRef {
  readonly project: ProjectContext;
  readonly pipelineId: number;
}

/** What a refresh changed: readers that can, update only that. */
export interface PipelinesChange {
  /** Projects whose pipelines (the list, the current one, the merge request, an error) changed. */
  readonly projects: readonly ProjectContext[];
  /** Pipelines whose jobs or trigger jobs changed (their own fields changed with their project). */
  readonly pipelines: readonly PipelineRef[];
  /** Everything may read differently (filter, Show Retried, offline): readers start over. */
  readonly everything: boolean;
}

export type PipelineFilter = Pick<PipelineFilters, 'ref' | 'status' | 'source'>;

/** How often that check brings a running current pipeline's jobs up to date ("running 3/7"). */
const CURRENT_JOBS_RECHECK_MS = 30_000;

/**
 * What the pipelines tree and the status bar show, and the only place that asks GitLab for it (through
 * `refresh` and `refreshCurrent`, which the refresher calls). Jobs are loaded when a pipeline is expanded and
 * then kept up to date by each refresh, at a cost that follows what changes (`PipelineJobsCache`).
 */
export class PipelinesModel implements vscode.Disposable {
  private readonly states = new Map<string, ProjectPipelines>();
  private readonly pageCounts = new Map<string, number>();
  private readonly jobs: PipelineJobsCache;
  private readonly changed = new vscode.EventEmitter<PipelinesChange>();
  private filterValue: PipelineFilter = {};
  private showRetriedValue = false;
  /** When each branch's open merge request was last looked up, and what a full refresh found then. */
  private readonly lookups = new BranchLookups();
  /** When each running current pipeline's jobs were last brought up to date by the status bar's check. */
  private readonly currentJobsCheckedAt = new Map<string, number>();
  /** The last refresh could not reach GitLab at all. */
  offline = false;
  /** Fires with what changed; listeners that only need "something changed" may ignore the argument. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly projects: Projects,
    private readonly gitlabFor: (project: ProjectContext) => Promise<GitLab>,
    private readonly settings: Settings,
    private readonly log: Logger,
  ) {
    this.jobs = new PipelineJobsCache(gitlabFor, () => this.showRetriedValue);
  }

  get filter(): PipelineFilter {
    return this.filterValue;
  }

  setFilter(filter: PipelineFilter): void {
    this.filterValue = filter;
    this.pageCounts.clear();
    this.lookups.clear(); // its merge request pipelines passed the old filter
  }

  get showRetried(): boolean {
    return this.showRetriedValue;
  }

  setShowRetried(show: boolean): void {
    this.showRetriedValue = show;
    this.jobs.clear();
    this.changed.fire({ projects: [], pipelines: [], everything: true });
  }

  /** Signed in or out: what was held may be another user's view of GitLab (or another GitLab at that address), so it goes. */
  forgetHeld(): void {
    this.states.clear();
    this.jobs.clear();
    this.lookups.clear();
    this.currentJobsCheckedAt.clear();
    this.changed.fire({ projects: [], pipelines: [], everything: true });
  }

  projectStates(): ProjectPipelines[] {
    return this.projects.list().map((project) => this.states.get(project.key) ?? { project, recent: [], hasMore: false });
  }

  /** Undefined until the project's first refresh lands (readers show a loading state then). */
  stateOf(project: ProjectContext): ProjectPipelines | undefined {
    return this.states.get(project.key);
  }

  /** How many pipelines' jobs are held: bounded by what is shown and read (for tests). */
  get heldPipelineJobs(): number {
    return this.jobs.size;
  }

  /** Anything on screen still moving: the refresher polls faster then. */
  hasActivePipelines(): boolean {
    return [...this.states.values()].some((state) => (state.current && isActive(state.current.status)) || state.recent.some((pipeline) => isActive(pipeline.status)));
  }

  /**
   * Fetches every project's pipelines (or one project's), then brings their loaded jobs up to date. Throws the
   * first rate-limit error so the refresher can wait as GitLab asks; other failures are kept on the project's
   * state and logged.
   */
  async refresh(only?: ProjectContext, signal?: AbortSignal): Promise<void> {
    const projects = only ? [only] : this.projects.list();
    this.forgetProjectsGone();
    const before = projects.map((project) => this.states.get(project.key));
    const wasOffline = this.offline;
    const results = await Promise.allSettled(projects.map((project, index) => this.refreshProject(project, before[index], signal)));
    const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    this.offline = projects.length > 0 && errors.length === projects.length && errors.every((error) => error instanceof GitLabError && (error.reason === 'network' || error.reason === 'timeout'));
    // Unchanged answers (304s) are the very objects held before: readers hear of a refresh only when it changed something.
    const changedProjects = projects.filter((project, index) => !sameForReaders(before[index], this.states.get(project.key)));
    const changedJobs = results.flatMap((result, index) => (result.status === 'fulfilled' ? result.value.map((pipelineId) => ({ project: projects[index], pipelineId })) : []));
    this.announce(changedProjects, changedJobs, this.offline !== wasOffline);
    const rateLimited = errors.find((error): error is GitLabError => error instanceof GitLabError && error.reason === 'rate-limited');
    if (rateLimited) throw rateLimited;
  }

  /**
   * Refreshes only each project's current pipeline, for the status bar while the view is hidden: one
   * conditional request a project when nothing moved (see `checkCurrentPipeline`), plus the running current
   * pipeline's loaded jobs every half minute. Fires `onDidChange` only when something changed.
   */
  async refreshCurrent(signal?: AbortSignal): Promise<void> {
    const projects = this.projects.list();
    this.forgetProjectsGone();
    const results = await Promise.allSettled(projects.map((project) => this.refreshCurrentOf(project, signal)));
    const changed = results.flatMap((result, index) => (result.status === 'fulfilled' ? [{ project: projects[index], ...result.value }] : []));
    this.announce(changed.filter((change) => change.stateChanged).map((change) => change.project), changed.flatMap((change) => change.jobsChanged.map((pipelineId) => ({ project: change.project, pipelineId }))), false);
    const rateLimited = results.find((result) => result.status === 'rejected' && result.reason instanceof GitLabError && result.reason.reason === 'rate-limited');
    if (rateLimited?.status === 'rejected') throw rateLimited.reason;
  }

  /** One more page of recent pipelines. */
  async loadMore(project: ProjectContext): Promise<void> {
    this.pageCounts.set(project.key, (this.pageCounts.get(project.key) ?? 1) + 1);
    this.lookups.forget(project.key); // a longer page of its merge request pipelines too
    await this.refresh(project);
  }

  /** A pipeline's jobs and bridges, loaded once and shared by the tree, the status bar and commands. */
  jobsOf(project: ProjectContext, pipelineId: number): Promise<PipelineJobs> {
    return this.jobs.jobsOf(project, pipelineId);
  }

  /** A pipeline's jobs as last loaded, without asking GitLab; undefined when not loaded. */
  loadedJobs(project: ProjectContext, pipelineId: number): PipelineJobs | undefined {
    return this.jobs.loaded(project, pipelineId);
  }

  /** After an action: the next look or refresh loads what it changed anew. */
  invalidate(project: ProjectContext, pipelineId?: number): void {
    this.jobs.invalidate(project, pipelineId);
  }

  /** What was held for projects no longer in the workspace (or signed out of) goes: it would be stale on their return. */
  private forgetProjectsGone(): void {
    const present = new Set(this.projects.list().map((project) => project.key));
    for (const key of [...this.states.keys()]) {
      if (present.has(key)) continue;
      this.states.delete(key);
      this.lookups.forget(key);
      this.jobs.forgetProject(key);
    }
  }

  private announce(projects: readonly ProjectContext[], pipelines: readonly PipelineRef[], everything: boolean): void {
    if (projects.length > 0 || pipelines.length > 0 || everything) this.changed.fire({ projects, pipelines, everything });
  }

  /** The ids of pipelines whose jobs changed. */
  private async refreshProject(project: ProjectContext, previous: ProjectPipelines | undefined, signal?: AbortSignal): Promise<number[]> {
    try {
      const gitlab = await this.gitlabFor(project);
      const perPage = Math.min(this.settings.pipelineCount * (this.pageCounts.get(project.key) ?? 1), 100);
      const listing = gitlab.pipelines.list(project.projectPath, this.filterValue, { perPage, signal });
      const [branch, page] = await this.branchPipelines(gitlab, project, previous, listing, perPage, signal);
      const { current, mergeRequest } = branch;
      const recent = mergeRecent(page.items, branch.mergeRequestPipelines, current?.id, perPage);
      const next: ProjectPipelines = { project, current, mergeRequest, recent, hasMore: page.nextPage !== undefined || page.nextUrl !== undefined };
      this.currentJobsCheckedAt.set(project.key, Date.now());
      this.states.set(project.key, next);
      return await this.jobs.refresh(project, pipelinesOf(previous), pipelinesOf(next), signal);
    } catch (error) {
      const failure = error instanceof GitLabError ? error : new GitLabError('network', 'refresh', String(error));
      this.log.warn(`Refreshing ${project.projectPath} failed: ${failure.message}`);
      this.states.set(project.key, { ...(this.states.get(project.key) ?? previous ?? { project, recent: [], hasMore: false }), error: failure });
      throw failure;
    }
  }

  /**
   * The branch's current pipeline and merge request pipelines, beside the project's pipeline list. Most
   * refreshes ask for no more than that list: when it shows the held current pipeline unchanged, the held
   * answer stands. Which merge request is open is looked up anew every 2 minutes, or on another branch.
   */
  private async branchPipelines(
    gitlab: GitLab, project: ProjectContext, previous: ProjectPipelines | undefined, listing: Promise<Page<Pipeline>>, perPage: number, signal?: AbortSignal,
  ): Promise<[BranchPipelines, Page<Pipeline>]> {
    const now = Date.now();
    const held = this.lookups.pipelinesOf(project);
    // The status bar's check may have changed the current pipeline or merge request since: the state says which.
    const shown = { current: previous?.current, mergeRequest: previous?.mergeRequest };
    const heldShown = held !== undefined && previous?.project.branch === project.branch && held.mergeRequest?.iid === shown.mergeRequest?.iid;
    if (!heldShown || this.lookups.due(project, now)) {
      const [branch, page] = await Promise.all([loadBranchPipelines(gitlab, project, this.filterValue, perPage, signal), listing]);
      this.lookups.checked(project, now, branch);
      return [branch, page];
    }
    const page = await listing;
    if (project.branch !== undefined && listShowsCurrentUnchanged(shown, page.items, this.filterValue, project.branch)) return [{ ...held, ...shown }, page];
    const branch = await loadBranchPipelines(gitlab, project, this.filterValue, perPage, signal, { mergeRequest: shown.mergeRequest });
    this.lookups.update(project, branch);
    return [branch, page];
  }

  /** Whether the project's current pipeline (or merge request, or error) changed, and whose jobs did; throws only a rate limit. */
  private async refreshCurrentOf(project: ProjectContext, signal?: AbortSignal): Promise<{ stateChanged: boolean; jobsChanged: number[] }> {
    const previous = this.states.get(project.key);
    const now = Date.now();
    try {
      const gitlab = await this.gitlabFor(project);
      // Another branch checked out since the last look: its merge request (if any) is not the one held.
      const sameBranch = previous?.project.branch === project.branch;
      const recheck = !sameBranch || this.lookups.due(project, now);
      const { current, mergeRequest } = await checkCurrentPipeline(gitlab, project, sameBranch ? previous?.mergeRequest : undefined, recheck, signal);
      if (recheck) this.lookups.checked(project, now);
      const kept: ProjectPipelines = { ...(previous ?? { recent: [], hasMore: false }), project };
      // A new current pipeline leaves the recent ones (the tree shows each once), the one it replaces joins them.
      const recent = mergeRecent(kept.recent, kept.current ? [kept.current] : [], current?.id, kept.recent.length + (kept.current && kept.current.id !== current?.id ? 1 : 0));
      const next: ProjectPipelines = { ...kept, current, mergeRequest, recent, error: undefined };
      this.states.set(project.key, next);
      const jobsDue = current !== undefined && (current.status !== previous?.current?.status || now - (this.currentJobsCheckedAt.get(project.key) ?? 0) >= CURRENT_JOBS_RECHECK_MS);
      let jobsChanged: number[] = [];
      if (jobsDue) {
        this.currentJobsCheckedAt.set(project.key, now);
        jobsChanged = await this.jobs.refresh(project, previous?.current ? [previous.current] : [], [current], signal, true);
      }
      return { stateChanged: !sameForReaders(previous, next), jobsChanged };
    } catch (error) {
      const failure = error instanceof GitLabError ? error : new GitLabError('network', 'refresh', String(error));
      // Every 12 s: a lasting failure (signed out, offline) is logged once, not each time.
      if (previous?.error?.message !== failure.message) this.log.warn(`Checking the current pipeline of ${project.projectPath} failed: ${failure.message}`);
      const next = { ...(previous ?? { project, recent: [], hasMore: false }), error: failure };
      this.states.set(project.key, next);
      if (failure.reason === 'rate-limited') throw failure;
      return { stateChanged: !sameForReaders(previous, next), jobsChanged: [] };
    }
  }

  dispose(): void {
    this.jobs.clear();
    this.changed.dispose();
  }
}

function pipelinesOf(state: ProjectPipelines | undefined): Pipeline[] {
  return state ? [...(state.current ? [state.current] : []), ...state.recent] : [];
}

/** Whether a project's state reads the same: the same objects (a 304 gives back the very same), the same error. */
function sameForReaders(before: ProjectPipelines | undefined, after: ProjectPipelines | undefined): boolean {
  if (!before || !after) return before === after;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof ProjectPipelines)[]);
  return [...keys].every((key) => {
    const [a, b] = [before[key], after[key]];
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => item === b[index]);
    if (a instanceof GitLabError && b instanceof GitLabError) return a.message === b.message;
    // The merge request's reference is rebuilt on each refresh: equal fields read the same.
    if (key === 'mergeRequest' && a && b) return JSON.stringify(a) === JSON.stringify(b);
    return a === b;
  });
}
