import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import type { GitLabClientOptions } from './client';
import { createNetworkDispatcher } from './network/dispatcher';

/** What a client has received: every response counted, bodies by the bytes that came off the socket. */
export interface Traffic {
  /** HTTP exchanges sent: retries and redirect hops each count. */
  requests: number;
  /** Response body bytes as sent (compressed when the server compressed), before any decoding. */
  wireBytes: number;
}

/** One response's bytes on the wire, added to its client's totals as they arrive. */
export class WireMeter {
  bytes = 0;

  constructor(private readonly traffic: Traffic) {}

  add(byteCount: number): void {
    this.bytes += byteCount;
    this.traffic.wireBytes += byteCount;
  }
}

/** The client's dispatcher: the given one or a new one (CAs, proxy: network/dispatcher.ts), counting each response's body bytes as they arrive. */
export function createDispatcher(options: GitLabClientOptions): Dispatcher {
  const base = options.dispatcher ?? newAgent(options);
  // A request's meter rides in `opaque`, undici's per-request slot that reaches every interceptor untouched.
  return base.compose((dispatch) => (dispatchOptions, handler) => {
    const meter = (dispatchOptions as { opaque?: unknown }).opaque;
    if (!(meter instanceof WireMeter)) return dispatch(dispatchOptions, handler);
    return dispatch(dispatchOptions, {
      onRequestStart: (controller, context: unknown) => handler.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, status, headers, socket) => handler.onRequestUpgrade?.(controller, status, headers, socket),
      onResponseStart: (controller, status, headers, message) => handler.onResponseStart?.(controller, status, headers, message),
      onResponseData: (controller, chunk) => {
        meter.add(chunk.byteLength);
        handler.onResponseData?.(controller, chunk);
      },
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
      onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
    });
  });
}

function newAgent(options: GitLabClientOptions): Dispatcher {
  return createNetworkDispatcher({ ca: options.tls?.ca, rejectUnauthorized: options.tls?.rejectUnauthorized, proxy: options.proxy });
}

type Http = typeof import('./http.js');
let undici: Http | undefined;

/**
 * undici, loaded with the first request: compiling and evaluating it costs more than the rest of activation,
 * which sends none. Required at run time from beside this file: compiled, out/src/gitlab/http.js; bundled,
 * dist/http.js, which the build keeps out of the other bundles.
 */
export function loadUndici(): Http {
  undici ??= createRequire(__filename)('./http.js') as Http;
  return undici;
}
