import type { ApiContext, ApiRouter } from './app';
import { requireRole } from './auth';
import { invalidParam, jsonReply, notFound, paramString, type Params } from './http';
import type { MergeRequestRecord } from './merge-requests';
import type { ProjectRecord } from './model';
import { pagedJson, projectAccess } from './route-helpers';

const listStates = ['opened', 'closed', 'locked', 'merged', 'all'] as const;
const listOrders = ['created_at', 'updated_at'] as const;

function oneOf<T extends string>(params: Params, key: string, allowed: readonly T[], fallback: T): T {
  const value = paramString(params, key);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw invalidParam(`${key} does not have a valid value`);
  return value as T;
}

/** MergeRequestsFinder, for the parameters a CI client uses. */
function findMergeRequests(ctx: ApiContext, project: ProjectRecord, params: Params): MergeRequestRecord[] {
  const state = oneOf(params, 'state', listStates, 'all');
  const orderBy = oneOf(params, 'order_by', listOrders, 'created_at');
  const direction = oneOf(params, 'sort', ['asc', 'desc'] as const, 'desc') === 'asc' ? 1 : -1;
  const sourceBranch = paramString(params, 'source_branch');
  const targetBranch = paramString(params, 'target_branch');
  const time = (mr: MergeRequestRecord): number => (orderBy === 'updated_at' ? mr.updatedAt : mr.createdAt).getTime();
  return ctx.app.state.mergeRequests.list(project.id)
    .filter((mr) => (state === 'all' || mr.state === state)
      && (sourceBranch === undefined || mr.sourceBranch === sourceBranch)
      && (targetBranch === undefined || mr.targetBranch === targetBranch))
    .sort((a, b) => direction * (time(a) - time(b) || a.id - b.id));
}

function mergeRequestIn(ctx: ApiContext, project: ProjectRecord, iid: string): MergeRequestRecord {
  const mr = ctx.app.state.mergeRequests.find(project.id, Number(iid));
  if (!mr) throw notFound('Merge Request');
  return mr;
}

/** API::Entities::MergeRequestBasic, the fields a client reads (the list has no `head_pipeline`). */
function present(ctx: ApiContext, mr: MergeRequestRecord): Record<string, unknown> {
  const state = ctx.app.state;
  const project = state.requireProject(mr.projectId);
  const author = state.users.get(mr.authorId);
  const head = state.findRef(project, mr.sourceBranch)?.commits.at(-1);
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: mr.projectId,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.createdAt.toISOString(),
    updated_at: mr.updatedAt.toISOString(),
    merged_at: null,
    closed_at: null,
    target_branch: mr.targetBranch,
    source_branch: mr.sourceBranch,
    author: author ? ctx.app.presenter.userBasic(author) : null,
    source_project_id: mr.projectId,
    target_project_id: mr.projectId,
    draft: false,
    work_in_progress: false,
    merge_status: 'can_be_merged',
    detailed_merge_status: 'mergeable',
    sha: head?.sha ?? null,
    merge_commit_sha: null,
    reference: `!${mr.iid}`,
    references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${project.fullPath}!${mr.iid}` },
    web_url: `${ctx.app.externalUrl}/${project.fullPath}/-/merge_requests/${mr.iid}`,
    has_conflicts: false,
  };
}

export function registerMergeRequestRoutes(router: ApiRouter): void {
  router.add('GET', '/api/v4/projects/:id/merge_requests', async (ctx, { id = '' }) => {
    const { project } = projectAccess(ctx, id);
    return pagedJson(ctx, findMergeRequests(ctx, project, await ctx.params()), (mr) => present(ctx, mr));
  });

  router.add('GET', '/api/v4/projects/:id/merge_requests/:iid#', (ctx, { id = '', iid = '' }) => {
    const { project } = projectAccess(ctx, id);
    const mr = mergeRequestIn(ctx, project, iid);
    const head = ctx.app.state.mergeRequests.headPipelineOf(mr);
    const basic = present(ctx, mr);
    return jsonReply(200, {
      ...basic,
      ...(head === undefined ? {} : { head_pipeline: head && ctx.app.presenter.pipelineDetail(head) }),
      diff_refs: { base_sha: null, head_sha: basic.sha, start_sha: null },
    });
  });

  router.add('GET', '/api/v4/projects/:id/merge_requests/:iid#/pipelines', (ctx, { id = '', iid = '' }) => {
    const { project } = projectAccess(ctx, id);
    const mr = mergeRequestIn(ctx, project, iid);
    return pagedJson(ctx, ctx.app.state.mergeRequests.pipelinesOf(mr), (p) => ctx.app.presenter.pipelineBasic(p));
  });

  router.add('POST', '/api/v4/projects/:id/merge_requests/:iid#/pipelines', (ctx, { id = '', iid = '' }) => {
    const { project, role, userId } = projectAccess(ctx, id);
    const mr = mergeRequestIn(ctx, project, iid);
    requireRole(role, 'developer');
    const pipeline = ctx.app.state.mergeRequests.createPipeline(mr, userId);
    return jsonReply(201, ctx.app.presenter.pipelineDetail(pipeline));
  });
}
