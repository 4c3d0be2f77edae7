import { type GitLabClient, projectPath } from './client';
import type { CurrentUser, Project, ProjectRef, TokenInfo } from './models';

/** Who the token belongs to and what it may do; the projects it reaches. */
export class AccountApi {
  constructor(private readonly client: GitLabClient) {}

  currentUser(signal?: AbortSignal): Promise<CurrentUser> {
    return this.client.json('GET', '/user', { signal });
  }

  /** The token's own scopes (personal, project and group access tokens). */
  tokenInfo(signal?: AbortSignal): Promise<TokenInfo> {
    return this.client.json('GET', '/personal_access_tokens/self', { signal });
  }

  project(project: ProjectRef, signal?: AbortSignal): Promise<Project> {
    return this.client.json('GET', projectPath(project), { signal });
  }
}
