import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { authenticate, type Actor, type AuthMode } from './auth';
import { Presenter } from './entities';
import { faultReply, type Faults } from './faults';
import { compressLikeNginx, corruptGzip } from './compression';
import { ApiError, jsonReply, mergeParams, readBody, type Params, type Reply } from './http';
import type { ObjectStorage } from './object-storage';
import { linkOrigin, type PageLinkBase } from './pagination';
import { Router } from './router';
import { sendReply, withConditionalGet } from './send';
import type { FakeState } from './state';
import type { Features, RecordedRequest } from './types';
import { recordRequest } from './wire';

/** What every API route handler gets. */
export interface ApiContext {
  app: App;
  req: IncomingMessage;
  method: string;
  /** Raw path, percent-encoding kept. */
  path: string;
  query: URLSearchParams;
  /** Query and body parameters merged (read once). */
  params(): Promise<Params>;
  /** The authenticated actor; throws GitLab's 401/403 errors. */
  actor(mode?: AuthMode): Actor;
  /** Base for Link headers: GitLab's configured host and port with this request's scheme, path and query. */
  pageBase(): PageLinkBase;
}

export type ApiRouter = Router<ApiContext>;

export class App {
  readonly router: ApiRouter = new Router<ApiContext>();
  readonly presenter: Presenter;
  readonly requests: RecordedRequest[] = [];
  url = '';
  externalUrl = '';
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly state: FakeState,
    readonly features: Features,
    readonly objectStorage: ObjectStorage,
    readonly storageDir: string,
    readonly faults: Faults,
    /** Aborted by close(), so that a request waiting out a latency fault does not keep the process alive. */
    private readonly closing: AbortController,
  ) {
    this.presenter = new Presenter(state, () => this.externalUrl);
  }

  /** Runs `work` a little later, the way GitLab's background workers do; cancelled by close(). */
  later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }

  stopTimers(): void {
    this.closing.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    const { method, path, query } = recordRequest(req, res, this.requests);
    // A proxy that strips ETags leaves the client nothing to revalidate with.
    if (!this.features.etags) delete req.headers['if-none-match'];

    const plan = this.faults.take('api', method, path);
    if (plan.delayMs > 0) await delay(plan.delayMs, undefined, { signal: this.closing.signal }).catch(() => undefined);
    if (this.closing.signal.aborted) return;
    const replacement = plan.fault && faultReply(plan.fault, this.state.clock.now());
    if (replacement) return sendReply(req, res, replacement);

    let reply: Reply;
    try {
      reply = await this.route(req, method, path, query);
    } catch (error) {
      reply = error instanceof ApiError
        ? jsonReply(error.status, error.body, error.headers)
        : jsonReply(500, { message: '500 Internal Server Error' });
      if (!(error instanceof ApiError)) console.error('fake GitLab: handler failed', error);
    }
    // API::API's `before` block sets the last two on every answer.
    reply.headers['X-Request-Id'] = randomUUID();
    reply.headers['X-Frame-Options'] = 'SAMEORIGIN';
    reply.headers['X-Content-Type-Options'] = 'nosniff';
    const answered = corruptGzip(withConditionalGet(req, reply), plan.fault);
    await sendReply(req, res, await this.throughFront(req, answered), plan.fault);
  }

  /** What stands between GitLab and the client: Omnibus nginx's gzip, and maybe a proxy that strips ETags. */
  private async throughFront(req: IncomingMessage, reply: Reply): Promise<Reply> {
    const sent = this.features.gzip ? await compressLikeNginx(req, reply) : reply;
    if (this.features.etags) return sent;
    const headers = { ...sent.headers };
    delete headers.ETag;
    return { ...sent, headers };
  }

  private async route(req: IncomingMessage, method: string, path: string, query: URLSearchParams): Promise<Reply> {
    const match = this.router.match(method, path);
    if (match === undefined) return jsonReply(404, { error: '404 Not Found' });
    if (match === 'method-not-allowed') return jsonReply(405, { error: '405 Not Allowed' });
    let params: Promise<Params> | undefined;
    let actor: Actor | undefined;
    const ctx: ApiContext = {
      app: this, req, method, path, query,
      params: () => {
        params ??= readBody(req).then((body) => {
          try {
            return mergeParams(query, body, req.headers['content-type']);
          } catch {
            throw new ApiError(400, { error: 'The provided content-type is not supported or the body is not valid' });
          }
        });
        return params;
      },
      actor: (mode = 'user') => {
        actor ??= authenticate(this.state, method, req.headers, query, mode);
        return actor;
      },
      pageBase: () => ({ origin: linkOrigin(this.externalUrl, req.headers['x-forwarded-proto']), path, query }),
    };
    return match.handler(ctx, match.params);
  }
}
