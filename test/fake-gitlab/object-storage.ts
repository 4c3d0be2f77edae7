import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { corruptGzip } from './compression';
import { faultReply, type Faults } from './faults';
import type { Reply } from './http';
import type { StoredArtifact } from './model';
import { sendReply } from './send';
import type { Clock } from './state';
import type { Features, RecordedRequest } from './types';
import { recordRequest } from './wire';

interface StoredObject {
  filePath: string;
  size: number;
}

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

/** One `Range: bytes=...` spec (a-b, a-, -n); undefined when absent, malformed or multi-range (S3 then sends it all). */
export function parseRange(header: string | undefined, size: number): ByteRange {
  const spec = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!spec || (spec[1] === '' && spec[2] === '')) return undefined;
  const [first, last] = [spec[1] ?? '', spec[2] ?? ''];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(size - suffix, 0), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** A range-aware reply streaming part or all of a file. */
export function fileReply(filePath: string, size: number, range: ByteRange, headers: Record<string, string>): Reply {
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` }, body: null };
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = Math.max(end - start + 1, 0);
  return {
    status: range ? 206 : 200,
    headers: range ? { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` } : headers,
    body: length === 0 ? Buffer.alloc(0) : { length, open: () => createReadStream(filePath, { start, end }) },
  };
}

function s3Error(status: number, code: string, message: string): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/xml' },
    body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`),
  };
}

function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function amzDateToMs(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : Number.NaN;
}

/**
 * The second origin artifact downloads are redirected to, like S3 or a CDN in front of it: it serves
 * only presigned URLs (expiry + HMAC signature, checked), honours Range when the feature says so, and
 * records every request's headers so tests can prove no GitLab token ever reaches it.
 */
export class ObjectStorage {
  url = '';
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, StoredObject>();
  private readonly secret = randomBytes(32);

  constructor(
    private readonly features: Features,
    private readonly faults: Faults,
    private readonly clock: () => Clock,
    private readonly closing: AbortSignal,
  ) {}

  /** A signed URL for a stored file, valid for `ttlSeconds`. */
  presign(artifact: StoredArtifact, downloadName: string, ttlSeconds = 900): string {
    const key = `/gitlab-artifacts/${createHash('sha1').update(artifact.filePath).digest('hex').slice(0, 20)}/${artifact.filename}`;
    this.objects.set(key, { filePath: artifact.filePath, size: artifact.size });
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'FAKEACCESSKEY/us-east-1/s3/aws4_request',
      'X-Amz-Date': amzDate(this.clock().now()),
      'X-Amz-Expires': String(ttlSeconds),
      'X-Amz-SignedHeaders': 'host',
      'response-content-disposition': `attachment; filename="${downloadName}"`,
    });
    query.set('X-Amz-Signature', this.signature(key, query));
    return `${this.url}${key}?${query.toString()}`;
  }

  private signature(key: string, query: URLSearchParams): string {
    const signed = new URLSearchParams([...query].filter(([name]) => name !== 'X-Amz-Signature'));
    signed.sort();
    return createHmac('sha256', this.secret).update(`${key}\n${signed.toString()}`).digest('hex');
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    const { method, path, query } = recordRequest(req, res, this.requests);

    const plan = this.faults.take('objectStorage', method, path);
    if (plan.delayMs > 0) await delay(plan.delayMs, undefined, { signal: this.closing }).catch(() => undefined);
    if (this.closing.aborted) return;
    const replacement = plan.fault && faultReply(plan.fault, this.clock().now());
    if (replacement) return sendReply(req, res, replacement);
    await sendReply(req, res, corruptGzip(this.reply(req, method, path, query), plan.fault), plan.fault);
  }

  private reply(req: IncomingMessage, method: string, path: string, query: URLSearchParams): Reply {
    if (method !== 'GET' && method !== 'HEAD') return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    const stored = this.objects.get(path);
    const given = Buffer.from(query.get('X-Amz-Signature') ?? '');
    const expected = Buffer.from(this.signature(path, query));
    if (!stored || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    const expiresAt = amzDateToMs(query.get('X-Amz-Date') ?? '') + Number(query.get('X-Amz-Expires')) * 1000;
    if (!(this.clock().now() <= expiresAt)) return s3Error(403, 'AccessDenied', 'Request has expired');

    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', 'Last-Modified': new Date(0).toUTCString() };
    const disposition = query.get('response-content-disposition');
    if (disposition) headers['Content-Disposition'] = disposition;
    if (!this.features.objectStorageRanges) return fileReply(stored.filePath, stored.size, undefined, headers);
    headers['Accept-Ranges'] = 'bytes';
    const range = parseRange(req.headers.range, stored.size);
    if (range === 'unsatisfiable') return { ...s3Error(416, 'InvalidRange', 'The requested range is not satisfiable'), headers: { 'Content-Type': 'application/xml', 'Content-Range': `bytes */${stored.size}` } };
    return fileReply(stored.filePath, stored.size, range, headers);
  }
}
