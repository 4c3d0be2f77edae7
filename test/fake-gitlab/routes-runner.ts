import type { ApiContext, ApiRouter } from './app';
import { presentArchive } from './downloads';
import {
  ApiError, badRequest, forbidden, invalidParam, jsonReply, notFound, paramBoolean, paramInteger, paramString,
  readBody, textReply, type Params,
} from './http';
import type { JobRecord, StoredArtifact } from './model';
import { multipartBoundary, parseMultipart } from './multipart';
import { paginateKeyset, paginateOffset } from './pagination';
import { byIdDesc } from './route-helpers';
import { canReadRunnerJobs } from './routes-runners';
import { jobPayload } from './runner-payload';
import { parseExpireIn } from './state';
import { jobStatuses, roleRank } from './types';

/** The kinds Ci::JobArtifact.file_types knows (the ones a runner uploads most). */
const artifactTypes = [
  'archive', 'metadata', 'trace', 'junit', 'sast', 'dependency_scanning', 'container_scanning', 'dast', 'codequality',
  'license_scanning', 'performance', 'metrics', 'metrics_referee', 'network_referee', 'lsif', 'dotenv', 'cobertura',
  'terraform', 'accessibility', 'cluster_applications', 'secret_detection', 'requirements', 'coverage_fuzzing',
  'browser_performance', 'load_performance', 'api_fuzzing', 'cluster_image_scanning', 'cyclonedx', 'requirements_v2',
  'annotations', 'repository_xray', 'jacoco',
];
const artifactFormats = ['raw', 'zip', 'gzip'];

const defaultUpdateIntervalSeconds = 60;
const watchedUpdateIntervalSeconds = 3;

function jobToken(ctx: ApiContext, params: Params): string {
  const header = ctx.req.headers['job-token'];
  return paramString(params, 'token') ?? (Array.isArray(header) ? header[0] : header) ?? '';
}

/** authenticate_job!: 403 for an unknown job or a wrong token; a job that stopped running also says its status. */
function authenticateJob(ctx: ApiContext, jobId: string, token: string): JobRecord {
  const job = ctx.app.state.jobs.get(Number(jobId));
  if (!job || job.kind !== 'build' || !job.token || job.token !== token) throw forbidden();
  if (job.erasedAt) throw forbidden('Job has been erased!');
  if (job.status !== 'running') throw new ApiError(403, { message: '403 Forbidden - Job is not running' }, { 'Job-Status': job.status });
  return job;
}

function updateInterval(ctx: ApiContext, job: JobRecord): string {
  const watched = job.traceWatchedUntil > ctx.app.state.clock.now();
  return String(watched ? watchedUpdateIntervalSeconds : defaultUpdateIntervalSeconds);
}

function oneOf(params: Params, key: string, allowed: readonly string[], fallback: string): string {
  const value = paramString(params, key) ?? fallback;
  if (!allowed.includes(value)) throw invalidParam(`${key} does not have a valid value`);
  return value;
}

async function uploadArtifact(ctx: ApiContext, jobId: string): Promise<ReturnType<typeof textReply>> {
  const { state, storageDir } = ctx.app;
  const query: Params = Object.fromEntries(ctx.query);
  const job = authenticateJob(ctx, jobId, jobToken(ctx, query));
  const boundary = multipartBoundary(ctx.req.headers['content-type']);
  if (!boundary) throw invalidParam('file is missing');
  const form = await parseMultipart(ctx.req, boundary, storageDir, state.maxArtifactsSize);
  const params: Params = { ...query, ...form.fields };
  const file = form.files.find((f) => f.field === 'file');
  if (!file) throw invalidParam('file is missing');
  const type = oneOf(params, 'artifact_type', artifactTypes, 'archive');
  const format = oneOf(params, 'artifact_format', artifactFormats, 'zip');
  const artifact: StoredArtifact = { fileType: type, fileFormat: format, filename: file.filename, size: file.size, filePath: file.path };
  state.attachArtifact(job, artifact);
  const expireIn = paramString(params, 'expire_in');
  if (expireIn !== undefined && type !== 'trace') {
    const ms = parseExpireIn(expireIn);
    job.artifactsExpireAt = ms === null ? null : new Date(state.clock.now() + ms);
  }
  return textReply(201, '201');
}

