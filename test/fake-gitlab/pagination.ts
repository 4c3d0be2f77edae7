import { invalidParam } from './http';

/** Where a page's links point: see `linkOrigin`, then the request's own path and query. */
export interface PageLinkBase {
  origin: string;
  path: string;
  query: URLSearchParams;
}

/**
 * GitLab builds Link URLs from Rails' request.url with the host and port replaced by its configured ones
 * (Gitlab.config.gitlab.host/port): the scheme stays the request's (X-Forwarded-Proto, as a proxy in front
 * sets it), so the port shows whenever it is not that scheme's default.
 */
export function linkOrigin(externalUrl: string, forwardedProto: string | string[] | undefined): string {
  const external = new URL(externalUrl);
  const origin = new URL(`${forwardedProto === 'https' ? 'https' : 'http'}://${external.host}`);
  origin.port = external.port || (external.protocol === 'https:' ? '443' : '80');
  return origin.origin;
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

/** Above this many records GitLab stops counting (no X-Total, X-Total-Pages, rel="last"). */
export const countLimit = 10_000;

function positiveInteger(value: string | null, fallback: number): number {
  if (value === null || !/^\d+$/.test(value) || Number(value) < 1) return fallback;
  return Number(value);
}

/** `per_page`, clamped to 100; 0 is refused (Grape's `except_values: [0]`), other nonsense means the default. */
export function perPageOf(query: URLSearchParams): number {
  const asked = query.get('per_page');
  if (asked !== null && /^\d+$/.test(asked) && Number(asked) === 0) throw invalidParam('per_page has a value not allowed');
  return Math.min(positiveInteger(asked, 20), 100);
}

/** What GitLab holds against `offset_pagination_limit`: page × per_page as asked, before per_page is clamped. */
export function requestedOffset(query: URLSearchParams): number {
  return positiveInteger(query.get('page'), 1) * positiveInteger(query.get('per_page'), 20);
}

function pageUrl(base: PageLinkBase, changes: Record<string, string>): string {
  const query = new URLSearchParams(base.query);
  for (const [key, value] of Object.entries(changes)) query.set(key, value);
  query.sort();
  return `${base.origin}${base.path}?${query.toString()}`;
}

/** Offset pagination with GitLab's headers; `counted: false` is how GET /projects/:id/jobs answers. */
export function paginateOffset<T>(items: readonly T[], base: PageLinkBase, counted: boolean): Page<T> {
  const perPage = perPageOf(base.query);
  const page = positiveInteger(base.query.get('page'), 1);
  const total = items.length;
  const withCounts = counted && total <= countLimit;
  const totalPages = Math.max(Math.ceil(total / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const hasNext = total > page * perPage;
  const link = (p: number): string => pageUrl(base, { page: String(p), per_page: String(perPage) });
  const links: string[] = [];
  if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
  if (hasNext) links.push(`<${link(page + 1)}>; rel="next"`);
  links.push(`<${link(1)}>; rel="first"`);
  if (withCounts) links.push(`<${link(totalPages)}>; rel="last"`);
  const headers: Record<string, string> = {
    'X-Page': String(page),
    'X-Per-Page': String(perPage),
    'X-Next-Page': hasNext ? String(page + 1) : '',
    'X-Prev-Page': page > 1 ? String(page - 1) : '',
    Link: links.join(', '),
  };
  if (withCounts) {
    headers['X-Total'] = String(total);
    headers['X-Total-Pages'] = String(totalPages);
  }
  return { items: slice, headers };
}

export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ id: String(id), _kd: 'n' })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    const id = Number(parsed.id);
    if (Number.isInteger(id)) return id;
  } catch {
    // falls through to the validation error
  }
  throw invalidParam('cursor is invalid');
}

/**
 * Keyset pagination over records sorted by id descending: the next page is only in `Link` (with
 * `cursor=`), and there are no X-* headers.
 */
export function paginateKeyset<T extends { id: number }>(itemsIdDesc: readonly T[], base: PageLinkBase): Page<T> {
  const perPage = perPageOf(base.query);
  const cursor = base.query.get('cursor');
  const after = cursor ? decodeCursor(cursor) : Number.POSITIVE_INFINITY;
  const rest = itemsIdDesc.filter((item) => item.id < after);
  const items = rest.slice(0, perPage);
  const last = items[items.length - 1];
  const headers: Record<string, string> = {};
  if (rest.length > perPage && last) {
    headers.Link = `<${pageUrl(base, { cursor: encodeCursor(last.id), per_page: String(perPage) })}>; rel="next"`;
  }
  return { items, headers };
}
