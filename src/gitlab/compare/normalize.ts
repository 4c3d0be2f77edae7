/** What two runs' logs differ in on every line, whatever changed: replaced by a placeholder before a diff. */
export interface RunIdentity {
  jobIds: readonly number[];
  pipelineIds: readonly number[];
}

const REPLACEMENTS: readonly [RegExp, string][] = [
  // ISO timestamps (the runner's per-line ones included), then clock times and dates.
  [/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, '<time>'],
  [/\b\d{4}-\d\d-\d\d\b/g, '<date>'],
  [/\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b/g, '<time>'],
  // Hex hashes: commit SHAs, image digests, cache keys (7+ hex digits with a letter and a digit in them).
  [/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,}\b/gi, '<hash>'],
  // Durations: `1h 02m 03s`, `3m 07s`, `0.99s`, `123ms`, `12.5 seconds`.
  [/\b(?:\d+h )?(?:\d+m )?\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds?|minutes?)\b/g, '<duration>'],
  // Unix epochs (section markers, timestamps in ids).
  [/\b1\d{9}\b/g, '<epoch>'],
];

/**
 * One rendered line with what differs between any two runs replaced: the runs' own job and pipeline ids,
 * timestamps, clock times, durations and hex hashes. What is left is what the job did.
 */
export function normalizeLogLine(text: string, identity: RunIdentity): string {
  let line = text;
  for (const [pattern, placeholder] of REPLACEMENTS) line = line.replace(pattern, placeholder);
  for (const id of identity.jobIds) line = replaceNumber(line, id, '<job>');
  for (const id of identity.pipelineIds) line = replaceNumber(line, id, '<pipeline>');
  return line;
}

function replaceNumber(line: string, id: number, placeholder: string): string {
  const digits = String(id);
  if (!line.includes(digits)) return line;
  return line.replace(new RegExp(`(?<!\\d)${digits}(?!\\d)`, 'g'), placeholder);
}
