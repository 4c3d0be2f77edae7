import type { ApiContext } from './app';
import { projectFor } from './auth';
import { invalidParam, jsonReply, paramList, paramString, recordNotFound, type Params, type Reply } from './http';
import type { JobRecord, PipelineRecord, ProjectRecord } from './model';
import { paginateOffset } from './pagination';
import { jobStatuses, type JobStatus, type Role } from './types';

export interface ProjectAccess {
  project: ProjectRecord;
  role: Role;
  userId: number;
}

/** Authenticates, then finds the project by id or URL-encoded path (404 "Project Not Found" if not visible). */
export function projectAccess(ctx: ApiContext, idOrPath: string, mode: 'user' | 'userOrJob' = 'user'): ProjectAccess {
  const actor = ctx.actor(mode);
  const { project, role } = projectFor(ctx.app.state, actor, idOrPath);
  return { project, role, userId: actor.user.id };
}

export function pipelineIn(ctx: ApiContext, project: ProjectRecord, id: string): PipelineRecord {
  const pipeline = ctx.app.state.pipelines.get(Number(id));
  if (!pipeline || pipeline.projectId !== project.id) throw recordNotFound();
  return pipeline;
}

/** find_job!: builds and bridges alike. */
export function jobIn(ctx: ApiContext, project: ProjectRecord, id: string): JobRecord {
  const job = ctx.app.state.jobs.get(Number(id));
  if (!job || job.projectId !== project.id) throw recordNotFound();
  return job;
}

/** find_build!: a bridge id is "404 Not found" here. */
export function buildIn(ctx: ApiContext, project: ProjectRecord, id: string): JobRecord {
  const job = jobIn(ctx, project, id);
  if (job.kind !== 'build') throw recordNotFound();
  return job;
}

/** `scope` / `scope[]`: job statuses to keep (Grape rejects unknown ones). */
export function statusScope(params: Params): JobStatus[] | undefined {
  const scope = paramList(params, 'scope');
  if (scope === undefined || scope.length === 0) return undefined;
  if (!scope.every((s) => (jobStatuses as readonly string[]).includes(s))) throw invalidParam('scope does not have a valid value');
  return scope as JobStatus[];
}

export function byIdDesc<T extends { id: number }>(items: T[]): T[] {
  return items.sort((a, b) => b.id - a.id);
}

/** Sorts like GitLab's finders: by the chosen key, then by id, both in the `sort` direction. */
export function orderedBy<T extends { id: number }>(items: T[], key: (item: T) => string | number, sort: 'asc' | 'desc'): T[] {
  const direction = sort === 'asc' ? 1 : -1;
  return items.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    const primary = ka < kb ? -1 : ka > kb ? 1 : 0;
    return direction * (primary !== 0 ? primary : a.id - b.id);
  });
}

/** A parameter restricted to some values (Grape's `values:`), undefined when absent. */
export function oneOf<T extends string>(params: Params, key: string, allowed: readonly T[]): T | undefined {
  const value = paramString(params, key);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalidParam(`${key} does not have a valid value`);
  return value as T;
}

export function pagedJson<T>(ctx: ApiContext, items: readonly T[], present: (item: T) => unknown, counted = true): Reply {
  const page = paginateOffset(items, ctx.pageBase(), counted);
  return jsonReply(200, page.items.map(present), page.headers);
}

export function presentJob(ctx: ApiContext, job: JobRecord): Record<string, unknown> {
  return job.kind === 'build' ? ctx.app.presenter.job(job) : ctx.app.presenter.bridge(job);
}
