import { type GitLabClient, projectPath } from './client';
import type { Job, ProjectRef, Status } from './models';
import { type Page, fetchPage, getAll } from './pagination';

/**
 * A runner's contact state (`status`): online (asked for jobs in the last 2 hours), offline, stale (no
 * contact for a week) or never_contacted. GitLab before 16.0 also said `paused`/`active` here; unknown
 * values are kept as they come.
 */
export type RunnerStatus = 'online' | 'offline' | 'stale' | 'never_contacted' | (string & {});
export type RunnerType = 'instance_type' | 'group_type' | 'project_type' | (string & {});

/** Entities::Ci::Runner. */
export interface Runner {
  id: number;
  description: string | null;
  /** Newest GitLab always sends null. */
  ip_address?: string | null;
  /** Deprecated opposite of `paused`; GitLab before 14.8 sends only this. */
  active: boolean;
  paused?: boolean;
  is_shared: boolean;
  runner_type: RunnerType;
  name: string | null;
  online: boolean | null;
  status: RunnerStatus;
  created_at?: string;
}

/** Entities::Ci::RunnerDetails: what `GET /runners/:id` and `PUT /runners/:id` answer. */
export interface RunnerDetails extends Runner {
  tag_list: string[];
  run_untagged: boolean;
  locked: boolean;
  maximum_timeout: number | null;
  access_level: string;
  version: string | null;
  contacted_at: string | null;
}

export interface ProjectRunnersFilter {
  type?: 'instance_type' | 'group_type' | 'project_type';
  status?: 'online' | 'offline' | 'stale' | 'never_contacted';
  paused?: boolean;
  /** Runners that have every one of these tags. */
  tags?: readonly string[];
}

/** A project sees few runners; this bounds what a misbehaving server can make us hold. */
const MAX_PROJECT_RUNNERS = 500;

/** Whether a runner takes no new jobs, on any GitLab (`paused` since 14.8, `active` before). */
export function isPaused(runner: Pick<Runner, 'active' | 'paused'>): boolean {
  return runner.paused ?? !runner.active;
}

/**
 * The user side of runners (`/runners`, `/projects/:id/runners`): what a project can use, and pausing.
 * The runner's own protocol (`/jobs/request`) and its job list live in runner.ts.
 */
export interface RunnerJobsFilter {
  status?: Status;
  systemId?: string;
  orderBy?: 'id';
  sort?: 'asc' | 'desc';
  cursor?: string;
  page?: number;
  perPage?: number;
}

export class RunnersApi {
  constructor(private readonly client: GitLabClient) {}

  /** The project's runners, its groups' and the instance's (maintainers only: others get 403). */
  listForProject(project: ProjectRef, filter: ProjectRunnersFilter = {}, signal?: AbortSignal): Promise<Runner[]> {
    return getAll<Runner>(this.client, `${projectPath(project)}/runners`, {
      type: filter.type,
      status: filter.status,
      paused: filter.paused,
      tag_list: filter.tags?.join(','),
    }, { maxItems: MAX_PROJECT_RUNNERS, signal });
  }

  /** Any signed-in user may read instance runners; project and group runners need a maintainer there. */
  get(runnerId: number, signal?: AbortSignal): Promise<RunnerDetails> {
    return this.client.json('GET', `/runners/${runnerId}`, { signal });
  }

  /**
   * Pauses (no new jobs; running ones finish) or resumes a runner. Needs the `api` scope and the runner's
   * administrator (for a project runner: a maintainer of its owner project); 403 otherwise. Setting the
   * same state twice is harmless, so the client may repeat it.
   */
  setPaused(runnerId: number, paused: boolean, signal?: AbortSignal): Promise<RunnerDetails> {
    return this.client.json('PUT', `/runners/${runnerId}`, { json: { paused }, signal });
  }

  /** The jobs a runner ran (user token: the runner's owner or an admin). */
  listRunnerJobs(runnerId: number, filter: RunnerJobsFilter = {}, signal?: AbortSignal): Promise<Page<Job>> {
    const url = this.client.url(`/runners/${runnerId}/jobs`, {
      status: filter.status,
      system_id: filter.systemId,
      order_by: filter.orderBy,
      sort: filter.sort,
      cursor: filter.cursor,
      page: filter.page,
      per_page: filter.perPage === undefined ? undefined : Math.min(filter.perPage, 100),
    });
    return fetchPage<Job>(this.client, url, { signal });
  }
}
