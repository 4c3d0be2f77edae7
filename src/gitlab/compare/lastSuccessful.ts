import type { GitLab } from '../index';
import type { Job, ProjectRef } from '../models';

/** How many successful pipelines of a ref are searched for the job before giving up on that ref. */
const PIPELINES_SEARCHED = 20;

export interface LastSuccessfulRun {
  job: Job;
  /** Whether it came from the default branch because the job's own ref had none. */
  fromDefaultBranch: boolean;
}

/**
 * The newest successful run of a job of the same name on the same ref, else on the project's default branch:
 * the newest successful pipelines (20 at most per ref), newest first, each asked for its successful jobs.
 */
export async function findLastSuccessfulRun(gitlab: GitLab, project: ProjectRef, failed: Job, signal?: AbortSignal): Promise<LastSuccessfulRun | undefined> {
  const onRef = await searchRef(gitlab, project, failed, failed.ref, signal);
  if (onRef) return { job: onRef, fromDefaultBranch: false };
  const defaultBranch = (await gitlab.account.project(project, signal)).default_branch;
  if (!defaultBranch || defaultBranch === failed.ref) return undefined;
  const onDefault = await searchRef(gitlab, project, failed, defaultBranch, signal);
  return onDefault && { job: onDefault, fromDefaultBranch: true };
}

async function searchRef(gitlab: GitLab, project: ProjectRef, failed: Job, ref: string, signal?: AbortSignal): Promise<Job | undefined> {
  const page = await gitlab.pipelines.list(project, { ref, status: 'success', order_by: 'id', sort: 'desc' }, { perPage: PIPELINES_SEARCHED, signal });
  for (const pipeline of page.items) {
    const jobs = await gitlab.pipelines.jobs(project, pipeline.id, { scope: ['success'], signal });
    const match = jobs.filter((job) => job.name === failed.name && job.id !== failed.id).sort((a, b) => b.id - a.id)[0];
    if (match) return match;
  }
  return undefined;
}
