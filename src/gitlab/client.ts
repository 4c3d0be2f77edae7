import type { Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import { type ResponseBody, handOn } from './body';
import { EtagCache } from './etagCache';
import { GitLabAbortError, GitLabError, GitLabHttpError, toGitLabError } from './errors';
import { type RetryPolicy, DEFAULT_RETRY_POLICY, isRetryableStatus, retryDelayMs, sleep } from './retry';
import { describeUrl, httpError, parseJson } from './responses';
import { type Traffic, WireMeter, createDispatcher, loadUndici } from './transport';
import type { ProjectRef } from './models';
import type { ProxyOptions } from './network/proxy';

export { toGitLabError } from './errors';
export { readJson } from './responses';
export type { ResponseBody } from './body';
export type { Traffic } from './transport';

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
  /** `ca`: every CA to trust (network/certificates.ts gathers the system's); absent, Node's defaults. */
  tls?: { ca?: string | Buffer | readonly string[]; rejectUnauthorized?: boolean };
  /** Proxies per target protocol, NO_PROXY and proxy credentials (network/proxy.ts); absent, direct. */
  proxy?: ProxyOptions;
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
  /** Body bytes received as sent (compressed when compressed), once the client itself has read the body. */
  wireBytes?: number;
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
  /**
   * `false`: ask for the bytes as stored (with their Content-Length). Requests to the instance ask for gzip
   * otherwise, except ranged reads and artifact paths, which never do.
   */
  compress?: boolean;
  /** `false`: an answer not asked for again (a job that just finished) is not kept for conditional requests. */
  conditional?: boolean;
}

export interface ApiResponse {
  status: number;
  /** Where the response came from, after redirects. */
  url: URL;
  header: (name: string) => string | undefined;
  /** A header of the first response, before any redirect: GitLab's own (its sha256 ETag on a 302 to object storage). */
  initialHeader: (name: string) => string | undefined;
  /** Decoded already when the server compressed it (then `content-length` and `content-encoding` read as absent). */
  body: ResponseBody;
  /** Body bytes received so far as they came off the socket (compressed, when compressed). */
  wireBytes: () => number;
}

/** A JSON answer; `notModified`: GitLab answered 304 and `data` is the very object the last answer gave. */
export interface JsonResult<T> {
  data: T;
  response: ApiResponse;
  notModified: boolean;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const MAX_REDIRECTS = 5;
// GitLab's artifact endpoints send one bogus weak ETag for every artifact (and 304 to it after a change), and
// nginx would gzip a text file and drop its Content-Length: their answers are neither cached nor compressed.
// (Before 18.8, `/artifacts/tree` is such a file download too.)
const ARTIFACT_PATH = /\/artifacts(\/|$)/;

export class GitLabClient {
  readonly instanceUrl: URL;
  readonly apiUrl: URL;
  /** Requests sent and body bytes received over this client's life (benchmarks and diagnostics read it). */
  readonly traffic: Traffic = { requests: 0, wireBytes: 0 };
  /**
   * The last ETag and answer of each JSON GET to the API, for conditional requests. The values it hands
   * out are shared by every caller that asked the same URL: treat them as read-only.
   */
  readonly etagCache = new EtagCache();
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

