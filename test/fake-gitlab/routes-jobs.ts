import type { ApiContext, ApiRouter } from './app';
import { requireRole } from './auth';
import {
  ApiError, badRequest, forbidden, invalidParam, jsonReply, paramString, type Params, type Reply,
} from './http';
import type { JobRecord } from './model';
import { paginateKeyset, requestedOffset } from './pagination';
import { buildIn, byIdDesc, jobIn, pagedJson, presentJob, projectAccess, statusScope } from './route-helpers';
import type { Role } from './types';

const maxTraceSlice = 500 * 1024;
/** How long GitLab treats a log as watched after someone fetched it (runners then send updates every 3 s). */
const traceWatchMs = 60_000;

function playVariables(params: Params): { key: string; value: string }[] {
  const list = params.job_variables_attributes;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw invalidParam('job_variables_attributes is invalid');
  return list.map((item, index) => {
    if (typeof item !== 'object' || Array.isArray(item)) throw invalidParam(`job_variables_attributes[${index}] is invalid`);
    const { key, value } = item;
    if (typeof key !== 'string') throw invalidParam(`job_variables_attributes[${index}][key] is missing`);
    if (typeof value !== 'string') throw invalidParam(`job_variables_attributes[${index}][value] is missing`);
    return { key, value };
  });
}

/** A slice of the log when the newest GitLab's byte_offset/byte_limit are given (and the feature is on). */
function traceSlice(log: Buffer, params: Params): Buffer {
  const offsetText = paramString(params, 'byte_offset');
  const limitText = paramString(params, 'byte_limit');
  if (offsetText === undefined && limitText === undefined) return log;
  const integer = (text: string | undefined, name: string): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text)) throw invalidParam(`${name} is invalid`);
    return Number(text);
  };
  const offset = integer(offsetText, 'byte_offset') ?? 0;
  const limit = integer(limitText, 'byte_limit');
  if (offset < 0) throw invalidParam('byte_offset does not have a valid value');
  if (limit !== undefined && (limit < 1 || limit > maxTraceSlice)) throw invalidParam('byte_limit does not have a valid value');
  return log.subarray(offset, limit === undefined ? undefined : offset + limit);
}

/** erase_build: developers may erase the jobs they started, maintainers any. */
function requireEraseRight(role: Role, job: JobRecord, userId: number): void {
  requireRole(role, job.userId === userId ? 'developer' : 'maintainer');
}

/** API::Helpers::PaginationStrategies#offset_paginator, with `enforce_ci_builds_pagination_limit` on. */
function checkOffsetLimit(ctx: ApiContext): void {
  const limit = ctx.app.features.jobsOffsetLimit;
  if (limit === null || limit <= 0 || requestedOffset(ctx.query) <= limit) return;
  throw new ApiError(405, {
    error: `Offset pagination has a maximum allowed offset of ${limit} for requests that return objects of type Ci::Build. `
      + 'Remaining records can be retrieved using keyset pagination.',
  });
}

function projectJobs(ctx: ApiContext, projectId: number, params: Params): Reply {
  const scope = statusScope(params);
  const jobs = byIdDesc(ctx.app.state.findJobs({ projectId, kind: 'build' })
    .filter((j) => scope === undefined || scope.includes(j.status)));
  if (ctx.app.features.keysetPagination && paramString(params, 'pagination') === 'keyset') {
    const orderBy = paramString(params, 'order_by') ?? 'id';
    const sort = paramString(params, 'sort') ?? 'desc';
    if (orderBy !== 'id' || sort !== 'desc') {
      throw new ApiError(405, { error: 'Keyset pagination is not yet available for this type of request' });
    }
    const page = paginateKeyset(jobs, ctx.pageBase());
    return jsonReply(200, page.items.map((j) => ctx.app.presenter.job(j)), page.headers);
  }
  checkOffsetLimit(ctx);
  return pagedJson(ctx, jobs, (j) => ctx.app.presenter.job(j), false);
}

export function registerJobRoutes(router: ApiRouter): void {
  router.add('GET', '/api/v4/projects/:id/jobs', async (ctx, { id = '' }) => {
    const { project } = projectAccess(ctx, id);
    return projectJobs(ctx, project.id, await ctx.params());
  });

  router.add('GET', '/api/v4/projects/:id/jobs/:job_id#', (ctx, { id = '', job_id = '' }) => {
    const { project } = projectAccess(ctx, id);
    return jsonReply(200, ctx.app.presenter.job(buildIn(ctx, project, job_id)));
  });

  router.add('GET', '/api/v4/projects/:id/jobs/:job_id#/trace', async (ctx, { id = '', job_id = '' }) => {
    const { project } = projectAccess(ctx, id);
    const job = buildIn(ctx, project, job_id);
    job.traceWatchedUntil = ctx.app.state.clock.now() + traceWatchMs;
    const log = job.trace.toBuffer();
    const body = ctx.app.features.traceByteRange ? traceSlice(log, await ctx.params()) : log;
    return {
      status: 200,
      headers: { 'Content-Type': 'text/plain', 'Content-Disposition': `infile; filename="${job.id}.log"` },
      body,
    };
  });

  router.add('POST', '/api/v4/projects/:id/jobs/:job_id#/cancel', (ctx, { id = '', job_id = '' }) => {
    const { project, role } = projectAccess(ctx, id);
    const job = buildIn(ctx, project, job_id);
    requireRole(role, 'developer');
    ctx.app.state.cancelJob(job);
    return jsonReply(201, ctx.app.presenter.job(job));
  });

  router.add('POST', '/api/v4/projects/:id/jobs/:job_id#/retry', (ctx, { id = '', job_id = '' }) => {
    const { project, role, userId } = projectAccess(ctx, id);
    const job = jobIn(ctx, project, job_id);
    requireRole(role, 'developer');
    if (!ctx.app.state.isRetryable(job)) throw forbidden('Job is not retryable');
    return jsonReply(201, presentJob(ctx, ctx.app.state.retryJob(job, userId)));
  });

  router.add('POST', '/api/v4/projects/:id/jobs/:job_id#/play', async (ctx, { id = '', job_id = '' }) => {
    const { project, role, userId } = projectAccess(ctx, id);
    const job = jobIn(ctx, project, job_id);
    requireRole(role, 'developer');
    const variables = playVariables(await ctx.params());
    if (!ctx.app.state.isPlayable(job)) throw badRequest('Unplayable Job');
    // Like GitLab, the answer shows the job that was played, even when playing a finished one made a retry.
    ctx.app.state.playJob(job, userId, variables);
    return jsonReply(200, presentJob(ctx, job));
  });

  router.add('POST', '/api/v4/projects/:id/jobs/:job_id#/erase', (ctx, { id = '', job_id = '' }) => {
    const { project, role, userId } = projectAccess(ctx, id);
    const job = buildIn(ctx, project, job_id);
    requireEraseRight(role, job, userId);
    if (!ctx.app.state.isErasable(job)) throw forbidden('Job is not erasable!');
    ctx.app.state.eraseJob(job);
    return jsonReply(201, ctx.app.presenter.job(job));
  });
}
