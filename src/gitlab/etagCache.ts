/** A parsed JSON answer kept for conditional requests: sent again as `If-None-Match`, reused on 304. */
export interface CachedJson {
  etag: string;
  /** Shared with every caller that got it: read-only by contract. */
  data: unknown;
  /** The headers of the 200 that carried `data`, for a 304 that leaves them out (pagination, behind some proxies). */
  header: (name: string) => string | undefined;
  /** The JSON text's size: what the cache is bounded by. */
  bytes: number;
  /**
   * A multi-page list whose first page this is: its pages as fetched and the combined list handed out,
   * weighed as that many pages the size of this one (it keeps the other pages' objects alive).
   */
  combined?: { parts: readonly (readonly unknown[])[]; maxItems?: number; items: unknown[]; bytes: number };
}

/**
 * The last ETag and parsed answer of JSON GETs, by URL, least recently used first out: bounded in entries and
 * in bytes, so a long session or a deep listing never grows it without end.
 */
export class EtagCache {
  private readonly entries = new Map<string, CachedJson>();
  private totalBytes = 0;

  constructor(
    private readonly maxEntries = 500,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(url: string): CachedJson | undefined {
    const entry = this.entries.get(url);
    if (entry) {
      this.entries.delete(url); // Map order is the recency order: move it to the young end
      this.entries.set(url, entry);
    }
    return entry;
  }

  set(url: string, entry: CachedJson): void {
    this.delete(url);
    if (!this.fits(entry.bytes)) return;
    this.entries.set(url, entry);
    this.totalBytes += entry.bytes;
    this.evict();
  }

  delete(url: string): void {
    const entry = this.entries.get(url);
    if (!entry) return;
    this.entries.delete(url);
    this.totalBytes -= entry.bytes + (entry.combined?.bytes ?? 0);
  }

  /**
   * The list made of `parts` (pages in order): the very array handed out last time when every page is the
   * same object as then (each came back 304), so callers see "unchanged" with `===`; else `build()`, which
   * is remembered beside the first page (`firstPageUrl`) when that page is cached.
   */
  combine<T>(firstPageUrl: string, parts: readonly (readonly T[])[], maxItems: number | undefined, build: () => T[]): T[] {
    const entry = this.entries.get(firstPageUrl);
    const previous = entry?.combined;
    if (previous && previous.maxItems === maxItems && previous.parts.length === parts.length && previous.parts.every((part, index) => part === parts[index])) {
      return previous.items as T[];
    }
    const items = build();
    if (!entry) return items;
    this.totalBytes -= previous?.bytes ?? 0;
    entry.combined = undefined;
    const bytes = entry.bytes * (parts.length - 1);
    if (this.fits(entry.bytes + bytes)) {
      entry.combined = { parts, maxItems, items, bytes };
      this.totalBytes += bytes;
      this.evict();
    }
    return items;
  }

  /** One huge answer would evict everything else: not kept at all. */
  private fits(bytes: number): boolean {
    return bytes <= this.maxBytes / 4;
  }

  private evict(): void {
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.totalBytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }
}
