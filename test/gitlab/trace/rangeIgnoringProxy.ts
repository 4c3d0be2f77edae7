import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RangeIgnoringProxy {
  url: string;
  /** Trace requests whose range was dropped. */
  ignored: () => number;
  close: () => Promise<void>;
}

/**
 * A proxy in front of a GitLab that drops `byte_offset`/`byte_limit` from trace requests, as an older GitLab
 * behind the same load balancer would ignore them, while the slice probe (`byte_limit=0`) still reaches the
 * newest one.
 */
export async function startRangeIgnoringProxy(target: string): Promise<RangeIgnoringProxy> {
  const origin = new URL(target);
  let ignored = 0;
  const server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', origin);
    const ranged = url.searchParams.has('byte_offset') || url.searchParams.has('byte_limit');
    if (url.pathname.endsWith('/trace') && ranged && url.searchParams.get('byte_limit') !== '0') {
      url.searchParams.delete('byte_offset');
      url.searchParams.delete('byte_limit');
      ignored++;
    }
    const forwarded = request(url, { method: incoming.method, headers: { ...incoming.headers, host: origin.host } }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.destroy());
    outgoing.on('close', () => forwarded.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ignored: () => ignored,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
