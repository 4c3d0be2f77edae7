// Resource limits, judged on the sizes the central directory declares. Streaming then refuses any
// entry that inflates past its declared size (entryData.ts), so the declared totals bound the real ones.

import { UnsafeArchiveError } from './errors';

export interface ExtractionLimits {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
  readonly maxEntryBytes: number;
  /** Uncompressed bytes per compressed byte. Deflate tops out near 1032, which only runs of one byte reach. */
  readonly maxCompressionRatio: number;
  /** Smaller entries may exceed the ratio: a few KB of blank lines is no bomb. */
  readonly compressionRatioMinBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: ExtractionLimits = {
  maxEntries: 100_000,
  maxTotalBytes: 10 * GiB,
  maxEntryBytes: 4 * GiB,
  maxCompressionRatio: 1000,
  compressionRatioMinBytes: MiB,
};

export function resolveLimits(limits: Partial<ExtractionLimits> = {}): ExtractionLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

export interface SizedEntry {
  /** The name as stored, for the error. */
  readonly name: string;
  readonly size: number;
  readonly compressedSize: number;
}

export function checkEntryCount(count: number, limits: Pick<ExtractionLimits, 'maxEntries'>): void {
  if (count > limits.maxEntries) {
    throw new UnsafeArchiveError('too-many-entries', undefined, { detail: `${count} > ${limits.maxEntries}` });
  }
}

export function checkEntryLimits(entry: SizedEntry, limits: Omit<ExtractionLimits, 'maxEntries' | 'maxTotalBytes'>): void {
  if (entry.size > limits.maxEntryBytes) {
    throw new UnsafeArchiveError('entry-too-large', entry.name, { detail: `${entry.size} > ${limits.maxEntryBytes} bytes` });
  }
  if (entry.size >= limits.compressionRatioMinBytes && entry.size > entry.compressedSize * limits.maxCompressionRatio) {
    const ratio = entry.compressedSize === 0 ? 'infinite' : Math.round(entry.size / entry.compressedSize);
    throw new UnsafeArchiveError('compression-ratio', entry.name, { detail: `ratio ${ratio} > ${limits.maxCompressionRatio}` });
  }
}

/** The declared total; names the entry that takes it past the limit. */
export function checkTotalBytes(entries: readonly SizedEntry[], limits: Pick<ExtractionLimits, 'maxTotalBytes'>): number {
  let total = 0;
  for (const entry of entries) {
    total += entry.size;
    if (total > limits.maxTotalBytes) {
      throw new UnsafeArchiveError('total-too-large', entry.name, { detail: `more than ${limits.maxTotalBytes} bytes up to this entry` });
    }
  }
  return total;
}
