import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { RecordedRequest } from './types';

/**
 * Splits a request's URL (percent-encoding kept, as GitLab's router sees it) and records the request with
 * the headers the client sent; its `status` and `responseBytes` are filled in once the response has ended.
 */
export function recordRequest(req: IncomingMessage, res: ServerResponse, requests: RecordedRequest[]): { method: string; path: string; query: URLSearchParams } {
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const path = rawUrl.split('?')[0] ?? '/';
  const query = new URLSearchParams(rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '');
  const record: RecordedRequest = { method, path, query, headers: { ...req.headers }, at: Date.now(), status: 0, responseBytes: 0 };
  requests.push(record);
  countWireBytes(res, record);
  return { method, path, query };
}

/**
 * Bytes on the wire, from the socket's own counter: what it had written when this response got it, and
 * what it has written (or buffered) when the response ends. A keep-alive socket carries one response at a
 * time, so the difference is this response alone. 'prefinish' fires inside res.end(), before the client can
 * have read the last byte; 'close' covers responses cut short.
 */
function countWireBytes(res: ServerResponse, record: RecordedRequest): void {
  let socket: Socket | undefined;
  let startBytes = 0;
  const attach = (attached: Socket): void => {
    socket = attached;
    startBytes = attached.bytesWritten;
  };
  if (res.socket) attach(res.socket);
  else res.once('socket', attach);
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    record.status = res.headersSent ? res.statusCode : 0;
    record.responseBytes = Math.max((socket?.bytesWritten ?? startBytes) - startBytes, 0);
  };
  res.once('prefinish', finish);
  res.once('close', finish);
}
