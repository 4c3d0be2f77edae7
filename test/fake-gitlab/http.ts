import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/** A body streamed from somewhere (a file, a zip entry) whose length is known before the first byte. */
export interface StreamBody {
  length: number;
  open(): Readable | Promise<Readable>;
}

/** What a route handler produces; the server turns it into bytes (and faults may mangle it on the way). */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | StreamBody | null;
  /** Sent without Content-Length (chunked), as nginx sends what it compressed on the fly. */
  chunked?: boolean;
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(value)),
  };
}

export function textReply(status: number, text: string | Buffer, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'text/plain', ...headers }, body: Buffer.from(text) };
}

export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: null };
}

/** Thrown by handlers; becomes a JSON error body, exactly as GitLab's helpers render it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(JSON.stringify(body));
  }
}

// GitLab's error helpers (lib/api/helpers.rb): `{"message": ...}` for helpers, `{"error": ...}` for validation.
export const unauthorized = (): ApiError => new ApiError(401, { message: '401 Unauthorized' });
export const forbidden = (reason?: string): ApiError =>
  new ApiError(403, { message: reason ? `403 Forbidden - ${reason}` : '403 Forbidden' });
export const recordNotFound = (): ApiError => new ApiError(404, { message: '404 Not found' });
export const notFound = (what?: string): ApiError =>
  new ApiError(404, { message: what ? `404 ${what} Not Found` : '404 Not Found' });
export const badRequest = (reason?: string): ApiError =>
  new ApiError(400, { message: reason ? `400 Bad request - ${reason}` : '400 Bad request' });
export const invalidParam = (error: string): ApiError => new ApiError(400, { error });

export async function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError(413, { message: '413 Request Entity Too Large' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export type ParamValue = string | ParamValue[] | { [key: string]: ParamValue };
export type Params = Record<string, ParamValue>;

/** Query string plus a JSON or form body, merged the way Grape merges them (body wins). */
export function mergeParams(query: URLSearchParams, body: Buffer, contentType: string | undefined): Params {
  const params = fromSearchParams(query);
  if (body.length === 0) return params;
  if (contentType?.includes('application/json')) {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [key, value] of Object.entries(parsed)) params[key] = toParamValue(value);
    }
  } else if (contentType?.includes('application/x-www-form-urlencoded')) {
    Object.assign(params, fromSearchParams(new URLSearchParams(body.toString('utf8'))));
  }
  return params;
}

function toParamValue(value: unknown): ParamValue {
  if (Array.isArray(value)) return value.map(toParamValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toParamValue(v)]));
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/**
 * Rack-style nested keys: `scope[]=a&scope[]=b` gives an array, `variables[][key]=K&variables[][value]=V`
 * gives an array of objects (a new element starts when a key repeats).
 */
export function fromSearchParams(search: URLSearchParams): Params {
  const params: Params = {};
  for (const [rawKey, value] of search) {
    const arrayOfObjects = /^([^[\]]+)\[\]\[([^[\]]+)\]$/.exec(rawKey);
    const plainArray = /^([^[\]]+)\[\]$/.exec(rawKey);
    if (arrayOfObjects) {
      const [, name, field] = arrayOfObjects as unknown as [string, string, string];
      const list = Array.isArray(params[name]) ? (params[name]) : [];
      const last = list[list.length - 1];
      if (last && typeof last === 'object' && !Array.isArray(last) && !(field in last)) last[field] = value;
      else list.push({ [field]: value });
      params[name] = list;
    } else if (plainArray) {
      const name = plainArray[1];
      const list = Array.isArray(params[name]) ? (params[name]) : [];
      list.push(value);
      params[name] = list;
    } else {
      params[rawKey] = value;
    }
  }
  return params;
}

export function paramString(params: Params, key: string): string | undefined {
  const value = params[key];
  return typeof value === 'string' ? value : undefined;
}

export function paramList(params: Params, key: string): string[] | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return Object.values(value).filter((v): v is string => typeof v === 'string');
}

export function paramObjects(params: Params, key: string): Record<string, string>[] {
  const value = params[key];
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item !== 'object' || Array.isArray(item)) return [];
    const entries = Object.entries(item).filter((e): e is [string, string] => typeof e[1] === 'string');
    return [Object.fromEntries(entries)];
  });
}

/** Grape's Boolean coercion. */
export function paramBoolean(params: Params, key: string, name = key): boolean | undefined {
  const value = paramString(params, key);
  if (value === undefined) return undefined;
  if (['true', '1', 't', 'yes'].includes(value)) return true;
  if (['false', '0', 'f', 'no', ''].includes(value)) return false;
  throw invalidParam(`${name} is invalid`);
}

export function paramInteger(params: Params, key: string): number | undefined {
  const value = paramString(params, key);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw invalidParam(`${key} is invalid`);
  return Number(value);
}
