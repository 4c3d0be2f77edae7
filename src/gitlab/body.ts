import { PassThrough, type Readable } from 'node:stream';
import * as consumers from 'node:stream/consumers';
import { createGunzip } from 'node:zlib';
import type { Dispatcher } from 'undici';
import type { ApiResponse } from './client';
import { GitLabError } from './errors';
import type { WireMeter } from './transport';

/**
 * A response body: Buffer chunks (async-iterable, pipeable) with undici's helpers. Read it to the end or
 * destroy it, or the connection stays taken. A compressed answer arrives here already decoded.
 */
export interface ResponseBody extends Readable {
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  /** Lets go of the rest of the body (undici reads a little of it to keep the connection; ours just closes). */
  dump(options?: { limit: number; signal?: AbortSignal }): Promise<void>;
}

/**
 * The response as callers get it: the body decoded when the server compressed it, with headers to match
 * (the wire's length and encoding read as absent then). An encoding we cannot undo is thrown.
 */
export function handOn(raw: Dispatcher.ResponseData<unknown>, meter: WireMeter, method: string, url: URL, operation: string): ApiResponse {
  // The reader closes over the headers alone, not `raw`: the ETag cache keeps it beside each answer, and
  // `raw` would keep the whole exchange (body stream, parser, socket, header buffers) alive with it.
  const { headers } = raw;
  const rawHeader = (name: string) => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const status = raw.statusCode;
  const wireBytes = () => meter.bytes;
  const bodiless = method === 'HEAD' || status === 204 || status === 304;
  const decoding = bodiless ? 'none' : decodingFor(rawHeader('content-encoding'), status, operation);
  if (decoding instanceof GitLabError) {
    raw.body.on('error', () => undefined);
    raw.body.destroy();
    throw decoding;
  }
  if (decoding === 'none') return { status, url, header: rawHeader, initialHeader: rawHeader, body: raw.body, wireBytes };
  const header = (name: string) => (/^content-(length|encoding)$/i.test(name) ? undefined : rawHeader(name));
  return { status, url, header, initialHeader: header, body: gunzipBody(raw.body, operation, wireBytes), wireBytes };
}

/** What a body's `Content-Encoding` asks of us: nothing, gunzip, or an error (an encoding we cannot undo). */
type Decoding = 'none' | 'gzip' | GitLabError;

/**
 * Undoes the one encoding we ever ask for. Anything else a server or proxy applied (br, deflate, stacked
 * encodings), and gzip on a byte range (a range of the compressed form, useless alone), is an error: handing
 * such bytes on would be wrong data.
 */
function decodingFor(contentEncoding: string | undefined, status: number, operation: string): Decoding {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return 'none';
  if ((encoding === 'gzip' || encoding === 'x-gzip') && status !== 206) return 'gzip';
  return new GitLabError(
    'malformed-response',
    operation,
    `${operation}: the answer came encoded as "${encoding}"${status === 206 ? ' on a byte range' : ''}, which this client cannot decode` +
      ' (it asks only for gzip) — a proxy between you and GitLab may be re-encoding answers; check its compression settings',
  );
}

/**
 * The decoded form of a gzip body, as a stream: nothing is held whole. A corrupt or cut-short stream ends in
 * a GitLabError saying so; destroying the result releases the connection. `compressedBytes` tells an empty
 * body (which gunzip would call truncated) from a broken one.
 */
function gunzipBody(raw: ResponseBody, operation: string, compressedBytes: () => number): ResponseBody {
  const gunzip = createGunzip();
  const body = new GunzippedBody();
  raw.on('error', (error) => body.destroy(error)); // the socket's own error, so callers still see a network failure
  gunzip.on('error', (error) => {
    if (compressedBytes() === 0) body.end();
    else body.destroy(corruptGzip(operation, error));
  });
  body.on('close', () => {
    raw.destroy();
    gunzip.destroy();
  });
  raw.pipe(gunzip).pipe(body);
  return body;
}

function corruptGzip(operation: string, cause: Error): GitLabError {
  return new GitLabError(
    'malformed-response',
    operation,
    `${operation}: the compressed (gzip) answer was corrupt or cut short (${cause.message}) — a proxy between you and GitLab` +
      ' may be altering compressed responses; check it, or try again',
    { cause },
  );
}

class GunzippedBody extends PassThrough implements ResponseBody {
  text(): Promise<string> {
    return consumers.text(this);
  }

  json(): Promise<unknown> {
    return consumers.json(this);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return consumers.arrayBuffer(this);
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await consumers.arrayBuffer(this));
  }

  dump(): Promise<void> {
    this.on('error', () => undefined);
    this.destroy();
    return Promise.resolve();
  }
}

/**
 * The whole body as text, refusing more than `maxBytes` (a gzip bomb, a runaway answer) with an error
 * instead of holding it; the body is released either way.
 */
export async function readCapped(body: ResponseBody, maxBytes: number, operation: string): Promise<{ text: string; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      body.on('error', () => undefined); // undici reports our abort as an error: expected here
      body.destroy();
      throw new GitLabError(
        'malformed-response',
        operation,
        `${operation}: the answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MB once decoded — not what GitLab sends here; check the URL and any proxy in between`,
      );
    }
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks, bytes).toString('utf8'), bytes };
}
