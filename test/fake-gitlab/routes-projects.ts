import type { ApiRouter } from './app';
import { lastActivity, projectBasicDetails, projectWithAccess } from './entities-projects';
import { jsonReply, paramBoolean, paramString, unauthorized } from './http';
import type { ProjectRecord } from './model';
import { oneOf, orderedBy, pagedJson, projectAccess } from './route-helpers';

const projectOrders = ['id', 'name', 'path', 'created_at', 'updated_at', 'last_activity_at', 'star_count'] as const;

export function registerProjectRoutes(router: ApiRouter): void {
  router.add('GET', '/api/v4/user', (ctx) => jsonReply(200, ctx.app.presenter.currentUser(ctx.actor().user)));

  router.add('GET', '/api/v4/personal_access_tokens/self', (ctx) => {
    const { token } = ctx.actor();
    if (!token) throw unauthorized();
    return jsonReply(200, {
      id: token.id,
      name: token.name,
      revoked: token.revoked,
      created_at: token.createdAt.toISOString(),
      description: null,
      scopes: token.scopes,
      user_id: token.userId,
      last_used_at: ctx.app.state.now().toISOString(),
      active: !token.revoked,
      expires_at: token.expiresAt,
    });
  });

  // ProjectsFinder. Every project of the fake is private, so the visible ones are the member ones, with
  // `membership=true` or without.
  router.add('GET', '/api/v4/projects', async (ctx) => {
    const { user } = ctx.actor();
    const { state, externalUrl } = ctx.app;
    const params = await ctx.params();
    paramBoolean(params, 'membership');
    const simple = paramBoolean(params, 'simple') ?? false;
    const searchNamespaces = paramBoolean(params, 'search_namespaces') ?? false;
    const search = paramString(params, 'search')?.toLowerCase();
    const orderBy = oneOf(params, 'order_by', projectOrders) ?? 'created_at';
    const sort = oneOf(params, 'sort', ['asc', 'desc'] as const) ?? 'desc';
    const matches = (project: ProjectRecord): boolean => search === undefined
      || [project.name, project.path, project.description, ...(searchNamespaces ? [project.fullPath] : [])]
        .some((text) => text.toLowerCase().includes(search));
    const projects = [...state.projects.values()].filter((p) => p.members.has(user.id) && matches(p));
    const key = (p: ProjectRecord): string | number => {
      switch (orderBy) {
        case 'name': return p.name.toLowerCase();
        case 'path': return p.path;
        case 'created_at': return p.createdAt.getTime();
        case 'updated_at':
        case 'last_activity_at': return lastActivity(state, p).getTime();
        default: return p.id;
      }
    };
    return pagedJson(ctx, orderedBy(projects, key, sort), (p) => (simple
      ? projectBasicDetails(state, externalUrl, p)
      : projectWithAccess(state, externalUrl, p, p.members.get(user.id))));
  });

  router.add('GET', '/api/v4/projects/:id', (ctx, { id = '' }) => {
    const { project, role } = projectAccess(ctx, id);
    return jsonReply(200, projectWithAccess(ctx.app.state, ctx.app.externalUrl, project, role));
  });
}
