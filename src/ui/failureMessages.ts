import { GitLabError, GitLabHttpError } from '../gitlab/errors';

/**
 * One sentence for a failed action that says what happened and what to do next. Decided by the error's
 * reason (status codes and GitLab's error codes), never by matching message text.
 */
export function describeFailure(action: string, error: unknown): { message: string; signIn: boolean } {
  if (!(error instanceof GitLabError)) {
    return { message: `${action} failed: ${error instanceof Error ? error.message : String(error)}`, signIn: false };
  }
  const gitlabSays = error instanceof GitLabHttpError && error.gitlabMessage ? ` GitLab says: “${error.gitlabMessage}”.` : '';
  switch (error.reason) {
    case 'unauthorized':
      return { message: `${action} failed: GitLab did not accept the token. Sign in again.`, signIn: true };
    case 'token-expired':
      return { message: `${action} failed: the token has expired or was revoked. Sign in again with a new token.`, signIn: true };
    case 'insufficient-scope':
      return { message: `${action} failed: your token can't do this — it needs the "api" scope (read_api only reads). Sign in with a token that has it.`, signIn: true };
    case 'forbidden':
      return { message: `${action} failed: your token or role can't do this here.${gitlabSays}`, signIn: false };
    case 'not-found':
      return { message: `${action} failed: it is gone (deleted, expired or never there), or you can't see it.${gitlabSays}`, signIn: false };
    case 'bad-request':
      return { message: `${action} failed: GitLab refused the request.${gitlabSays}`, signIn: false };
    case 'rate-limited':
      return { message: `${action} failed: GitLab is rate-limiting requests. Try again in a minute.`, signIn: false };
    case 'server-error':
      return { message: `${action} failed: GitLab had a server error. Try again shortly.${gitlabSays}`, signIn: false };
    case 'network':
      if (error.advice) return { message: `${action} failed: ${error.advice}`, signIn: false };
      return { message: `${action} failed: GitLab can't be reached. Check the network, proxy and certificate settings.`, signIn: false };
    case 'timeout':
      return { message: `${action} failed: GitLab did not answer in time. Try again.`, signIn: false };
    case 'malformed-response':
      return { message: `${action} failed: the answer was not what GitLab sends — is the instance URL right (no login page or proxy in between)?`, signIn: false };
    default:
      return { message: `${action} failed: ${error.message}`, signIn: false };
  }
}
