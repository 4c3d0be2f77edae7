import * as vscode from 'vscode';
import type { GitLab } from '../../gitlab';
import { GitLabError } from '../../gitlab/errors';
import { type Bridge, type Job, type Pipeline, type PipelineDetail, isActive } from '../../gitlab/models';
import type { MergeRequestRef } from '../../gitlab/mergeRequests';
import type { PipelineFilters } from '../../gitlab/pipelines';
import type { Logger } from '../log';
import type { Projects } from '../projects';
import type { ProjectContext } from '../services';
import type { Settings } from '../settings';
import { loadBranchPipelines, mergeRecent } from './branchPipelines';

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

export interface PipelineJobs {
  jobs: Job[];
  bridges: Bridge[];
}

export type PipelineFilter = Pick<PipelineFilters, 'ref' | 'status' | 'source'>;

/**
 * What the pipelines tree and the status bar show, and the only place that asks GitLab for it (through
 * `refresh`, which the refresher calls). Jobs are loaded when a pipeline is expanded and cached until
 * a refresh sees the pipeline still moving.
 */
export class PipelinesModel implements vscode.Disposable {
  private readonly states = new Map<string, ProjectPipelines>();
  private readonly pageCounts = new Map<string, number>();
  private readonly jobsCache = new Map<string, Promise<PipelineJobs>>();
  /** Loaded jobs dropped since the last refresh, as readers last saw them: compared with a fresh load then. */
  private readonly droppedJobs = new Map<string, Promise<PipelineJobs>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private filterValue: PipelineFilter = {};
  private showRetriedValue = false;
  /** The last refresh could not reach GitLab at all. */
  offline = false;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly projects: Projects,
    private readonly gitlabFor: (project: ProjectContext) => Promise<GitLab>,
    private readonly settings: Settings,
    private readonly log: Logger,
  ) {}

  get filter(): PipelineFilter {
    return this.filterValue;
  }

  setFilter(filter: PipelineFilter): void {
    this.filterValue = filter;
    this.pageCounts.clear();
  }

  get showRetried(): boolean {
    return this.showRetriedValue;
  }

  setShowRetried(show: boolean): void {
    this.showRetriedValue = show;
    this.jobsCache.clear();
    this.changed.fire();
  }

  projectStates(): ProjectPipelines[] {
    return this.projects.list().map((project) => this.states.get(project.key) ?? { project, recent: [], hasMore: false });
  }

  stateOf(project: ProjectContext): ProjectPipelines | undefined {
    return this.states.get(project.key);
  }

  /** Anything on screen still moving: the refresher polls faster then. */
  hasActivePipelines(): boolean {
    return [...this.states.values()].some((state) => (state.current && isActive(state.current.status)) || state.recent.some((pipeline) => isActive(pipeline.status)));
  }

  /**
   * Fetches every project's pipelines (or one project's). Throws the first rate-limit error so the
   * refresher can wait as GitLab asks; other failures are kept on the project's state and logged.
   */
  async refresh(only?: ProjectContext, signal?: AbortSignal): Promise<void> {
    const projects = only ? [only] : this.projects.list();
    const before = projects.map((project) => this.states.get(project.key));
    const wasOffline = this.offline;
    const results = await Promise.allSettled(projects.map((project) => this.refreshProject(project, signal)));
    const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    this.offline = projects.length > 0 && errors.length === projects.length && errors.every((error) => error instanceof GitLabError && (error.reason === 'network' || error.reason === 'timeout'));
    // Unchanged answers (304s) are the very objects held before: readers hear of a refresh only when it changed something.
    const statesChanged = projects.some((project, index) => !sameForReaders(before[index], this.states.get(project.key)));
    const jobsChanged = await this.droppedJobsChanged(projects);
    if (statesChanged || jobsChanged || this.offline !== wasOffline) this.changed.fire();
    const rateLimited = errors.find((error): error is GitLabError => error instanceof GitLabError && error.reason === 'rate-limited');
    if (rateLimited) throw rateLimited;
  }

  /** One more page of recent pipelines. */
  async loadMore(project: ProjectContext): Promise<void> {
    this.pageCounts.set(project.key, (this.pageCounts.get(project.key) ?? 1) + 1);
    await this.refresh(project);
  }

  /** A pipeline's jobs and bridges, loaded once and shared by the tree and the status bar. */
  jobsOf(project: ProjectContext, pipelineId: number): Promise<PipelineJobs> {
    const key = `${project.key}#${pipelineId}`;
    let jobs = this.jobsCache.get(key);
    if (!jobs) {
      jobs = this.loadJobs(project, pipelineId);
      jobs.catch(() => this.jobsCache.delete(key)); // a failure is not cached: the next expand tries again
      this.jobsCache.set(key, jobs);
    }
    return jobs;
  }

  /** After an action: drop what it changed, so the next look fetches anew. */
  invalidate(project: ProjectContext, pipelineId?: number): void {
    for (const key of [...this.jobsCache.keys()]) {
      if (key.startsWith(`${project.key}#`) && (pipelineId === undefined || key === `${project.key}#${pipelineId}`)) {
        const loaded = this.jobsCache.get(key);
        if (loaded && !this.droppedJobs.has(key)) this.droppedJobs.set(key, loaded);
        this.jobsCache.delete(key);
      }
    }
  }

  /** Loads the dropped jobs of these projects again (conditional requests): whether any differ from what readers saw. */
  private async droppedJobsChanged(projects: readonly ProjectContext[]): Promise<boolean> {
    const comparisons: Promise<boolean>[] = [];
    for (const project of projects) {
      const prefix = `${project.key}#`;
      for (const [key, seen] of [...this.droppedJobs]) {
        if (!key.startsWith(prefix)) continue;
        this.droppedJobs.delete(key);
        const fresh = this.jobsOf(project, Number(key.slice(prefix.length)));
        comparisons.push(Promise.all([seen, fresh]).then(([a, b]) => a.jobs !== b.jobs || a.bridges !== b.bridges, () => true));
      }
    }
    return (await Promise.all(comparisons)).some(Boolean);
  }

  private async refreshProject(project: ProjectContext, signal?: AbortSignal): Promise<void> {
    const previous = this.states.get(project.key);
    try {
      const gitlab = await this.gitlabFor(project);
      const perPage = Math.min(this.settings.pipelineCount * (this.pageCounts.get(project.key) ?? 1), 100);
      const [branch, page] = await Promise.all([
        loadBranchPipelines(gitlab, project, this.filterValue, perPage, signal),
        gitlab.pipelines.list(project.projectPath, this.filterValue, { perPage, signal }),
      ]);
      const { current, mergeRequest } = branch;
      const recent = mergeRecent(page.items, branch.mergeRequestPipelines, current?.id, perPage);
      this.dropStaleJobs(project, previous, [...(current ? [current] : []), ...recent]);
      this.states.set(project.key, { project, current, mergeRequest, recent, hasMore: page.nextPage !== undefined || page.nextUrl !== undefined });
    } catch (error) {
      const failure = error instanceof GitLabError ? error : new GitLabError('network', 'refresh', String(error));
      this.log.warn(`Refreshing ${project.projectPath} failed: ${failure.message}`);
      this.states.set(project.key, { ...(previous ?? { project, recent: [], hasMore: false }), error: failure });
      throw failure;
    }
  }

  /** Jobs of pipelines that moved since they were loaded are fetched again on the next look. */
  private dropStaleJobs(project: ProjectContext, previous: ProjectPipelines | undefined, pipelines: Pipeline[]): void {
    const before = new Map([...(previous?.current ? [previous.current] : []), ...(previous?.recent ?? [])].map((pipeline) => [pipeline.id, pipeline]));
    for (const pipeline of pipelines) {
      const old = before.get(pipeline.id);
      if (!old || isActive(pipeline.status) || old.status !== pipeline.status || old.updated_at !== pipeline.updated_at) this.invalidate(project, pipeline.id);
    }
  }

  private async loadJobs(project: ProjectContext, pipelineId: number): Promise<PipelineJobs> {
    const gitlab = await this.gitlabFor(project);
    const [jobs, bridges] = await Promise.all([
      gitlab.pipelines.jobs(project.projectPath, pipelineId, { includeRetried: this.showRetriedValue }),
      gitlab.pipelines.bridges(project.projectPath, pipelineId),
    ]);
    return { jobs, bridges };
  }

  dispose(): void {
    this.changed.dispose();
  }
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
