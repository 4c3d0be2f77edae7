import type { ApiContext, ApiRouter } from './app';
import { requireRole } from './auth';
import {
  ApiError, forbidden, invalidParam, jsonReply, paramBoolean, paramObjects, paramString, type Params,
} from './http';
import type { PipelineRecord, PipelineVariable, ProjectRecord } from './model';
import { byIdDesc, oneOf, orderedBy, pagedJson, pipelineIn, projectAccess, statusScope } from './route-helpers';
import { pipelineInputsFor, rememberPipelineInputs } from './routes-ci-lint';
import { completedStatuses, jobStatuses, pipelineSources } from './types';

const pipelineOrders = ['id', 'status', 'ref', 'updated_at', 'user_id'] as const;

function dateParam(params: Params, key: string): number | undefined {
  const value = paramString(params, key);
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalidParam(`${key} is invalid`);
  return time;
}

/** Ci::PipelinesFinder. Child pipelines only show up when asked for with source=parent_pipeline. */
function findPipelines(ctx: ApiContext, project: ProjectRecord, params: Params): PipelineRecord[] {
  const state = ctx.app.state;
  const scope = oneOf(params, 'scope', ['running', 'pending', 'finished', 'branches', 'tags'] as const);
  const status = oneOf(params, 'status', jobStatuses);
  const source = oneOf(params, 'source', pipelineSources);
  const orderBy = oneOf(params, 'order_by', pipelineOrders) ?? 'id';
  const sort = oneOf(params, 'sort', ['asc', 'desc'] as const) ?? 'desc';
  const ref = paramString(params, 'ref');
  const sha = paramString(params, 'sha');
  const name = paramString(params, 'name');
  const username = paramString(params, 'username');
  const updatedAfter = dateParam(params, 'updated_after');
  const updatedBefore = dateParam(params, 'updated_before');
  const createdAfter = dateParam(params, 'created_after');
  const createdBefore = dateParam(params, 'created_before');
  const userId = username === undefined ? undefined : [...state.users.values()].find((u) => u.username === username)?.id ?? -1;

  let pipelines = [...state.pipelines.values()].filter((p) => p.projectId === project.id);
  pipelines = source === undefined ? pipelines.filter((p) => p.source !== 'parent_pipeline') : pipelines.filter((p) => p.source === source);
  if (scope === 'running' || scope === 'pending') pipelines = pipelines.filter((p) => p.status === scope);
  if (scope === 'finished') pipelines = pipelines.filter((p) => completedStatuses.includes(p.status) && p.status !== 'skipped');
  if (scope === 'branches' || scope === 'tags') {
    const kind = scope === 'branches' ? 'branch' : 'tag';
    const latestPerRef = new Map<string, number>();
    for (const p of pipelines) {
      if (state.findRef(project, p.ref)?.kind === kind) latestPerRef.set(p.ref, Math.max(latestPerRef.get(p.ref) ?? 0, p.id));
    }
    pipelines = pipelines.filter((p) => latestPerRef.get(p.ref) === p.id);
  }
  pipelines = pipelines.filter((p) =>
    (status === undefined || p.status === status)
    && (ref === undefined || p.ref === ref)
    && (sha === undefined || p.sha === sha)
    && (name === undefined || p.name === name)
    && (userId === undefined || p.userId === userId)
    && (updatedAfter === undefined || p.updatedAt.getTime() > updatedAfter)
    && (updatedBefore === undefined || p.updatedAt.getTime() < updatedBefore)
    && (createdAfter === undefined || p.createdAt.getTime() > createdAfter)
    && (createdBefore === undefined || p.createdAt.getTime() < createdBefore));
  const key = (p: PipelineRecord): string | number => {
    switch (orderBy) {
      case 'status': return p.status;
      case 'ref': return p.ref;
      case 'updated_at': return p.updatedAt.getTime();
      case 'user_id': return p.userId;
      default: return p.id;
    }
  };
  return orderedBy(pipelines, key, sort);
}

function pipelineVariables(params: Params): PipelineVariable[] {
  return paramObjects(params, 'variables').map((v, index) => {
    if (v.key === undefined) throw invalidParam(`variables[${index}][key] is missing`);
    const type = v.variable_type ?? 'env_var';
    if (type !== 'env_var' && type !== 'file') throw invalidParam(`variables[${index}][variable_type] does not have a valid value`);
    return { key: v.key, value: v.value ?? '', variable_type: type };
  });
}

