import { describeNetworkFailure } from './network/failures';

/**
 * Typed failures of GitLab requests. Callers branch on `reason` (derived from status codes and GitLab's
 * error codes, never from message text) to tell the user what to do next.
 */
export type FailureReason =
  | 'unauthorized' // 401: no token or a bad one
  | 'token-expired' // 401 invalid_token: expired or revoked
  | 'insufficient-scope' // 403 insufficient_scope: the token lacks `api` / `read_api`
  | 'forbidden' // 403: the role or the object's state does not allow it
  | 'not-found' // 404
  | 'bad-request' // 400, 405, 409, 422
  | 'rate-limited' // 429
  | 'server-error' // 5xx
  | 'unexpected-status' // anything else that is not a success
  | 'network' // connection refused, reset, DNS, TLS
  | 'timeout'
  | 'aborted' // the caller's AbortSignal
  | 'malformed-response'; // not what GitLab sends (HTML login page, broken JSON, wrong shape)

export class GitLabError extends Error {
  constructor(
    readonly reason: FailureReason,
    /** What was asked, e.g. `POST /projects/42/jobs/7/retry` (never contains the token). */
    readonly operation: string,
    message: string,
    options?: { cause?: unknown; transient?: boolean; advice?: string },
  ) {
    super(message, options);
    this.name = 'GitLabError';
    this.transient = options?.transient ?? false;
    this.advice = options?.advice;
  }

  /** A passing failure (reset, timeout): an idempotent request may be sent again. */
  readonly transient: boolean;
  /** What went wrong and what to do, for the user, when the cause is known precisely (a proxy's 407, an unknown CA). */
  readonly advice: string | undefined;
}

export class GitLabHttpError extends GitLabError {
  constructor(
    operation: string,
    readonly status: number,
    /** GitLab's own words: the `message` or `error` (and `error_description`) of its JSON body. */
    readonly gitlabMessage: string,
    /** GitLab's machine-readable error, e.g. `invalid_token`, `insufficient_scope`. */
    readonly errorCode: string | undefined,
    /** For 429 and 503: how long GitLab asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(reasonForStatus(status, errorCode), operation, `${operation}: ${status} ${gitlabMessage}`.trim());
    this.name = 'GitLabHttpError';
  }
}

export class GitLabAbortError extends GitLabError {
  constructor(operation: string) {
    super('aborted', operation, `${operation}: cancelled`);
    this.name = 'AbortError';
  }
}

function reasonForStatus(status: number, errorCode: string | undefined): FailureReason {
  if (status === 401) return errorCode === 'invalid_token' ? 'token-expired' : 'unauthorized';
  if (status === 403) return errorCode === 'insufficient_scope' ? 'insufficient-scope' : 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  if (status === 400 || status === 405 || status === 409 || status === 422) return 'bad-request';
  return 'unexpected-status';
}

/** GitLab's error bodies: `{"message": "..."}`, `{"message": {"field": ["..."]}}`, `{"error": "...", "error_description": "..."}`. */
export function parseErrorBody(text: string, contentType: string | undefined): { message: string; errorCode?: string } {
  if (contentType?.includes('json')) {
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      const errorCode = typeof body.error === 'string' ? body.error : undefined;
      if (errorCode !== undefined) {
        const description = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
        return { message: `${errorCode}${description}`, errorCode };
      }
      if (body.message !== undefined) return { message: flattenMessage(body.message) };
    } catch {
      // Fall through to the raw text: a proxy may label an HTML page as JSON.
    }
  }
  const firstLine = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  return { message: firstLine };
}

function flattenMessage(message: unknown): string {
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(flattenMessage).join('; ');
  if (message !== null && typeof message === 'object') {
    return Object.entries(message)
      .map(([key, value]) => (key === 'error' || key === 'base' ? flattenMessage(value) : `${key} ${flattenMessage(value)}`))
      .join('; ');
  }
  return String(message);
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** Any failure (undici's, a stream's, ours) as a GitLabError. Also used by callers that read a body themselves. */
export function toGitLabError(cause: unknown, operation: string, signal?: AbortSignal): GitLabError {
  if (cause instanceof GitLabError) return cause;
  if (signal?.aborted) return new GitLabAbortError(operation);
  const code = errorCode(cause);
  const detail = cause instanceof Error ? cause.message : String(cause);
  const advice = describeNetworkFailure(cause, code);
  if (advice && code !== 'ECONNREFUSED') return new GitLabError('network', operation, `${operation}: ${advice}`, { cause, advice });
  if (cause instanceof Error && cause.name === 'AbortError') return new GitLabAbortError(operation);
  if (code && TIMEOUT_CODES.has(code)) return new GitLabError('timeout', operation, `${operation}: timed out (${detail})`, { cause, transient: true });
  if (code && NETWORK_CODES.has(code)) {
    return new GitLabError('network', operation, `${operation}: the connection failed (${code}: ${detail})`, { cause, transient: true, advice });
  }
  // Unknown host, certificate problems and the like: sending again will not help.
  return new GitLabError('network', operation, `${operation}: cannot reach the server (${code ?? detail}${code ? `: ${detail}` : ''})`, { cause });
}

function errorCode(cause: unknown): string | undefined {
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
