import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Rewrites {
  /** Changes the URL asked of the target (in place). */
  request?: (url: URL) => void;
  /** Changes the answer's status and headers; a 304 or 204 goes out without the target's body. */
  response?: (url: URL, answer: { status: number; headers: OutgoingHttpHeaders }, requestHeaders: IncomingHttpHeaders) => { status: number; headers: OutgoingHttpHeaders };
}

export interface RewritingProxy {
  url: string;
  close: () => Promise<void>;
}

/** A proxy in front of a server that rewrites what passes, as servers and proxies in the wild do. */
export async function startRewritingProxy(target: string, rewrites: Rewrites): Promise<RewritingProxy> {
  const origin = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', origin);
    rewrites.request?.(url);
    const forwarded = request(url, { method: incoming.method, headers: { ...incoming.headers, host: origin.host } }, (answer) => {
      const original = { status: answer.statusCode ?? 502, headers: answer.headers as OutgoingHttpHeaders };
      const { status, headers } = rewrites.response?.(url, original, incoming.headers) ?? original;
      if (status === 304 || status === 204) {
        answer.resume();
        const { 'content-length': _length, ...rest } = headers;
        outgoing.writeHead(status, rest).end();
        return;
      }
      outgoing.writeHead(status, headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.destroy());
    outgoing.on('close', () => forwarded.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Drops `byte_offset`/`byte_limit` from trace requests, as an older GitLab behind the same load balancer
 * would ignore them, while the slice probe (`byte_limit=0`) still reaches the newest one. `ignored()` counts them.
 */
export async function startRangeIgnoringProxy(target: string): Promise<RewritingProxy & { ignored: () => number }> {
  let ignored = 0;
  const proxy = await startRewritingProxy(target, {
    request: (url) => {
      const ranged = url.searchParams.has('byte_offset') || url.searchParams.has('byte_limit');
      if (!url.pathname.endsWith('/trace') || !ranged || url.searchParams.get('byte_limit') === '0') return;
      url.searchParams.delete('byte_offset');
      url.searchParams.delete('byte_limit');
      ignored++;
    },
  });
  return { ...proxy, ignored: () => ignored };
}
