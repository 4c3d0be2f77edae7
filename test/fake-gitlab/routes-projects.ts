import type { ApiRouter } from './app';
import { jsonReply, unauthorized } from './http';
import { projectAccess } from './route-helpers';

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

  router.add('GET', '/api/v4/projects/:id', (ctx, { id = '' }) => {
    const { project, role } = projectAccess(ctx, id);
    return jsonReply(200, ctx.app.presenter.projectEntity(project, role));
  });
}
