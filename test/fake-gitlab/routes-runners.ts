import type { ApiContext, ApiRouter } from './app';
import { forbidden, invalidParam, jsonReply, notFound, paramBoolean, paramList, paramString, type Params } from './http';
import type { RunnerRecord, UserRecord } from './model';
import { byIdDesc, pagedJson, projectAccess } from './route-helpers';
import { runnerDetailsEntity, runnerEntity, runnerServesProject, runnerStatus, runnerStatuses } from './runner-entities';
import type { FakeState } from './state';
import { roleRank } from './types';

// The user side of runners (lib/api/ci/runners.rb, app/policies/ci/runner_policy.rb). The fake has no
// administrators and no group members, so instance runners are read-only for everyone and group runners
// are seen, never changed, by maintainers of the group's projects.

const runnerTypes = ['instance_type', 'group_type', 'project_type'];
/** Ci::Runner::AVAILABLE_STATUSES_INCL_DEPRECATED. */
const statusFilters = ['active', 'paused', ...runnerStatuses];
/** What `PUT /runners/:id` requires at least one of (the fake changes description and paused/active). */
const updatableKeys = ['description', 'active', 'paused', 'tag_list', 'run_untagged', 'locked', 'access_level', 'maximum_timeout', 'maintenance_note'];

function isMaintainerOf(state: FakeState, user: UserRecord, projectId: number): boolean {
  const role = state.projects.get(projectId)?.members.get(user.id);
  return role !== undefined && roleRank[role] >= roleRank.maintainer;
}

/** Maintainers of a project runner's owner project, or of any of its projects when it has several. */
function administers(state: FakeState, user: UserRecord, runner: RunnerRecord): boolean {
  if (runner.type !== 'project_type') return false;
  const [owner] = runner.projectIds;
  if (owner !== undefined && isMaintainerOf(state, user, owner)) return true;
  return runner.projectIds.length > 1 && runner.projectIds.some((id) => isMaintainerOf(state, user, id));
}

/** read_runner: anyone for instance runners; maintainers of a project (or group) the runner serves. */
function canReadRunner(state: FakeState, user: UserRecord, runner: RunnerRecord): boolean {
  if (runner.type === 'instance_type') return true;
  if (runner.type === 'project_type') return runner.projectIds.some((id) => isMaintainerOf(state, user, id));
  return [...state.projects.values()].some((p) => runnerServesProject(state, runner, p) && isMaintainerOf(state, user, p.id));
}

/** read_builds (GET /runners/:id/jobs): administrators of the runner only; instance runners need an admin. */
export function canReadRunnerJobs(state: FakeState, user: UserRecord, runner: RunnerRecord): boolean {
  return administers(state, user, runner);
}

/** get_runner: Grape first insists on an integer id. */
function runnerOf(ctx: ApiContext, id: string): RunnerRecord {
  if (!/^\d+$/.test(id)) throw invalidParam('id is invalid');
  const runner = ctx.app.state.runners.get(Number(id));
  if (!runner) throw notFound('Runner');
  return runner;
}

function oneOf(params: Params, key: string, allowed: readonly string[]): string | undefined {
  const value = paramString(params, key);
  if (value !== undefined && !allowed.includes(value)) throw invalidParam(`${key} does not have a valid value`);
  return value;
}

/** The filters GET /projects/:id/runners takes: `scope` (deprecated), `type`, `status`, `paused`, `tag_list`. */
function runnerFilter(state: FakeState, params: Params): (runner: RunnerRecord) => boolean {
  const scope = oneOf(params, 'scope', [...statusFilters, ...runnerTypes]);
  const type = oneOf(params, 'type', runnerTypes);
  const status = oneOf(params, 'status', statusFilters);
  const paused = paramBoolean(params, 'paused');
  const tags = paramList(params, 'tag_list')?.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  const matches = (runner: RunnerRecord, wanted: string | undefined): boolean => {
    if (wanted === undefined) return true;
    if (wanted === 'active' || wanted === 'paused') return runner.paused === (wanted === 'paused');
    if ((runnerTypes as readonly string[]).includes(wanted)) return runner.type === wanted;
    return runnerStatus(state, runner) === wanted;
  };
  return (runner) => matches(runner, scope) && matches(runner, type) && matches(runner, status)
    && (paused === undefined || runner.paused === paused)
    && (tags === undefined || tags.every((t) => runner.tags.includes(t)));
}

export function registerRunnersRoutes(router: ApiRouter): void {
  router.add('GET', '/api/v4/projects/:id/runners', async (ctx, { id = '' }) => {
    const { project, role } = projectAccess(ctx, id);
    if (roleRank[role] < roleRank.maintainer) throw forbidden();
    const { state } = ctx.app;
    const keep = runnerFilter(state, await ctx.params());
    const runners = byIdDesc([...state.runners.values()].filter((r) => runnerServesProject(state, r, project) && keep(r)));
    return pagedJson(ctx, runners, (r) => runnerEntity(state, r));
  });

  router.add('GET', '/api/v4/runners/:id', (ctx, { id = '' }) => {
    const { user } = ctx.actor();
    const runner = runnerOf(ctx, id);
    if (!canReadRunner(ctx.app.state, user, runner)) throw forbidden('No access granted');
    return jsonReply(200, runnerDetailsEntity(ctx.app.state, runner));
  });

  router.add('PUT', '/api/v4/runners/:id', async (ctx, { id = '' }) => {
    const { user } = ctx.actor();
    const params = await ctx.params();
    if (!updatableKeys.some((key) => key in params)) {
      throw invalidParam(`${updatableKeys.join(', ')} are missing, at least one parameter must be provided`);
    }
    if ('active' in params && 'paused' in params) throw invalidParam('active, paused are mutually exclusive');
    const active = paramBoolean(params, 'active');
    const paused = paramBoolean(params, 'paused');
    const runner = runnerOf(ctx, id);
    if (!administers(ctx.app.state, user, runner)) throw forbidden('No access granted');
    if (paused !== undefined) runner.paused = paused;
    if (active !== undefined) runner.paused = !active;
    const description = paramString(params, 'description');
    if (description !== undefined) runner.description = description;
    return jsonReply(200, runnerDetailsEntity(ctx.app.state, runner));
  });
}
