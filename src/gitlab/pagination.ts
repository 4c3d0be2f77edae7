import type { GitLabClient, Query, RequestOptions } from './client';
import { GitLabError, GitLabHttpError } from './errors';

export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  /** The next page's number (offset pagination), when there is one. */
  nextPage?: number;
  /** The next page's URL when only `Link` says it (keyset pagination), rebased onto the instance. */
  nextUrl?: URL;
  /** Only when GitLab counted (never for project jobs, nor beyond 10,000 records). */
  total?: number;
  totalPages?: number;
  /** GitLab answered 304: `items` is the very array the last fetch of this page gave (read-only). */
  notModified: boolean;
}

export interface PageOptions {
  page?: number;
  /** 1 to 100: GitLab silently clamps anything larger. */
  perPage?: number;
  signal?: AbortSignal;
}

export interface AllPagesOptions {
  perPage?: number;
  /** Pages fetched at once once the total is known (default: 10, so up to 1,100 items take two round trips). */
  concurrency?: number;
  /** Stop after this many items (rounded up to whole pages). */
  maxItems?: number;
  signal?: AbortSignal;
}

const MAX_PER_PAGE = 100;
// Latency, not GitLab's work, dominates a listing: ten requests at once stay far below its rate limits
// (2,000 requests a minute per user on gitlab.com) and make a 1,000-job pipeline two round trips, not four.
const DEFAULT_CONCURRENCY = 10;

/** One page of an offset-paginated list. */
export async function getPage<T>(client: GitLabClient, path: string, query: Query = {}, options: PageOptions = {}): Promise<Page<T>> {
  const perPage = Math.min(options.perPage ?? 20, MAX_PER_PAGE);
  const url = client.url(path, { ...query, page: options.page ?? 1, per_page: perPage });
  return fetchPage<T>(client, url, { signal: options.signal });
}

/**
 * Every item of a list. Once the first page tells the total, the rest are fetched in parallel;
 * otherwise page after page by `X-Next-Page` (an empty value is the end) or, lacking it, by `Link`.
 * When every page is unchanged since last time (304s), the answer is the very array given then.
 */
export async function getAll<T>(client: GitLabClient, path: string, query: Query = {}, options: AllPagesOptions = {}): Promise<T[]> {
  const perPage = Math.min(options.perPage ?? MAX_PER_PAGE, MAX_PER_PAGE);
  const maxPages = options.maxItems === undefined ? Infinity : Math.ceil(options.maxItems / perPage);
  const pageUrl = (page: number) => client.url(path, { ...query, page, per_page: perPage });
  const firstUrl = pageUrl(1);
  const first = await fetchPage<T>(client, firstUrl, { signal: options.signal });
  const parts: T[][] = [first.items];
  if (first.totalPages !== undefined) {
    const lastPage = Math.min(first.totalPages, maxPages);
    const pageNumbers = Array.from({ length: Math.max(0, lastPage - 1) }, (_, index) => index + 2);
    const pages = await mapWithConcurrency(pageNumbers, options.concurrency ?? DEFAULT_CONCURRENCY, (page) => fetchPage<T>(client, pageUrl(page), { signal: options.signal }));
    parts.push(...pages.map((page) => page.items));
  } else {
    const visited = new Set([firstUrl.href]);
    let current = first;
    let url = firstUrl;
    for (let fetched = 1; fetched < maxPages; fetched++) {
      const nextUrl = current.nextUrl ?? (current.nextPage === undefined ? undefined : pageUrl(current.nextPage));
      if (!nextUrl) break;
      url = checkAdvances(visited, nextUrl, url);
      try {
        current = await fetchPage<T>(client, url, { signal: options.signal });
      } catch (error) {
        const cursorUrl = isOffsetLimit(error) ? keysetUrlAfter(url, parts.flat().at(-1)) : undefined;
        if (!cursorUrl) throw error;
        // Past the instance's offset limit (GitLab says so with a 405): go on by keyset from the last item held.
        for await (const items of iterateFrom<T>(client, cursorUrl, options.signal)) parts.push(items);
        break;
      }
      parts.push(current.items);
    }
  }
  return client.etagCache.combine(firstUrl.href, parts, options.maxItems, () => {
    const items = parts.flat();
    return options.maxItems === undefined ? items : items.slice(0, options.maxItems);
  });
}

/**
 * Pages of a keyset-paginated list (`pagination=keyset`): the next page is in `Link` (`cursor=`). A server or
 * proxy that ignores `pagination=keyset` answers with offset headers instead: those are followed, never
 * stopping after the first page.
 */
export function iterateKeyset<T>(client: GitLabClient, path: string, query: Query = {}, options: PageOptions = {}): AsyncGenerator<T[]> {
  const perPage = Math.min(options.perPage ?? MAX_PER_PAGE, MAX_PER_PAGE);
  return iterateFrom<T>(client, client.url(path, { ...query, pagination: 'keyset', per_page: perPage }), options.signal);
}

