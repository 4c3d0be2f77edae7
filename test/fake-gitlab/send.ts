import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { FaultSpec } from './faults';
import type { Reply } from './http';

/** Rack::ETag's ETag for a body: weak, the first 32 hex digits of its SHA-256; none for an empty body. */
function rackEtag(body: Buffer): string | undefined {
  return body.length === 0 ? undefined : `W/"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
}

/**
 * Rack::ETag + Rack::ConditionalGet (Rack 2.2), as in front of GitLab's API: a 200 or 201 with a buffered,
 * non-empty body and no ETag of its own gets `rackEtag` and `Cache-Control: max-age=0, private,
 * must-revalidate`; a GET or HEAD answered 200 whose ETag If-None-Match names becomes a 304 without a
 * body, keeping every header but Content-Type.
 */
export function withConditionalGet(req: IncomingMessage, reply: Reply): Reply {
  if ((reply.status !== 200 && reply.status !== 201) || !Buffer.isBuffer(reply.body) || reply.headers.ETag !== undefined) return reply;
  const etag = rackEtag(reply.body);
  if (etag === undefined) return reply;
  const headers: Record<string, string> = { ...reply.headers, ETag: etag, 'Cache-Control': 'max-age=0, private, must-revalidate' };
  const method = req.method ?? 'GET';
  if (reply.status === 200 && (method === 'GET' || method === 'HEAD') && ifNoneMatchHits(req, etag)) {
    delete headers['Content-Type'];
    return { status: 304, headers, body: null };
  }
  return { ...reply, headers };
}

export function ifNoneMatchHits(req: IncomingMessage, etag: string): boolean {
  const sent = req.headers['if-none-match'];
  if (!sent) return false;
  const bare = (tag: string): string => tag.trim().replace(/^W\//, '');
  return sent === '*' || sent.split(',').some((tag) => bare(tag) === bare(etag));
}

function bodyLength(reply: Reply): number {
  if (reply.body === null) return 0;
  return Buffer.isBuffer(reply.body) ? reply.body.length : reply.body.length;
}

/** Writes a reply; a `reset` or `truncate` fault cuts the body short (RST, or a clean close). */
export async function sendReply(req: IncomingMessage, res: ServerResponse, reply: Reply, fault?: FaultSpec): Promise<void> {
  if (res.destroyed || res.writableEnded) return;
  const length = bodyLength(reply);
  const noBody = req.method === 'HEAD' || reply.status === 204 || reply.status === 304;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.status !== 204 && reply.status !== 304 && !reply.chunked) headers['Content-Length'] = String(length);
  res.writeHead(reply.status, headers);
  const cut = fault?.kind === 'reset' || fault?.kind === 'truncate' ? fault : undefined;
  if (noBody || reply.body === null) {
    if (cut) return cutConnection(res, cut);
    res.end();
    return;
  }
  const limit = cut ? Math.min(cut.bytes ?? Math.floor(length / 2), length) : length;
  if (Buffer.isBuffer(reply.body)) {
    if (!cut) {
      res.end(reply.body);
      return;
    }
    await write(res, reply.body.subarray(0, limit));
    return cutConnection(res, cut);
  }
  const stream = await reply.body.open();
  res.once('close', () => stream.destroy());
  if (!cut) {
    await pipeOut(stream, res);
    return;
  }
  await copyFirstBytes(stream, res, limit);
  stream.destroy();
  cutConnection(res, cut);
}

function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (chunk.length === 0 || res.destroyed) {
      res.flushHeaders();
      resolve();
      return;
    }
    res.write(chunk, () => resolve());
  });
}

function cutConnection(res: ServerResponse, fault: FaultSpec): void {
  res.flushHeaders();
  const socket = res.socket;
  if (!socket) return;
  if (fault.kind === 'reset') socket.resetAndDestroy();
  else socket.end();
}

async function pipeOut(stream: Readable, res: ServerResponse): Promise<void> {
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  }
  if (!res.destroyed) res.end();
}

async function copyFirstBytes(stream: Readable, res: ServerResponse, limit: number): Promise<void> {
  let sent = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (sent >= limit || res.destroyed) break;
    const part = chunk.subarray(0, limit - sent);
    sent += part.length;
    await write(res, part);
  }
  if (sent === 0) await write(res, Buffer.alloc(0));
}
