import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type FailureReason, GitLabError, GitLabHttpError } from '../gitlab/errors';

/** A mistake in the call itself (no project, a missing file): its message says what to change. */
export class ToolUsageError extends Error {
  override readonly name = 'ToolUsageError';
}

/** Whose credentials a tool uses: it decides what a 401 or 403 means for the caller. */
export type CredentialKind = 'user' | 'runner' | 'job';

/** A JSON answer: compact text for the model (unless `texts` says otherwise), the same object as structured content for programs. */
export function jsonResult(value: Record<string, unknown>, texts = [JSON.stringify(value)]): CallToolResult {
  return { content: texts.map((text) => ({ type: 'text', text })), structuredContent: value };
}

/**
 * Any failure as an MCP tool error: GitLab's status and words, and what the caller can do about it, with
 * `hints` (the tool's own knowledge of a failure's cause) before the general ones.
 */
export function errorResult(error: unknown, credentials: CredentialKind, hints: Partial<Record<FailureReason, string>> = {}): CallToolResult {
  if (error instanceof GitLabHttpError) {
    const hint = hints[error.reason] ?? httpHint(error, credentials);
    const details = { status: error.status, reason: error.reason, gitlab_message: error.gitlabMessage, operation: error.operation, hint };
    return failure(`GitLab answered ${error.status} to ${error.operation}: ${sentence(error.gitlabMessage || '(no message)')} ${hint}`, details);
  }
  if (error instanceof GitLabError) {
    const hint = hints[error.reason] ?? FAILURE_HINTS[error.reason] ?? '';
    return failure(`${sentence(error.message)} ${hint}`.trim(), { reason: error.reason, operation: error.operation, hint });
  }
  const message = error instanceof Error ? error.message : String(error);
  return failure(message, { reason: error instanceof Error ? error.name : 'error' });
}

/**
 * No structuredContent: it would have to match the tool's output schema (clients check it even on errors).
 * The details come as a second, JSON text block instead.
 */
function failure(text: string, details: Record<string, unknown>): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }, { type: 'text', text: JSON.stringify({ error: details }) }] };
}

/** Ends the text with one full stop: GitLab's own messages often end with one already. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`;
}

const CREDENTIAL_HINTS: Record<CredentialKind, { unauthorized: string; expired: string; forbidden: string }> = {
  user: {
    unauthorized: 'GITLAB_TOKEN is missing or invalid: create a personal access token (scope api, or read_api for read-only use) and restart the server with it in GITLAB_TOKEN.',
    expired: 'GITLAB_TOKEN has expired or was revoked: create a new token and restart the server with it in GITLAB_TOKEN.',
    forbidden: "Your role on the project does not allow this, or the object's state does not (only finished jobs can be retried, only manual jobs played; deleting or expiring artifacts needs the Maintainer role).",
  },
  runner: {
    unauthorized: 'The runner token is invalid: use the authentication token of a registered runner (glrt-...).',
    expired: 'The runner token has expired or was revoked: register the runner again.',
    forbidden: 'The runner token is not accepted: the runner may be paused, locked to other projects, or removed.',
  },
  job: {
    unauthorized: 'The job token is invalid: job tokens are valid only while their job runs; take the one request-job returned.',
    expired: 'The job token has expired: the job is no longer running.',
    forbidden: 'The job token is not accepted for this: the job may have finished or been canceled, or the token belongs to another job.',
  },
};

function httpHint(error: GitLabHttpError, credentials: CredentialKind): string {
  const hints = CREDENTIAL_HINTS[credentials];
  switch (error.reason) {
    case 'unauthorized':
      return hints.unauthorized;
    case 'token-expired':
      return hints.expired;
    case 'insufficient-scope':
      return 'The token lacks the scope for this: reading needs read_api, changes need api.';
    case 'forbidden':
      return hints.forbidden;
    case 'not-found':
      return 'Check project_id and the ids given; GitLab also answers 404 for projects and jobs the token cannot see, and for jobs without artifacts.';
    case 'rate-limited': {
      const seconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
      return `GitLab is throttling requests: wait${seconds === undefined ? ' a minute' : ` ${seconds} s`} before trying again.`;
    }
    default:
      return FAILURE_HINTS[error.reason] ?? '';
  }
}

const FAILURE_HINTS: Partial<Record<GitLabError['reason'], string>> = {
  'bad-request': "GitLab refused the parameters: its message says which.",
  'server-error': 'GitLab failed on its side: try again in a moment.',
  network: 'Cannot reach GitLab: check GITLAB_URL, the network and any proxy.',
  timeout: 'GitLab did not answer in time: try again, or ask for less (a smaller page).',
  'malformed-response': 'The server at GITLAB_URL does not answer like GitLab: check the URL (the instance root, not a project page).',
  aborted: 'The call was cancelled.',
};

const REDACTED = '[REDACTED]';

/** Replaces every secret (raw or URL-encoded) in the result's texts and structured content. */
export function scrubResult(result: CallToolResult, secrets: readonly string[]): CallToolResult {
  const patterns = secretForms(secrets);
  return patterns.length === 0 ? result : (scrubValue(result, patterns) as CallToolResult);
}

export function scrubText(text: string, secrets: readonly string[]): string {
  return scrubString(text, secretForms(secrets));
}

function secretForms(secrets: readonly string[]): string[] {
  // Very short values would redact ordinary words; no real token is that short.
  const usable = secrets.filter((secret) => secret.length >= 8);
  return [...new Set(usable.flatMap((secret) => [secret, encodeURIComponent(secret)]))];
}

function scrubString(text: string, forms: readonly string[]): string {
  return forms.reduce((current, form) => current.split(form).join(REDACTED), text);
}

function scrubValue(value: unknown, forms: readonly string[]): unknown {
  if (typeof value === 'string') return scrubString(value, forms);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, forms));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, forms)]));
  }
  return value;
}
