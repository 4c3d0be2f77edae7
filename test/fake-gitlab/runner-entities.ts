import type { NamespaceRecord, ProjectRecord, RunnerRecord } from './model';
import type { FakeState } from './state';

const hour = 3600 * 1000;
/** Ci::Runner::ONLINE_CONTACT_TIMEOUT and STALE_TIMEOUT. */
const onlineWithinMs = 2 * hour;
const staleAfterMs = 7 * 24 * hour;

export const runnerStatuses = ['online', 'offline', 'stale', 'never_contacted'] as const;
export type RunnerStatus = (typeof runnerStatuses)[number];

/** Ci::Runner#status: stale wins (offline for a week, or never contacted and a week old). */
export function runnerStatus(state: FakeState, runner: RunnerRecord): RunnerStatus {
  const now = state.clock.now();
  const contacted = runner.contactedAt?.getTime();
  if (contacted === undefined) return now - runner.createdAt.getTime() > staleAfterMs ? 'stale' : 'never_contacted';
  if (now - contacted < onlineWithinMs) return 'online';
  return now - contacted > staleAfterMs ? 'stale' : 'offline';
}

/** The namespace a group runner belongs to (the fake knows namespaces through their projects). */
export function runnerGroup(state: FakeState, runner: RunnerRecord): NamespaceRecord | undefined {
  return [...state.projects.values()].map((p) => p.namespace).find((n) => n.id === runner.groupId);
}

/** Ci::Runner.owned_or_instance_wide: the project's own runners, its groups' runners, and instance runners. */
export function runnerServesProject(state: FakeState, runner: RunnerRecord, project: ProjectRecord): boolean {
  if (runner.type === 'instance_type') return true;
  if (runner.type === 'project_type') return runner.projectIds.includes(project.id);
  const group = runnerGroup(state, runner);
  const path = project.namespace.fullPath;
  return group !== undefined && (path === group.fullPath || path.startsWith(`${group.fullPath}/`));
}

/** Entities::Ci::Runner, with the keys (and their order) of the runner recorded inside a gitlab.com job. */
export function runnerEntity(state: FakeState, runner: RunnerRecord): Record<string, unknown> {
  const status = runnerStatus(state, runner);
  return {
    id: runner.id,
    description: runner.description,
    ip_address: runner.ipAddress,
    active: !runner.paused,
    paused: runner.paused,
    is_shared: runner.type === 'instance_type',
    runner_type: runner.type,
    name: 'gitlab-runner',
    online: status === 'online',
    status,
  };
}

/** Entities::Ci::RunnerDetails: the list entity plus configuration, the last contact and the owning groups. */
export function runnerDetailsEntity(state: FakeState, runner: RunnerRecord): Record<string, unknown> {
  const group = runnerGroup(state, runner);
  return {
    ...runnerEntity(state, runner),
    created_at: runner.createdAt.toISOString(),
    tag_list: [...runner.tags].sort(),
    run_untagged: runner.runUntagged,
    locked: false,
    maximum_timeout: null,
    access_level: 'not_protected',
    version: runner.contactedAt ? '17.0.0' : null,
    revision: runner.contactedAt ? '44feccdf' : null,
    platform: runner.contactedAt ? 'linux' : null,
    architecture: runner.contactedAt ? 'amd64' : null,
    contacted_at: runner.contactedAt?.toISOString() ?? null,
    maintenance_note: null,
    groups: group ? [{ id: group.id, web_url: '', name: group.name }] : [],
  };
}
