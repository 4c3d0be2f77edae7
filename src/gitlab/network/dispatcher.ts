import * as tls from 'node:tls';
import type { Dispatcher } from 'undici';
import { loadUndici } from '../transport';
import { ProxyRefusedError } from './failures';
import { type ProxyOptions, describeProxy, normalizeProxyUrl, proxyFor } from './proxy';

export interface NetworkOptions {
  /** CAs to trust, as PEM (see loadTrustedCertificates); absent: Node's defaults. */
  ca?: string | Buffer | readonly string[];
  /** `false` accepts any certificate (`gitlabCiLens.tls.ignoreCertificateErrors`). */
  rejectUnauthorized?: boolean;
  proxy?: ProxyOptions;
}

/**
 * One dispatcher for a client: direct connections, or per target origin a proxy (NO_PROXY decides), so a
 * redirect to object storage on another host takes the route its own host should. Through a proxy every
 * target, https or not, goes through a CONNECT tunnel: for https GitLab, the token travels only inside TLS.
 */
export function createNetworkDispatcher(options: NetworkOptions): Dispatcher {
  const { Agent } = loadUndici();
  const rejectUnauthorized = options.rejectUnauthorized ?? true;
  // One parsed copy of the CAs for every connection, rather than parsing hundreds of PEMs per handshake.
  const secureContext = options.ca === undefined ? undefined : tls.createSecureContext({ ca: options.ca as string | Buffer | string[] });
  const direct = new Agent({ connect: { secureContext, rejectUnauthorized } });
  const proxy = options.proxy;
  if (!proxy?.httpProxy && !proxy?.httpsProxy) return direct;

  const proxyAgents = new Map<string, Dispatcher>();
  const proxyAgentFor = (proxyUrl: string): Dispatcher => {
    let agent = proxyAgents.get(proxyUrl);
    if (!agent) {
      agent = newProxyAgent(proxyUrl, proxy, { secureContext, rejectUnauthorized });
      proxyAgents.set(proxyUrl, agent);
    }
    return agent;
  };
  return direct.compose((dispatch) => (dispatchOptions, handler) => {
    const proxyUrl = dispatchOptions.origin === undefined ? undefined : proxyFor(new URL(dispatchOptions.origin), proxy);
    return proxyUrl === undefined ? dispatch(dispatchOptions, handler) : proxyAgentFor(proxyUrl).dispatch(dispatchOptions, handler);
  });
}

function newProxyAgent(proxyUrl: string, proxy: ProxyOptions, tlsOptions: { secureContext?: tls.SecureContext; rejectUnauthorized: boolean }): Dispatcher {
  const { ProxyAgent, Pool, connect } = loadUndici();
  const url = normalizeProxyUrl(proxyUrl, 'the proxy setting');
  const proxyLabel = describeProxy(url);
  const requestTls = { secureContext: tlsOptions.secureContext, rejectUnauthorized: tlsOptions.rejectUnauthorized && proxy.strictSsl !== false };
  return new ProxyAgent({
    uri: url.href,
    // Set: undici sends it as is; else it builds Basic from the URL's user and password.
    token: proxy.authorization,
    requestTls,
    proxyTls: requestTls,
    // The connection to the proxy, with a CONNECT that says which status the proxy answered, so a 407 is
    // told apart from other failures by its code (undici reports any non-200 as a plain abort).
    clientFactory: (origin: URL, clientOptions: object) => {
      const pool = new Pool(origin, clientOptions);
      return Object.assign(pool, {
        connect: async (params: Dispatcher.ConnectOptions) => {
          const tunnel = await connect.call(pool, params);
          if (tunnel.statusCode !== 200) {
            tunnel.socket.destroy();
            throw new ProxyRefusedError(tunnel.statusCode, proxyLabel, String(params.path));
          }
          return tunnel;
        },
      });
    },
  });
}