export function registerPipelineRoutes(router: ApiRouter): void {
  router.add('GET', '/api/v4/projects/:id/pipelines', async (ctx, { id = '' }) => {
    const { project } = projectAccess(ctx, id);
    const pipelines = findPipelines(ctx, project, await ctx.params());
    return pagedJson(ctx, pipelines, (p) => ctx.app.presenter.pipelineListItem(p));
  });

  router.add('GET', '/api/v4/projects/:id/pipelines/latest', async (ctx, { id = '' }) => {
    const { project } = projectAccess(ctx, id);
    const refName = paramString(await ctx.params(), 'ref') ?? project.defaultBranch;
    const ref = ctx.app.state.findRef(project, refName);
    const head = ref?.commits[ref.commits.length - 1];
    const latest = byIdDesc([...ctx.app.state.pipelines.values()].filter((p) =>
      p.projectId === project.id && p.ref === refName && p.sha === head?.sha && p.source !== 'parent_pipeline'))[0];
    if (!latest) throw forbidden();
    return jsonReply(200, ctx.app.presenter.pipelineDetail(latest));
  });

  router.add('GET', '/api/v4/projects/:id/pipelines/:pipeline_id#', (ctx, { id = '', pipeline_id = '' }) => {
    const { project } = projectAccess(ctx, id);
    return jsonReply(200, ctx.app.presenter.pipelineDetail(pipelineIn(ctx, project, pipeline_id)));
  });

  router.add('GET', '/api/v4/projects/:id/pipelines/:pipeline_id#/jobs', async (ctx, { id = '', pipeline_id = '' }) => {
    const { project } = projectAccess(ctx, id);
    const pipeline = pipelineIn(ctx, project, pipeline_id);
    const params = await ctx.params();
    const scope = statusScope(params);
    const includeRetried = paramBoolean(params, 'include_retried') ?? false;
    const jobs = ctx.app.state.pipelineJobs(pipeline.id, includeRetried)
      .filter((j) => j.kind === 'build' && (scope === undefined || scope.includes(j.status)));
    return pagedJson(ctx, byIdDesc(jobs), (j) => ctx.app.presenter.job(j));
  });

  router.add('GET', '/api/v4/projects/:id/pipelines/:pipeline_id#/bridges', async (ctx, { id = '', pipeline_id = '' }) => {
    const { project } = projectAccess(ctx, id);
    const pipeline = pipelineIn(ctx, project, pipeline_id);
    const scope = statusScope(await ctx.params());
    const bridges = ctx.app.state.pipelineJobs(pipeline.id)
      .filter((j) => j.kind === 'bridge' && (scope === undefined || scope.includes(j.status)));
    return pagedJson(ctx, byIdDesc(bridges), (j) => ctx.app.presenter.bridge(j));
  });

  router.add('POST', '/api/v4/projects/:id/pipelines/:pipeline_id#/retry', (ctx, { id = '', pipeline_id = '' }) => {
    const { project, role, userId } = projectAccess(ctx, id);
    const pipeline = pipelineIn(ctx, project, pipeline_id);
    requireRole(role, 'developer');
    ctx.app.state.retryPipeline(pipeline, userId);
    return jsonReply(201, ctx.app.presenter.pipelineDetail(pipeline));
  });

  router.add('POST', '/api/v4/projects/:id/pipelines/:pipeline_id#/cancel', (ctx, { id = '', pipeline_id = '' }) => {
    const { project, role } = projectAccess(ctx, id);
    const pipeline = pipelineIn(ctx, project, pipeline_id);
    requireRole(role, 'developer');
    ctx.app.state.cancelPipeline(pipeline);
    return jsonReply(200, ctx.app.presenter.pipelineDetail(pipeline));
  });

  router.add('POST', '/api/v4/projects/:id/pipeline', async (ctx, { id = '' }) => {
    const { project, role, userId } = projectAccess(ctx, id);
    requireRole(role, 'developer');
    const params = await ctx.params();
    const ref = paramString(params, 'ref');
    if (ref === undefined) throw invalidParam('ref is missing');
    const variables = pipelineVariables(params);
    if (!ctx.app.state.findRef(project, ref)) throw new ApiError(400, { message: { base: ['Reference not found'] } });
    if (ctx.app.state.mergeRequests.mergeRequestPipelinesOnly.has(project.id)) throw new ApiError(400, { message: { base: ['Pipeline filtered out by workflow rules.'] } });
    const inputs = pipelineInputsFor(ctx.app.features, project, params);
    const pipeline = ctx.app.state.createPipeline(project, { ref, userId, source: 'api', variables });
    rememberPipelineInputs(pipeline, inputs);
    return jsonReply(201, ctx.app.presenter.pipelineDetail(pipeline));
  });
}