export function registerRunnerRoutes(router: ApiRouter): void {
  router.add('POST', '/api/v4/jobs/request', async (ctx) => {
    const params = await ctx.params();
    const runner = [...ctx.app.state.runners.values()].find((r) => r.token === paramString(params, 'token'));
    if (!runner) throw forbidden();
    runner.contactedAt = ctx.app.state.now();
    const info = params.info;
    if (info && typeof info === 'object' && !Array.isArray(info) && typeof info.system_id === 'string') runner.systemId = info.system_id;
    if (typeof params.system_id === 'string') runner.systemId = params.system_id;
    const job = runner.paused ? undefined : ctx.app.state.assignJob(runner);
    if (!job) return { status: 204, headers: { 'X-GitLab-Last-Update': String(ctx.app.state.clock.now()) }, body: null };
    return jsonReply(201, jobPayload(ctx.app, job));
  });

  router.add('PUT', '/api/v4/jobs/:id#', async (ctx, { id = '' }) => {
    const params = await ctx.params();
    const job = authenticateJob(ctx, id, jobToken(ctx, params));
    const state = paramString(params, 'state');
    const exitCode = paramInteger(params, 'exit_code');
    if (state === 'success' || state === 'failed') {
      ctx.app.state.finishJob(job, state, {
        ...(exitCode !== undefined ? { exitCode } : {}),
        ...(paramString(params, 'failure_reason') ? { failureReason: paramString(params, 'failure_reason') } : {}),
      });
    } else if (state !== undefined && state !== 'running') {
      throw badRequest();
    }
    return textReply(200, '200', { 'X-GitLab-Trace-Update-Interval': updateInterval(ctx, job) });
  });

  router.add('PATCH', '/api/v4/jobs/:id#/trace', async (ctx, { id = '' }) => {
    const job = authenticateJob(ctx, id, jobToken(ctx, Object.fromEntries(ctx.query)));
    const contentRange = ctx.req.headers['content-range'];
    if (contentRange === undefined) throw new ApiError(400, { message: '400 Missing header Content-Range' });
    const start = Number(/^(\d+)-/.exec(contentRange)?.[1] ?? Number.NaN);
    const body = await readBody(ctx.req, ctx.app.state.maxTraceSize);
    const result = Number.isNaN(start) ? { status: 416 as const, size: job.trace.size } : ctx.app.state.appendTrace(job, start, body);
    if (result.status === 403) throw forbidden();
    const headers = {
      'Job-Status': job.status,
      Range: `0-${result.size}`,
      'X-GitLab-Trace-Update-Interval': updateInterval(ctx, job),
    };
    if (result.status === 416) throw new ApiError(416, { message: '416 Range Not Satisfiable' }, headers);
    return { status: 202, headers, body: null };
  });

  router.add('POST', '/api/v4/jobs/:id#/artifacts/authorize', async (ctx, { id = '' }) => {
    const params = await ctx.params();
    authenticateJob(ctx, id, jobToken(ctx, params));
    oneOf(params, 'artifact_type', artifactTypes, 'archive');
    const size = paramInteger(params, 'filesize');
    const maximum = ctx.app.state.maxArtifactsSize;
    if (size !== undefined && size > maximum) throw new ApiError(413, { message: 'file size has reached maximum size limit' });
    return jsonReply(200, { TempPath: ctx.app.storageDir, MaximumSize: maximum }, { 'Content-Type': 'application/vnd.gitlab-workhorse+json' });
  });

  router.add('POST', '/api/v4/jobs/:id#/artifacts', (ctx, { id = '' }) => uploadArtifact(ctx, id));

  router.add('GET', '/api/v4/jobs/:id#/artifacts', async (ctx, { id = '' }) => {
    const params = await ctx.params();
    const token = jobToken(ctx, params);
    const job = ctx.app.state.jobs.get(Number(id));
    const asker = ctx.app.state.findJobByToken(token);
    const allowed = job && asker && (asker.id === job.id || (asker.status === 'running' && asker.projectId === job.projectId));
    if (!job || !allowed) throw forbidden();
    return presentArchive(ctx, ctx.app.state.archiveOf(job), paramBoolean(params, 'direct_download') ?? false);
  });

  router.add('GET', '/api/v4/runners/:id#/jobs', async (ctx, { id = '' }) => {
    const { user } = ctx.actor();
    const runner = ctx.app.state.runners.get(Number(id));
    if (!runner) throw notFound('Runner');
    if (!canReadRunnerJobs(ctx.app.state, user, runner)) throw forbidden('No access granted');
    const params = await ctx.params();
    const status = paramString(params, 'status');
    if (status !== undefined && !(jobStatuses as readonly string[]).includes(status)) throw invalidParam('status does not have a valid value');
    const orderBy = paramString(params, 'order_by');
    if (orderBy !== undefined && orderBy !== 'id') throw invalidParam('order_by does not have a valid value');
    const sort = oneOf(params, 'sort', ['asc', 'desc'], 'desc');
    const systemId = paramString(params, 'system_id');
    const visible = (projectId: number): boolean => {
      const role = ctx.app.state.projects.get(projectId)?.members.get(user.id);
      return role !== undefined && roleRank[role] >= roleRank.reporter;
    };
    let jobs = byIdDesc(ctx.app.state.findJobs({ kind: 'build', includeRetried: true }).filter((j) =>
      j.runnerId === runner.id && visible(j.projectId) && (status === undefined || j.status === status)
      && (systemId === undefined || systemId === runner.systemId)));
    const present = (j: JobRecord): unknown => ctx.app.presenter.jobWithProject(j);
    if (paramString(params, 'pagination') === 'keyset' || paramString(params, 'cursor') !== undefined) {
      if (sort !== 'desc') throw new ApiError(405, { error: 'Keyset pagination is not yet available for this type of request' });
      const page = paginateKeyset(jobs, ctx.pageBase());
      return jsonReply(200, page.items.map(present), page.headers);
    }
    if (sort === 'asc') jobs = jobs.reverse();
    const page = paginateOffset(jobs, ctx.pageBase(), systemId === undefined);
    return jsonReply(200, page.items.map(present), page.headers);
  });
}
