import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, forbidden, notFound, unauthorized } from './http';
import type { JobRecord, ProjectRecord, TokenRecord, UserRecord } from './model';
import type { FakeState } from './state';
import { roleRank, type Role } from './types';

/** Who a request acts as: a user through a personal access token, or a running job through its job token. */
export interface Actor {
  user: UserRecord;
  token: TokenRecord | null;
  job: JobRecord | null;
}

/** `user`: PRIVATE-TOKEN or Authorization: Bearer. `userOrJob`: also JOB-TOKEN / job_token, where GitLab allows it. */
export type AuthMode = 'user' | 'userOrJob';

const oauthRealm = 'Bearer realm="Protected by OAuth 2.0"';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function invalidToken(description: string): ApiError {
  return new ApiError(401, { error: 'invalid_token', error_description: description }, {
    'WWW-Authenticate': `${oauthRealm}, error="invalid_token", error_description="${description}"`,
  });
}

export function authenticate(
  state: FakeState, method: string, headers: IncomingHttpHeaders, query: URLSearchParams, mode: AuthMode,
): Actor {
  const bearer = /^Bearer\s+(.+)$/i.exec(header(headers, 'authorization') ?? '')?.[1];
  const userToken = header(headers, 'private-token') ?? query.get('private_token') ?? bearer ?? query.get('access_token');
  if (userToken !== undefined && userToken !== null) return authenticateUserToken(state, method, userToken);
  const jobToken = header(headers, 'job-token') ?? query.get('job_token');
  if (mode === 'userOrJob' && jobToken) {
    const job = state.findJobByToken(jobToken);
    const user = job && state.users.get(job.userId);
    if (!job || job.status !== 'running' || !user) throw unauthorized();
    return { user, token: null, job };
  }
  throw unauthorized();
}

function authenticateUserToken(state: FakeState, method: string, secret: string): Actor {
  const token = state.tokens.find((t) => t.token === secret);
  const user = token && state.users.get(token.userId);
  if (!token || !user) throw unauthorized();
  if (token.revoked) throw invalidToken('Token was revoked. You have to re-authorize from the user.');
  if (token.expiresAt !== null && token.expiresAt <= state.now().toISOString().slice(0, 10)) {
    throw invalidToken('Token is expired. You can either do re-authorization or token refresh.');
  }
  const readOnly = method === 'GET' || method === 'HEAD';
  const allowed = token.scopes.includes('api') || (readOnly && token.scopes.includes('read_api'));
  if (!allowed) {
    const needed = readOnly ? 'api read_api' : 'api';
    const description = 'The request requires higher privileges than provided by the access token.';
    throw new ApiError(403, { error: 'insufficient_scope', error_description: description, scope: needed }, {
      'WWW-Authenticate': `${oauthRealm}, error="insufficient_scope", error_description="${description}", scope="${needed}"`,
    });
  }
  return { user, token, job: null };
}

/** The project by numeric id or full path; a project the actor cannot see does not exist for them. */
export function projectFor(state: FakeState, actor: Actor, idOrPath: string): { project: ProjectRecord; role: Role } {
  const project = state.findProject(idOrPath);
  const role = project?.members.get(actor.user.id);
  if (!project || !role) throw notFound('Project');
  return { project, role };
}

export function requireRole(role: Role, needed: Role): void {
  if (roleRank[role] < roleRank[needed]) throw forbidden();
}
