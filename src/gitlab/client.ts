import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import { GitLabAbortError, GitLabError, GitLabHttpError, parseErrorBody } from './errors';
import { type RetryPolicy, DEFAULT_RETRY_POLICY, isRetryableStatus, retryDelayMs, sleep } from './retry';
import type { ProjectRef } from './models';

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

/** Whose credentials a request carries. Job tokens are for the runner side and artifact downloads. */
export type Auth = 'user' | { jobToken: string } | 'none';

export interface GitLabClientOptions {
  /** The instance, e.g. `https://gitlab.com` or `https://git.example.com/gitlab` (relative URL root). */
  instanceUrl: string;
  token?: string;
  /** `authorization` sends `Authorization: Bearer` (works for personal, project, group and OAuth tokens). */
  tokenHeader?: 'authorization' | 'private-token';
  /** Per attempt: time to the response headers, and the longest silence while reading a body. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
  proxyUrl?: string;
  userAgent?: string;
  /** Diagnostics: one event per attempt. URLs here never carry a token (tokens travel only in headers). */
  onEvent?: (event: RequestEvent) => void;
  dispatcher?: Dispatcher;
}

export interface RequestEvent {
  operation: string;
  url: string;
  attempt: number;
  status?: number;
  error?: GitLabError;
  ms: number;
  retryInMs?: number;
}

export interface RequestOptions {
  query?: Query;
  json?: unknown;
  body?: string | Buffer | Uint8Array | Readable;
  headers?: Record<string, string>;
  auth?: Auth;
  /** Safe to send again after a failure. Defaults to true for GET, HEAD, PUT and DELETE only. */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Statuses besides 2xx that the caller handles itself (304, 416, ...). */
  acceptStatuses?: readonly number[];
  timeoutMs?: number;
}

