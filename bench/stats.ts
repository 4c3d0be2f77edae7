// Small numeric helpers shared by the measures.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** `a ÷ b` as `0.31×`; `n/a` when either is missing. */
export function ratio(ours: number | undefined, baseline: number | undefined): string {
  if (ours === undefined || baseline === undefined || !Number.isFinite(ours) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  const value = ours / baseline;
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}×`;
}