async function* iterateFrom<T>(client: GitLabClient, firstUrl: URL, signal: AbortSignal | undefined): AsyncGenerator<T[]> {
  const visited = new Set<string>();
  let url: URL | undefined = firstUrl;
  while (url) {
    const page: Page<T> = await fetchPage<T>(client, url, { signal });
    yield page.items;
    const next: URL | undefined = page.nextUrl ?? (page.nextPage === undefined ? undefined : withParam(url, 'page', String(page.nextPage)));
    url = next && checkAdvances(visited, next, url);
  }
}

/** A server that ignores the page asked for would send us round the same page for ever: a clear error instead. */
function checkAdvances(visited: Set<string>, next: URL, current: URL): URL {
  visited.add(current.href);
  if (visited.has(next.href)) {
    const operation = `GET ${current.pathname}`;
    throw new GitLabError('malformed-response', operation, `${operation}: the server sends the same page again (${next.search}) — it ignores pagination parameters; check any proxy in between`);
  }
  return next;
}

/** GitLab's 405 for an offset past the instance's limit, which says to use keyset pagination instead. */
function isOffsetLimit(error: unknown): boolean {
  return error instanceof GitLabHttpError && error.status === 405 && /offset pagination has a maximum allowed offset/i.test(error.gitlabMessage);
}

/**
 * The keyset URL that goes on after `last` in a list ordered by id, descending (GitLab's default for the
 * lists that enforce the limit): the cursor as GitLab writes it (Keyset::Paginator: URL-safe base64 of
 * `{"id":"<id>","_kd":"n"}`). `undefined` when the list is ordered otherwise or the last item has no id.
 */
function keysetUrlAfter(offsetUrl: URL, last: unknown): URL | undefined {
  const id = (last as { id?: unknown } | undefined)?.id;
  const orderBy = offsetUrl.searchParams.get('order_by');
  const sort = offsetUrl.searchParams.get('sort');
  if (typeof id !== 'number' || (orderBy !== null && orderBy !== 'id') || (sort !== null && sort !== 'desc')) return undefined;
  const cursor = Buffer.from(JSON.stringify({ id: String(id), _kd: 'n' })).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  const url = withParam(offsetUrl, 'pagination', 'keyset');
  url.searchParams.delete('page');
  url.searchParams.set('cursor', cursor);
  return url;
}

function withParam(url: URL, name: string, value: string): URL {
  const changed = new URL(url.href);
  changed.searchParams.set(name, value);
  return changed;
}

/** Fetches one page at `url` and reads its pagination headers. */
export async function fetchPage<T>(client: GitLabClient, url: URL, options: RequestOptions = {}): Promise<Page<T>> {
  const { data, response, notModified } = await client.jsonWithResponse<T[]>('GET', url, options);
  if (!Array.isArray(data)) {
    throw new GitLabError('malformed-response', `GET ${url.pathname}`, `GET ${url.pathname}: expected a list but got ${typeof data}`);
  }
  const linkNext = parseLinkHeader(response.header('link')).next;
  const nextPageHeader = response.header('x-next-page');
  return {
    items: data,
    page: positiveInt(response.header('x-page')) ?? positiveInt(url.searchParams.get('page')) ?? 1,
    perPage: positiveInt(response.header('x-per-page')) ?? data.length,
    nextPage: positiveInt(nextPageHeader),
    // X-Next-Page present (even empty) is authoritative; Link is the fallback and the keyset way.
    nextUrl: nextPageHeader === undefined && linkNext ? rebase(client, linkNext, url) : undefined,
    total: nonNegativeInt(response.header('x-total')),
    totalPages: nonNegativeInt(response.header('x-total-pages')),
    notModified,
  };
}

/**
 * `Link` carries GitLab's configured external URL, which behind a proxy or port-forward is not where we are
 * talking: keep our own origin and path, take only the query (page, cursor, filters) from the link.
 */
function rebase(client: GitLabClient, link: string, current: URL): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(link, current);
  } catch {
    return undefined;
  }
  if (client.isInstanceOrigin(parsed)) return parsed;
  const rebased = new URL(current.href);
  rebased.search = parsed.search;
  return rebased;
}

export function parseLinkHeader(header: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of header?.split(',') ?? []) {
    const match = /<([^>]*)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match) links[match[2]] = match[1];
  }
  return links;
}

function positiveInt(value: string | null | undefined): number | undefined {
  const number = nonNegativeInt(value);
  return number !== undefined && number > 0 ? number : undefined;
}

function nonNegativeInt(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isInteger(number) && number >= 0 ? number : undefined;
}

async function mapWithConcurrency<I, O>(inputs: readonly I[], concurrency: number, map: (input: I) => Promise<O>): Promise<O[]> {
  const results = new Array<O>(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const index = next++;
      try {
        results[index] = await map(inputs[index]);
      } catch (error) {
        next = inputs.length; // the whole list fails: start no more pages
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
  return results;
}
