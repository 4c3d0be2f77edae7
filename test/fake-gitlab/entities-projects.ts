import type { ProjectRecord } from './model';
import type { FakeState } from './state';
import { roleRank, type Role } from './types';

/** The newest activity of a project: its creation or its newest pipeline's last change. */
export function lastActivity(state: FakeState, project: ProjectRecord): Date {
  let last = project.createdAt;
  for (const p of state.pipelines.values()) if (p.projectId === project.id && p.updatedAt > last) last = p.updatedAt;
  return last;
}

/** Entities::BasicProjectDetails: what GET /projects lists with `simple=true`. `webBase` is GitLab's external URL. */
export function projectBasicDetails(state: FakeState, webBase: string, project: ProjectRecord): Record<string, unknown> {
  const web = `${webBase}/${project.fullPath}`;
  const namespace = project.namespace;
  return {
    id: project.id,
    description: project.description,
    name: project.name,
    name_with_namespace: `${namespace.fullPath.split('/').join(' / ')} / ${project.name}`,
    path: project.path,
    path_with_namespace: project.fullPath,
    created_at: project.createdAt.toISOString(),
    default_branch: project.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `git@${new URL(webBase).hostname}:${project.fullPath}.git`,
    http_url_to_repo: `${web}.git`,
    web_url: web,
    readme_url: `${web}/-/blob/${project.defaultBranch}/README.md`,
    forks_count: 0,
    avatar_url: null,
    star_count: 0,
    last_activity_at: lastActivity(state, project).toISOString(),
    namespace: {
      id: namespace.id, name: namespace.name, path: namespace.path, kind: 'group', full_path: namespace.fullPath,
      parent_id: namespace.parentId, avatar_url: null, web_url: `${webBase}/groups/${namespace.fullPath}`,
    },
  };
}

/** Entities::ProjectWithAccess: GET /projects/:id, and each project of GET /projects for a signed-in user. */
export function projectWithAccess(state: FakeState, webBase: string, project: ProjectRecord, role: Role | undefined): Record<string, unknown> {
  return {
    ...projectBasicDetails(state, webBase, project),
    container_registry_image_prefix: `${new URL(webBase).host}/${project.fullPath}`,
    visibility: 'private',
    archived: false,
    empty_repo: false,
    jobs_enabled: true,
    builds_access_level: 'enabled',
    ci_config_path: null,
    shared_runners_enabled: true,
    creator_id: 1,
    open_issues_count: 0,
    permissions: {
      project_access: role ? { access_level: roleRank[role], notification_level: 3 } : null,
      group_access: null,
    },
  };
}