export interface ApiResponse {
  status: number;
  /** Where the response came from, after redirects. */
  url: URL;
  header: (name: string) => string | undefined;
  /** A header of the first response, before any redirect: GitLab's own (its sha256 ETag on a 302 to object storage). */
  initialHeader: (name: string) => string | undefined;
  body: Dispatcher.ResponseData['body'];
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const MAX_REDIRECTS = 5;

export class GitLabClient {
  readonly instanceUrl: URL;
  readonly apiUrl: URL;
  private readonly retryPolicy: RetryPolicy;
  private dispatcher: Dispatcher | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: GitLabClientOptions) {
    this.instanceUrl = new URL(options.instanceUrl.replace(/\/+$/, '') + '/');
    this.apiUrl = new URL('api/v4/', this.instanceUrl);
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** An API URL: `path` is relative to `/api/v4` (e.g. `/projects/42/jobs`). */
  url(path: string, query?: Query): URL {
    const url = new URL(path.replace(/^\//, ''), this.apiUrl);
    appendQuery(url, query);
    return url;
  }

  /** GET/POST/... an API path and parse the JSON answer; the whole exchange is retried when that is safe. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return this.execute(method, this.url(path, options.query), options, async (response) => {
      return readJson<T>(response, `${method} ${path}`);
    });
  }

  /** Like `json`, with the response headers too (pagination needs them). */
  async jsonWithResponse<T>(method: string, url: URL, options: RequestOptions = {}): Promise<{ data: T; response: ApiResponse }> {
    return this.execute(method, url, options, async (response) => {
      return { data: await readJson<T>(response, `${method} ${url.pathname}`), response };
    });
  }

  /** A request whose body the caller reads (downloads, traces). Redirects to other hosts are followed without credentials. */
  async stream(method: string, target: string | URL, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = typeof target === 'string' ? this.url(target, options.query) : target;
    return this.execute(method, url, options, (response) => Promise.resolve(response));
  }

  /** A request whose body does not matter (204s, 202s). */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.execute(method, this.url(path, options.query), options, async (response) => {
      await response.body.dump();
      return response;
    });
  }

  /** Same origin (scheme, host and port) as the instance: the only place credentials may go. */
  isInstanceOrigin(url: URL): boolean {
    return url.origin === this.instanceUrl.origin;
  }

  private async execute<T>(
    method: string,
    url: URL,
    options: RequestOptions,
    consume: (response: ApiResponse) => Promise<T>,
  ): Promise<T> {
    const operation = `${method} ${describeUrl(url, this.apiUrl)}`;
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let response: ApiResponse | undefined;
      try {
        response = await this.sendFollowingRedirects(method, url, options, operation);
        if (response.status >= 300 && !options.acceptStatuses?.includes(response.status)) throw await httpError(operation, response);
        const result = await consume(response);
        this.options.onEvent?.({ operation, url: url.href, attempt, status: response.status, ms: Date.now() - started });
        return result;
      } catch (cause) {
        const error = toGitLabError(cause, operation, options.signal);
        const delay = this.retryDelay(error, idempotent, attempt);
        this.options.onEvent?.({ operation, url: url.href, attempt, status: response?.status, error, ms: Date.now() - started, retryInMs: delay });
        if (delay === undefined) throw error;
        await sleep(delay, options.signal).catch(() => {
          throw new GitLabAbortError(operation);
        });
      }
    }
  }

  private retryDelay(error: GitLabError, idempotent: boolean, attempt: number): number | undefined {
    if (!idempotent || attempt >= this.retryPolicy.maxAttempts) return undefined;
    if (error instanceof GitLabHttpError) {
      if (!isRetryableStatus(error.status)) return undefined;
      const delay = retryDelayMs(attempt, this.retryPolicy, error.retryAfterMs);
      return delay <= this.retryPolicy.maxWaitMs ? delay : undefined;
    }
    if (error.transient) return retryDelayMs(attempt, this.retryPolicy);
    return undefined;
  }

  private async sendFollowingRedirects(method: string, firstUrl: URL, options: RequestOptions, operation: string): Promise<ApiResponse> {
    let url = firstUrl;
    let initialHeader: ApiResponse['header'] | undefined;
    for (let hop = 0; ; hop++) {
      const withCredentials = this.isInstanceOrigin(url);
      const response = await this.sendOnce(method, url, options, withCredentials);
      initialHeader ??= response.header;
      response.initialHeader = initialHeader;
      const location = response.header('location');
      const redirectable = method === 'GET' || method === 'HEAD';
      if (!redirectable || response.status < 300 || response.status >= 400 || response.status === 304 || !location) return response;
      discardBody(response.body);
      if (hop >= MAX_REDIRECTS) throw new GitLabError('malformed-response', operation, `${operation}: more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
    }
  }

  private async sendOnce(method: string, url: URL, options: RequestOptions, withCredentials: boolean): Promise<ApiResponse> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'gitlab-ci-lens', accept: 'application/json, */*' };
    if (withCredentials) {
      Object.assign(headers, this.credentialHeaders(options.auth ?? 'user'), options.headers);
    } else {
      // Another host (object storage, a CDN): nothing that identifies us to GitLab may go there.
      for (const [name, value] of Object.entries(options.headers ?? {})) {
        if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) headers[name] = value;
      }
    }
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const timeout = options.timeoutMs ?? this.timeoutMs;
    const { request } = loadUndici();
    this.dispatcher ??= this.options.dispatcher ?? createDispatcher(this.options);
    const raw = await request.call(this.dispatcher, {
      origin: url.origin,
      path: url.pathname + url.search,
      method,
      headers,
      body,
      signal: options.signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const header = (name: string) => {
      const value = raw.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    return { status: raw.statusCode, url, header, initialHeader: header, body: raw.body };
  }

  private credentialHeaders(auth: Auth): Record<string, string> {
    if (auth === 'none') return {};
    if (auth !== 'user') return { 'job-token': auth.jobToken };
    const token = this.options.token;
    if (!token) return {};
    return this.options.tokenHeader === 'private-token' ? { 'private-token': token } : { authorization: `Bearer ${token}` };
  }
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'private-token', 'job-token', 'cookie']);

/** `42` stays `42`; `group/sub/project` becomes `group%2Fsub%2Fproject`, as GitLab wants it in a path. */
export function projectPath(project: ProjectRef): string {
  return `/projects/${encodeURIComponent(String(project))}`;
}

/** Stops reading a body we do not want; undici reports the abort as an error, which is expected here. */
export function discardBody(body: ApiResponse['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function describeUrl(url: URL, apiUrl: URL): string {
  return url.href.startsWith(apiUrl.href) ? '/' + url.pathname.slice(apiUrl.pathname.length) : url.origin + url.pathname;
}

function appendQuery(url: URL, query: Query | undefined): void {
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value as readonly (string | number)[]) url.searchParams.append(key, String(item));
    else url.searchParams.set(key, String(value));
  }
}

export async function readJson<T>(response: ApiResponse, operation: string): Promise<T> {
  const contentType = response.header('content-type') ?? '';
  if (!contentType.includes('json')) {
    discardBody(response.body); // an HTML page or a file: not worth reading
    throw new GitLabError(
      'malformed-response',
      operation,
      `${operation}: expected JSON but got ${contentType || 'no content type'} — is ${response.url.origin} a GitLab instance (not a login page or proxy)?`,
    );
  }
  const text = await response.body.text();
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new GitLabError('malformed-response', operation, `${operation}: the response is not valid JSON (${text.length} bytes)`, { cause });
  }
}

async function httpError(operation: string, response: ApiResponse): Promise<GitLabHttpError> {
  const text = (await response.body.text().catch(() => '')).slice(0, 64 * 1024);
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
  if (cause instanceof Error && cause.name === 'AbortError') return new GitLabAbortError(operation);
  if (code && TIMEOUT_CODES.has(code)) return new GitLabError('timeout', operation, `${operation}: timed out (${detail})`, { cause, transient: true });
  if (code && NETWORK_CODES.has(code)) {
    return new GitLabError('network', operation, `${operation}: the connection failed (${code}: ${detail})`, { cause, transient: true });
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

function createDispatcher(options: GitLabClientOptions): Dispatcher {
  const { Agent, ProxyAgent } = loadUndici();
  const tls = { ca: options.tls?.ca, rejectUnauthorized: options.tls?.rejectUnauthorized ?? true };
  if (options.proxyUrl) return new ProxyAgent({ uri: options.proxyUrl, requestTls: tls });
  return new Agent({ connect: tls });
}

type Http = typeof import('./http.js');
let undici: Http | undefined;

/**
 * undici, loaded with the first request: compiling and evaluating it costs more than the rest of activation,
 * which sends none. Required at run time from beside this file: compiled, out/src/gitlab/http.js; bundled,
 * dist/http.js, which the build keeps out of the other bundles.
 */
function loadUndici(): Http {
  undici ??= createRequire(__filename)('./http.js') as Http;
  return undici;
}