  /**
   * GET/POST/... an API path and parse the JSON answer; the whole exchange is retried when that is safe.
   * A GET unchanged since last time gives the same object as then (see `jsonWithResponse`): read-only.
   */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.jsonWithResponse<T>(method, this.url(path, options.query), options)).data;
  }

  /**
   * Like `json`, with the response headers too (pagination needs them). A GET of the API is conditional:
   * sent with the last answer's ETag, a 304 gives back that answer's very object (`notModified`), so callers
   * tell "unchanged" with `===`. A server or proxy that sends no ETag just gets plain requests.
   */
  async jsonWithResponse<T>(method: string, url: URL, options: RequestOptions = {}): Promise<JsonResult<T>> {
    const cacheKey = this.cacheKey(method, url, options);
    const cached = cacheKey === undefined ? undefined : this.etagCache.get(cacheKey);
    if (cached) {
      const acceptStatuses = [...(options.acceptStatuses ?? []), 304];
      const headers = { ...options.headers, 'if-none-match': cached.etag };
      const result = await this.requestJson<T>(method, url, { ...options, headers, acceptStatuses }, cacheKey);
      if (result) return result;
      // A 304 for an answer no longer held (evicted meanwhile): ask once more, unconditionally.
    }
    const result = await this.requestJson<T>(method, url, options, cacheKey);
    if (result) return result;
    const operation = `${method} ${describeUrl(url, this.apiUrl)}`;
    throw new GitLabError('malformed-response', operation, `${operation}: answered 304 Not Modified to a request that was not conditional — check any proxy in between`);
  }

  /** A request whose body the caller reads (downloads, traces). Redirects to other hosts are followed without credentials. */
  async stream(method: string, target: string | URL, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = typeof target === 'string' ? this.url(target, options.query) : target;
    return this.execute(method, url, options, false, (response) => Promise.resolve(response));
  }

  /** A request whose body does not matter (204s, 202s). */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.execute(method, this.url(path, options.query), options, true, async (response) => {
      await response.body.dump();
      return response;
    });
  }

  /** Same origin (scheme, host and port) as the instance: the only place credentials may go. */
  isInstanceOrigin(url: URL): boolean {
    return url.origin === this.instanceUrl.origin;
  }

  /** Where a GET's answer may be cached: JSON of the instance's API with the user's own credentials. */
  private cacheKey(method: string, url: URL, options: RequestOptions): string | undefined {
    if (method !== 'GET' || options.conditional === false || (options.auth ?? 'user') !== 'user' || !this.isInstanceOrigin(url) || ARTIFACT_PATH.test(url.pathname)) return undefined;
    if (Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === 'if-none-match')) return undefined; // the caller's own
    return url.href;
  }

  /** One JSON exchange; `undefined` when a 304 names an answer the cache no longer holds. */
  private requestJson<T>(method: string, url: URL, options: RequestOptions, cacheKey: string | undefined): Promise<JsonResult<T> | undefined> {
    const operation = `${method} ${describeUrl(url, this.apiUrl)}`;
    return this.execute(method, url, options, true, async (response): Promise<JsonResult<T> | undefined> => {
      if (response.status === 304) {
        discardBody(response.body);
        const entry = cacheKey === undefined ? undefined : this.etagCache.get(cacheKey);
        if (!entry) return undefined;
        // A 304 from GitLab repeats the headers; one from some proxies does not: the cached ones fill in.
        const header = (name: string) => response.header(name) ?? entry.header(name);
        return { data: entry.data as T, response: { ...response, header }, notModified: true };
      }
      const { data, bytes } = await parseJson<T>(response, operation);
      const etag = response.header('etag');
      if (cacheKey !== undefined && etag && response.status === 200) this.etagCache.set(cacheKey, { etag, data, header: response.header, bytes });
      else if (cacheKey !== undefined) this.etagCache.delete(cacheKey);
      return { data, response, notModified: false };
    });
  }

  private async execute<T>(
    method: string,
    url: URL,
    options: RequestOptions,
    readsBody: boolean,
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
        const wireBytes = readsBody ? response.wireBytes() : undefined;
        this.options.onEvent?.({ operation, url: url.href, attempt, status: response.status, ms: Date.now() - started, wireBytes });
        return result;
      } catch (cause) {
        const error = toGitLabError(cause, operation, options.signal);
        const delay = this.retryDelay(error, idempotent, attempt);
        this.options.onEvent?.({ operation, url: url.href, attempt, status: response?.status, error, ms: Date.now() - started, retryInMs: delay, wireBytes: response?.wireBytes() });
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
      const response = await this.sendOnce(method, url, options, withCredentials, operation);
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

  private async sendOnce(method: string, url: URL, options: RequestOptions, withCredentials: boolean, operation: string): Promise<ApiResponse> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'gitlab-ci-lens', accept: 'application/json, */*' };
    if (withCredentials) {
      Object.assign(headers, this.credentialHeaders(options.auth ?? 'user'), options.headers);
    } else {
      // Another host (object storage, a CDN): nothing that identifies us to GitLab may go there.
      for (const [name, value] of Object.entries(options.headers ?? {})) {
        if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) headers[name] = value;
      }
    }
    // Only GitLab's own answers are worth compressing; a ranged read wants the stored bytes.
    const ranged = Object.keys(headers).some((name) => name.toLowerCase() === 'range');
    if (withCredentials && options.compress !== false && !ranged && !ARTIFACT_PATH.test(url.pathname)) headers['accept-encoding'] = 'gzip';
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const timeout = options.timeoutMs ?? this.timeoutMs;
    const { request } = loadUndici();
    this.dispatcher ??= createDispatcher(this.options);
    const meter = new WireMeter(this.traffic);
    this.traffic.requests++;
    const raw = await request.call(this.dispatcher, {
      origin: url.origin,
      path: url.pathname + url.search,
      method,
      headers,
      body,
      signal: options.signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      opaque: meter,
    });
    return handOn(raw, meter, method, url, operation);
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

function appendQuery(url: URL, query: Query | undefined): void {
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value as readonly (string | number)[]) url.searchParams.append(key, String(item));
    else url.searchParams.set(key, String(value));
  }
}
