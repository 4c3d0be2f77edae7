import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { constants, deflateRawSync, gzip } from 'node:zlib';
import type { FaultSpec } from './faults';
import type { Reply } from './http';

const gzipAsync = promisify(gzip);

// Omnibus GitLab's nginx: gzip on, gzip_vary on, gzip_min_length 250, gzip_comp_level 2. Of its gzip_types,
// these are the ones the API answers with (XML comes only from object storage, which is not behind it).
const minLength = 250;
const compressionLevel = 2;
const compressedTypes = ['text/plain', 'application/json'];
// nginx's gzip filter leaves every other status alone.
const compressedStatuses = [200, 403, 404];

/** nginx's ngx_http_gzip_ok: the client lists the `gzip` coding and does not refuse it with q=0. */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const quality = params.find((param) => param.startsWith('q='));
    return coding === 'gzip' && (quality === undefined || Number(quality.slice(2)) > 0);
  });
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * What Omnibus GitLab's nginx does to an API answer: a 200, 403 or 404 of a compressed type with a body of
 * 250 bytes or more gets `Vary: Accept-Encoding`; when the client accepts gzip it is compressed and sent
 * chunked (no Content-Length), its ETag made weak. HEAD, and streamed bodies (artifact files), pass as they are.
 */
export async function compressLikeNginx(req: IncomingMessage, reply: Reply): Promise<Reply> {
  const { body } = reply;
  if (!Buffer.isBuffer(body) || body.length < minLength || req.method === 'HEAD' || !compressedStatuses.includes(reply.status)
    || reply.headers['Content-Encoding'] !== undefined || !compressedTypes.includes(mediaType(reply.headers['Content-Type']))) return reply;
  const headers: Record<string, string> = { ...reply.headers, Vary: 'Accept-Encoding' };
  if (!acceptsGzip(req.headers['accept-encoding'])) return { ...reply, headers };
  if (headers.ETag !== undefined && !headers.ETag.startsWith('W/')) headers.ETag = `W/${headers.ETag}`;
  headers['Content-Encoding'] = 'gzip';
  return { ...reply, headers, body: await gzipAsync(body, { level: compressionLevel }), chunked: true };
}

/**
 * With a `corruptGzip` fault, a proxy that breaks gzip, whatever the client asked for: `Content-Encoding:
 * gzip`, a gzip header, the first `bytes` of the body (default half) deflated up to a byte boundary, so they
 * decode, then a deflate block of the reserved type 3, which every inflater rejects ("invalid block type").
 * Buffered bodies only; a streamed one (an artifact file) passes as it is.
 */
export function corruptGzip(reply: Reply, fault: FaultSpec | undefined): Reply {
  if (fault?.kind !== 'corruptGzip' || !Buffer.isBuffer(reply.body)) return reply;
  const prefix = reply.body.subarray(0, fault.bytes ?? Math.floor(reply.body.length / 2));
  const gzipHeader = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
  const deflated = deflateRawSync(prefix, { finishFlush: constants.Z_SYNC_FLUSH });
  const reservedBlock = Buffer.from([0xff, 0xff, 0xff, 0xff]);
  return {
    ...reply,
    headers: { ...reply.headers, 'Content-Encoding': 'gzip' },
    body: Buffer.concat([gzipHeader, deflated, reservedBlock]),
    chunked: true,
  };
}
