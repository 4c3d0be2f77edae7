import * as path from 'node:path';
import type { ApiContext, ApiRouter } from './app';
import { requireRole } from './auth';
import { checkedEntryPath, presentArchive, presentEntry } from './downloads';
import { invalidParam, jsonReply, notFound, paramBoolean, paramString, recordNotFound, type Reply } from './http';
import type { JobRecord, ProjectRecord, StoredArtifact } from './model';
import type { Features } from './types';
import { buildIn, byIdDesc, pagedJson, projectAccess } from './route-helpers';
import { listZip } from './zip-reader';

/** How long after DELETE /projects/:id/artifacts the background expiry runs. */
const projectExpiryDelayMs = 50;

/** latest_successful_build_for_ref!: the named job of the newest successful pipeline for a branch or tag. */
function latestSuccessfulBuild(ctx: ApiContext, project: ProjectRecord, ref: string, jobName: string, searchRecent: boolean): JobRecord {
  const state = ctx.app.state;
  const pipelines = byIdDesc([...state.pipelines.values()].filter((p) =>
    p.projectId === project.id && p.ref === ref && p.status === 'success' && p.source !== 'parent_pipeline'));
  for (const pipeline of searchRecent ? pipelines : pipelines.slice(0, 1)) {
    const candidates = [pipeline, ...state.descendantPipelines(pipeline)]
      .flatMap((p) => state.pipelineJobs(p.id))
      .filter((j) => j.kind === 'build' && j.name === jobName && j.status === 'success');
    const found = byIdDesc(candidates).find((j) => !searchRecent || state.archiveOf(j));
    if (found) return found;
  }
  throw recordNotFound();
}

async function buildForRef(ctx: ApiContext, projectId: string, ref: string): Promise<JobRecord> {
  const params = await ctx.params();
  const jobName = paramString(params, 'job');
  if (jobName === undefined) throw invalidParam('job is missing');
  const { project } = projectAccess(ctx, projectId, 'userOrJob');
  return latestSuccessfulBuild(ctx, project, ref, jobName, paramBoolean(params, 'search_recent_successful_pipelines') ?? false);
}

/**
 * The tree endpoint (18.8+), listing from the artifacts metadata: folder paths end in `/` and have no size,
 * `mode` is the permission bits padded to six digits (null for implied folders); without `recursive`, one
 * level with folders first.
 */
async function archiveTree(ctx: ApiContext, artifact: StoredArtifact | undefined): Promise<Reply> {
  if (!artifact) throw notFound();
  const params = await ctx.params();
  const base = checkedEntryPath((paramString(params, 'path') ?? '').replace(/^\/+|\/+$/g, ''));
  const recursive = paramBoolean(params, 'recursive') ?? false;
  const entries = await listZip(artifact.filePath);
  if (base !== '' && !entries.some((e) => e.path === base && e.type === 'directory')) throw notFound();
  const prefix = base === '' ? '' : `${base}/`;
  const listed = entries.filter((e) => e.path.startsWith(prefix) && (recursive || !e.path.slice(prefix.length).includes('/')));
  const ordered = recursive ? listed : [...listed.filter((e) => e.type === 'directory'), ...listed.filter((e) => e.type === 'file')];
  return pagedJson(ctx, ordered, (e) => ({
    name: path.posix.basename(e.path),
    path: e.type === 'directory' ? `${e.path}/` : e.path,
    type: e.type,
    ...(e.type === 'file' ? { size: e.size } : {}),
    mode: e.mode === null ? null : e.mode.padStart(6, '0'),
  }));
}

export function registerArtifactRoutes(router: ApiRouter, features: Features): void {
  router.add('GET', '/api/v4/projects/:id/jobs/artifacts/*ref_name/download', async (ctx, { id = '', ref_name = '' }) => {
    const build = await buildForRef(ctx, id, ref_name);
    return presentArchive(ctx, ctx.app.state.archiveOf(build));
  });

  router.add('GET', '/api/v4/projects/:id/jobs/artifacts/*ref_name/raw/*artifact_path', async (ctx, { id = '', ref_name = '', artifact_path = '' }) => {
    const build = await buildForRef(ctx, id, ref_name);
    return presentEntry(ctx, ctx.app.state.archiveOf(build), artifact_path);
  });

  router.add('GET', '/api/v4/projects/:id/jobs/:job_id#/artifacts', (ctx, { id = '', job_id = '' }) => {
    const { project } = projectAccess(ctx, id, 'userOrJob');
    return presentArchive(ctx, ctx.app.state.archiveOf(buildIn(ctx, project, job_id)));
  });

  router.add('GET', '/api/v4/projects/:id/jobs/:job_id#/artifacts/tree', (ctx, { id = '', job_id = '' }) => {
    const { project } = projectAccess(ctx, id, 'userOrJob');
    return archiveTree(ctx, ctx.app.state.archiveOf(buildIn(ctx, project, job_id)));
  }, () => features.artifactsTree);

  router.add('GET', '/api/v4/projects/:id/jobs/:job_id#/artifacts/*artifact_path', (ctx, { id = '', job_id = '', artifact_path = '' }) => {
    const { project } = projectAccess(ctx, id, 'userOrJob');
    return presentEntry(ctx, ctx.app.state.archiveOf(buildIn(ctx, project, job_id)), artifact_path);
  });

  router.add('POST', '/api/v4/projects/:id/jobs/:job_id#/artifacts/keep', (ctx, { id = '', job_id = '' }) => {
    const { project, role } = projectAccess(ctx, id);
    const job = buildIn(ctx, project, job_id);
    requireRole(role, 'developer');
    if (!ctx.app.state.archiveOf(job)) throw notFound();
    ctx.app.state.keepArtifacts(job);
    return jsonReply(200, ctx.app.presenter.job(job));
  });

  router.add('DELETE', '/api/v4/projects/:id/jobs/:job_id#/artifacts', (ctx, { id = '', job_id = '' }) => {
    const { project, role } = projectAccess(ctx, id);
    requireRole(role, 'maintainer');
    ctx.app.state.deleteJobArtifacts(buildIn(ctx, project, job_id));
    return { status: 204, headers: {}, body: null };
  });

  router.add('DELETE', '/api/v4/projects/:id/artifacts', (ctx, { id = '' }) => {
    const { project, role } = projectAccess(ctx, id);
    requireRole(role, 'maintainer');
    ctx.app.later(projectExpiryDelayMs, () => ctx.app.state.expireProjectArtifacts(project.id));
    return jsonReply(202, { message: '202 Accepted' });
  });
}
