import { connect } from 'node:net';
import { request } from 'undici';
import type { FakeGitLab } from './index';

export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
  json<T = unknown>(): T;
}

/** One real HTTP request, no redirects followed, the whole body read; headers flattened to strings. */
export async function call(
  url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<TestResponse> {
  const response = await request(url, {
    method: (options.method ?? 'GET') as 'GET',
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const body = Buffer.from(await response.body.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const text = body.toString('utf8');
  return { status: response.statusCode, headers, body, text, json: <T>() => JSON.parse(text) as T };
}

/** GET (or another method) on the API with a token sent as PRIVATE-TOKEN. */
export function api(
  gl: FakeGitLab, path: string, token: string | null, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<TestResponse> {
  const headers = { ...(token !== null ? { 'PRIVATE-TOKEN': token } : {}), ...options.headers };
  return call(`${gl.apiUrl}${path}`, { ...options, headers });
}

export function jsonBody(value: unknown): { headers: Record<string, string>; body: string } {
  return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) };
}

/**
 * A GET over a bare TCP socket with `Connection: close`: every byte the server put on the wire for it,
 * status line and headers included, as sent (compressed, chunk framing and all).
 */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
  const target = new URL(url);
  const lines = [`GET ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`, 'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(target.port), target.hostname, () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}
