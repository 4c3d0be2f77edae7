/** What a failed assertion expected and what it got, when its message says so in a known form. */
export interface Comparison {
  expected: string;
  actual: string;
}

const MAX_SCANNED_CHARS = 8 * 1024;
const MAX_VALUE_CHARS = 4 * 1024;

// Each entry: a test framework's wording; which group holds the expected value and which the actual one.
const FORMS: { pattern: RegExp; expected: number; actual: number }[] = [
  // Jest: `Expected: 85` / `Received: 90`
  { pattern: /Expected:\s*(.+)\n\s*Received:\s*(.+)/, expected: 1, actual: 2 },
  // RSpec: `expected: 250` / `got: 500`
  { pattern: /expected:\s*(.+)\n\s*got:\s*(.+)/, expected: 1, actual: 2 },
  // JUnit, AssertJ, TestNG: `expected:<85> but was:<90>`
  { pattern: /expected:\s*<(.*?)> but was:\s*<(.*?)>/, expected: 1, actual: 2 },
  // Chai: `expected 90 to equal 85`, `expected 'a' to deeply equal 'b'`
  { pattern: /expected (.+?) to (?:deeply |strictly )?equal (.+)/, expected: 2, actual: 1 },
  // pytest: `assert 90 == 85`
  { pattern: /assert (.+?) == (.+)/, expected: 2, actual: 1 },
  // Node's assert: `90 !== 85`
  { pattern: /^[ \t]*(.+?) !== (.+)$/m, expected: 2, actual: 1 },
];

export function comparisonOf(output: string): Comparison | undefined {
  const text = output.slice(0, MAX_SCANNED_CHARS);
  for (const form of FORMS) {
    const match = form.pattern.exec(text);
    if (match) return { expected: clip(match[form.expected]), actual: clip(match[form.actual]) };
  }
  return undefined;
}

/** The first non-empty line: the failure's message. */
export function messageOf(output: string, fallback: string): string {
  const first = /^\s*(\S.*)$/m.exec(output.slice(0, MAX_SCANNED_CHARS))?.[1];
  return first ? clip(first.trim(), 500) : fallback;
}

function clip(value: string, max = MAX_VALUE_CHARS): string {
  const trimmed = value.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max)}…` : trimmed;
}
