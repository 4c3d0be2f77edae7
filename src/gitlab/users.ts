import { type GitLabClient, projectPath } from './client';
import { GitLabHttpError } from './errors';
import type { CurrentUser, Project, ProjectRef, TokenInfo } from './models';

/** The instance URL serves no GitLab API: a typo, a missing relative URL root (`/gitlab`), or another site. */
export class NotGitLabError extends Error {
  constructor(instanceUrl: string, options: { cause: unknown }) {
    super(
      `${instanceUrl} does not look like a GitLab instance: it has no GitLab API at /api/v4. Check the URL (with its path, e.g. https://example.com/gitlab, if GitLab is installed under one).`,
      options,
    );
    this.name = 'NotGitLabError';
  }
}

/** The instance's page for a new personal access token, named and with the `api` scope ticked. */
export function tokenPageUrl(instanceUrl: string): string {
  const query = new URLSearchParams({ name: 'GitLab CI Lens', scopes: 'api' }).toString().replace(/\+/g, '%20');
  return `${instanceUrl.replace(/\/+$/, '')}/-/user_settings/personal_access_tokens?${query}`;
}

/** Who the token belongs to and what it may do; the projects it reaches. */
export class AccountApi {
  constructor(private readonly client: GitLabClient) {}

  async currentUser(signal?: AbortSignal): Promise<CurrentUser> {
    try {
      return await this.client.json<CurrentUser>('GET', '/user', { signal });
    } catch (error) {
      // GitLab answers /user with 200 or 401 (403 for a blocked user), never 404: a 404 means no GitLab API here.
      if (error instanceof GitLabHttpError && error.status === 404) throw new NotGitLabError(this.client.instanceUrl.href.replace(/\/$/, ''), { cause: error });
      throw error;
    }
  }

  /** The token's own scopes (personal, project and group access tokens). */
  tokenInfo(signal?: AbortSignal): Promise<TokenInfo> {
    return this.client.json('GET', '/personal_access_tokens/self', { signal });
  }

  project(project: ProjectRef, signal?: AbortSignal): Promise<Project> {
    return this.client.json('GET', projectPath(project), { signal });
  }
}
