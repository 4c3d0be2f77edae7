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
