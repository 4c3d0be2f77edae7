import { readCapped } from './body';
import type { ApiResponse } from './client';
import { GitLabError, GitLabHttpError, parseErrorBody } from './errors';

// GitLab's largest JSON answers (a page of 100 jobs, a test report, a merged CI config) stay far below this;
// beyond it the answer is not GitLab's (or is a gzip bomb) and holding it would cost the whole process.
const MAX_JSON_BYTES = 64 * 1024 * 1024;
// An error body only feeds a message: its first bytes say everything.
const MAX_ERROR_BODY_BYTES = 1024 * 1024;

/** `GET /projects/42/jobs` for the API, the origin and path for anything else: what operations are called in errors. */
export function describeUrl(url: URL, apiUrl: URL): string {
  return url.href.startsWith(apiUrl.href) ? '/' + url.pathname.slice(apiUrl.pathname.length) : url.origin + url.pathname;
}

export async function readJson<T>(response: ApiResponse, operation: string): Promise<T> {
  return (await parseJson<T>(response, operation)).data;
}

/** The body as JSON, and the size of its text; anything else (HTML, a file, broken or oversized JSON) is a clear error. */
export async function parseJson<T>(response: ApiResponse, operation: string): Promise<{ data: T; bytes: number }> {
  const contentType = response.header('content-type') ?? '';
  if (!contentType.includes('json')) {
    response.body.on('error', () => undefined);
    response.body.destroy(); // an HTML page or a file: not worth reading
    throw new GitLabError(
      'malformed-response',
      operation,
      `${operation}: expected JSON but got ${contentType || 'no content type'} — is ${response.url.origin} a GitLab instance (not a login page or proxy)?`,
    );
  }
  const { text, bytes } = await readCapped(response.body, MAX_JSON_BYTES, operation);
  try {
    return { data: JSON.parse(text) as T, bytes };
  } catch (cause) {
    throw new GitLabError('malformed-response', operation, `${operation}: the response is not valid JSON (${bytes} bytes)`, { cause });
  }
}

export async function httpError(operation: string, response: ApiResponse): Promise<GitLabHttpError> {
  const text = await readCapped(response.body, MAX_ERROR_BODY_BYTES, operation).then(
    (body) => body.text.slice(0, 64 * 1024),
    () => '',
  );
  const { message, errorCode } = parseErrorBody(text, response.header('content-type'));
  return new GitLabHttpError(operation, response.status, message, errorCode, waitRequested(response));
}

/** `Retry-After` (seconds or a date) or `RateLimit-Reset` (unix seconds), in milliseconds from now. */
function waitRequested(response: ApiResponse): number | undefined {
  const retryAfter = response.header('retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  const reset = Number(response.header('ratelimit-reset'));
  if (response.status === 429 && Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - Date.now());
  return undefined;
}
