/**
 * Problem matchers as table entries, tried on each rendered log line (colours and escape codes already gone).
 * A `line` entry finds a whole problem on one line. A `context` entry remembers something a first line says
 * (ESLint's file, rustc's message, a Python frame, pytest's `E` lines) and completes it from a later line.
 * Named groups: file, line, column, severity, message, code. `hint` is a substring every match contains:
 * a cheap test that keeps the regular expressions off most lines.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface LineMatcher {
  kind: 'line';
  tool: string;
  hint?: string;
  pattern: RegExp;
  /** When the pattern has no severity group. */
  severity?: Severity;
}

export interface ContextMatcher {
  kind: 'context';
  tool: string;
  /** Starts (or replaces) the context. */
  start: RegExp;
  startHint?: string;
  /** With the context, makes a problem; the groups of both count. */
  entry: RegExp;
  entryHint?: string;
  severity?: Severity;
  /** Lines after the last start line the context lasts; a blank line ends it when `endsOnBlank`. */
  span: number;
  endsOnBlank?: boolean;
  /** Repeated start lines add to the message (pytest's `E` lines) instead of replacing the context. */
  accumulate?: boolean;
  /** One entry uses up the context (rustc: one location per message). */
  once?: boolean;
}

export type Matcher = LineMatcher | ContextMatcher;

const SOURCE_EXT = '[cm]?[jt]sx?|vue|svelte|astro';

/** In order: the first line entry that matches a line wins; the generic one comes last. */
export const MATCHERS: readonly Matcher[] = [
  // tsc without a terminal (CI): `src/a.ts(14,9): error TS2322: Type …`
  { kind: 'line', tool: 'tsc', hint: ' TS', pattern: new RegExp(`^(?<file>[^\\s()][^()]*?\\.(?:${SOURCE_EXT}))\\((?<line>\\d+),(?<column>\\d+)\\): (?<severity>error|warning) (?<code>TS\\d+): (?<message>.+)$`) },
  // tsc --pretty: `src/a.ts:14:9 - error TS2322: Type …`
  { kind: 'line', tool: 'tsc', hint: ' TS', pattern: new RegExp(`^(?<file>\\S+\\.(?:${SOURCE_EXT})):(?<line>\\d+):(?<column>\\d+) - (?<severity>error|warning) (?<code>TS\\d+): (?<message>.+)$`) },
  // ESLint compact: `/builds/g/p/src/a.ts: line 9, col 9, Error - 'x' is … (no-unused-vars)`
  { kind: 'line', tool: 'eslint', hint: ', col ', pattern: /^(?<file>\S.*?): line (?<line>\d+), col (?<column>\d+), (?<severity>Error|Warning) - (?<message>.+?)(?: \((?<code>[\w@/-]+)\))?$/ },
  // Maven (javac through maven-compiler-plugin): `[ERROR] /builds/g/p/src/A.java:[4,13] incompatible types…`
  { kind: 'line', tool: 'maven', hint: '.java:[', pattern: /^\[(?<severity>ERROR|WARNING)\] (?<file>\S+\.java):\[(?<line>\d+),(?<column>\d+)\] (?<message>.+)$/ },
  // javac, and Gradle's Java compile: `src/A.java:4: error: incompatible types…`
  { kind: 'line', tool: 'javac', hint: '.java:', pattern: /^(?<file>\S+\.java):(?<line>\d+): (?<severity>error|warning): (?<message>.+)$/ },
  // Gradle's Kotlin compile: `e: file:///builds/g/p/src/App.kt:4:13 Type mismatch…`
  { kind: 'line', tool: 'gradle', hint: '.kt', pattern: /^(?<severity>e|w): (?:file:\/\/)?(?<file>\S+\.kts?):(?<line>\d+):(?<column>\d+) (?<message>.+)$/ },
  // go build / vet / test: `./cart.go:5:2: undefined: foo`, `    cart_test.go:12: got 3, want 4`
  { kind: 'line', tool: 'go', hint: '.go:', severity: 'error', pattern: /^\s*(?:vet: )?(?<file>[^\s:]+\.go):(?<line>\d+)(?::(?<column>\d+))?: (?<message>.+)$/ },
  // pytest's location after a failure's `E` lines: `tests/test_cart.py:5: AssertionError`
  {
    kind: 'context', tool: 'pytest', severity: 'error', span: 3, accumulate: true, once: true,
    start: /^E {2,}(?<message>.+)$/, startHint: 'E ',
    entry: /^(?<file>[^\s:]+\.py):(?<line>\d+): (?<code>\w+)$/, entryHint: '.py:',
  },
  // Python traceback: the innermost `File "…", line N` frame, completed by the exception line.
  {
    kind: 'context', tool: 'python', severity: 'error', span: 4,
    start: /^\s+File "(?<file>[^"]+)", line (?<line>\d+)/, startHint: 'File "',
    entry: /^(?<message>(?<code>[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))(?::.*)?)$/,
  },
  // rustc / cargo: `error[E0308]: mismatched types`, then ` --> src/main.rs:2:18`
  {
    kind: 'context', tool: 'rustc', span: 3, once: true,
    start: /^(?<severity>error|warning)(?:\[(?<code>E\d+)\])?: (?<message>.+)$/, startHint: ': ',
    entry: /^\s*--> (?<file>[^\s:]+):(?<line>\d+):(?<column>\d+)$/, entryHint: '--> ',
  },
  // ESLint stylish: the file on a line of its own, then `  9:9  error  'x' is … never used  no-unused-vars`
  {
    kind: 'context', tool: 'eslint', span: 10_000, endsOnBlank: true,
    start: new RegExp(`^(?<file>\\S+\\.(?:${SOURCE_EXT}|json|md|ya?ml|html))$`),
    entry: /^\s+(?<line>\d+):(?<column>\d+)\s+(?<severity>error|warning)\s+(?<message>.+?)(?:\s{2,}(?<code>[\w@/-]+))?$/,
  },
  // Generic, GCC and Clang too: `src/parse.c:4:10: error: 'y' undeclared`, `file:3: warning: …`
  { kind: 'line', tool: 'generic', hint: ': ', pattern: /^(?<file>[^\s:][^:]*?):(?<line>\d+)(?::(?<column>\d+))?:\s*(?<severity>error|warning|fatal error|note):\s*(?<message>.+)$/i },
];

/** `error`, `Error`, `ERROR`, `e`, `fatal error` → error; `note` → info. */
export function toSeverity(word: string | undefined, fallback: Severity = 'error'): Severity {
  if (word === undefined) return fallback;
  const lower = word.toLowerCase();
  if (lower === 'warning' || lower === 'w') return 'warning';
  if (lower === 'note') return 'info';
  return 'error';
}
