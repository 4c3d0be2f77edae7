import { type ContextMatcher, type Matcher, MATCHERS, type Severity, toSeverity } from './matchers';

/** A problem as the log states it: the path is the tool's, not yet mapped to a workspace. */
export interface LogProblem {
  tool: string;
  file: string;
  /** 1-based, as tools print them. */
  line: number;
  column?: number;
  severity: Severity;
  message: string;
  code?: string;
  /** 0-based index of the log line that completed the problem. */
  logLine: number;
}

export interface ScanLimits {
  /** Problems kept; the scan stops matching after this many. */
  maxProblems: number;
  /** Longer lines are not matched: no tool prints a problem that long, and regular expressions stay cheap. */
  maxLineLength: number;
  /** Messages are cut to this many characters. */
  maxMessageLength: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxProblems: 1000, maxLineLength: 4096, maxMessageLength: 500 };

export interface ScanResult {
  problems: LogProblem[];
  /** The scan hit `maxProblems`: the log has more than these. */
  capped: boolean;
  /** Lines too long to match. */
  longLines: number;
  /** Where the job's checkout was (`Initialized empty Git repository in <dir>/.git/`, `CI_PROJECT_DIR=<dir>`). */
  projectDir?: string;
}

interface OpenContext {
  groups: Record<string, string>;
  lastStart: number;
}

const PROJECT_DIR_LINES = [/Git repository in (?<dir>\/.+?)\/\.git\/?$/, /\bCI_PROJECT_DIR=(?<dir>\S+)/];

/**
 * Runs the matchers over a log's rendered lines as they come, holding only the problems found (capped) and one
 * context per context matcher: memory stays bounded whatever the log.
 */
export class ProblemScanner {
  private readonly found: LogProblem[] = [];
  private readonly contexts = new Map<ContextMatcher, OpenContext>();
  private readonly seen = new Set<string>();
  private lineNumber = 0;
  private capped = false;
  private longLines = 0;
  private projectDir: string | undefined;

  constructor(
    private readonly limits: ScanLimits = DEFAULT_SCAN_LIMITS,
    private readonly matchers: readonly Matcher[] = MATCHERS,
  ) {}

  /** One rendered line (its text, without the document's indentation). */
  push(text: string): void {
    const index = this.lineNumber++;
    if (this.capped) return;
    if (text.length > this.limits.maxLineLength) {
      this.longLines++;
      return;
    }
    const line = text.trimEnd();
    if (this.projectDir === undefined) this.findProjectDir(line);
    if (line === '') {
      for (const [matcher] of this.contexts) if (matcher.endsOnBlank) this.contexts.delete(matcher);
      return;
    }
    if (this.completeContexts(line, index)) return;
    for (const matcher of this.matchers) {
      if (matcher.kind !== 'line' || (matcher.hint !== undefined && !line.includes(matcher.hint))) continue;
      const match = matcher.pattern.exec(line);
      if (match?.groups) {
        this.add(matcher.tool, match.groups, matcher.severity, index);
        return;
      }
    }
    this.startContexts(line, index);
  }

  /** How many problems were found so far, and the newest of them. */
  get count(): number {
    return this.found.length;
  }

  get newest(): LogProblem | undefined {
    return this.found[this.found.length - 1];
  }

  result(): ScanResult {
    return { problems: this.found, capped: this.capped, longLines: this.longLines, ...(this.projectDir === undefined ? {} : { projectDir: this.projectDir }) };
  }

  private completeContexts(line: string, index: number): boolean {
    for (const [matcher, context] of this.contexts) {
      if (index - context.lastStart > matcher.span) {
        this.contexts.delete(matcher);
        continue;
      }
      if (matcher.entryHint !== undefined && !line.includes(matcher.entryHint)) continue;
      const match = matcher.entry.exec(line);
      if (!match?.groups) continue;
      if (matcher.once) this.contexts.delete(matcher);
      this.add(matcher.tool, { ...context.groups, ...definedGroups(match.groups), ...(context.groups.message && matcher.accumulate ? { message: context.groups.message } : {}) }, matcher.severity, index);
      return true;
    }
    return false;
  }

  private startContexts(line: string, index: number): void {
    for (const matcher of this.matchers) {
      if (matcher.kind !== 'context' || (matcher.startHint !== undefined && !line.includes(matcher.startHint))) continue;
      const match = matcher.start.exec(line);
      if (!match?.groups) continue;
      const groups = definedGroups(match.groups);
      const open = this.contexts.get(matcher);
      if (matcher.accumulate && open && index - open.lastStart <= 1 && open.groups.message !== undefined && groups.message !== undefined) {
        groups.message = `${open.groups.message} ${groups.message.trim()}`.slice(0, this.limits.maxMessageLength);
      }
      this.contexts.set(matcher, { groups, lastStart: index });
    }
  }

  private add(tool: string, groups: Record<string, string | undefined>, fixedSeverity: Severity | undefined, logLine: number): void {
    const { file, line, column, message, code, severity } = groups;
    const lineNumber = Number(line);
    if (!file || !Number.isSafeInteger(lineNumber) || lineNumber < 1) return;
    const columnNumber = column === undefined ? undefined : Number(column);
    const problem: LogProblem = {
      tool,
      file,
      line: lineNumber,
      ...(columnNumber !== undefined && Number.isSafeInteger(columnNumber) && columnNumber > 0 ? { column: columnNumber } : {}),
      severity: fixedSeverity ?? toSeverity(severity),
      message: (message ?? code ?? tool).trim().slice(0, this.limits.maxMessageLength),
      ...(code ? { code } : {}),
      logLine,
    };
    // The same problem printed twice (gcc repeats, pytest's summary) counts once.
    const key = `${problem.file}:${problem.line}:${problem.column ?? ''}:${problem.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.found.push(problem);
    if (this.found.length >= this.limits.maxProblems) this.capped = true;
  }

  private findProjectDir(line: string): void {
    if (!line.includes('Git repository in') && !line.includes('CI_PROJECT_DIR=')) return;
    for (const pattern of PROJECT_DIR_LINES) {
      const dir = pattern.exec(line)?.groups?.dir;
      if (dir) {
        this.projectDir = dir;
        return;
      }
    }
  }
}

function definedGroups(groups: Record<string, string | undefined>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups)) if (value !== undefined) defined[name] = value;
  return defined;
}

/** Scans a whole rendered log held as text (tests, small logs). */
export function scanLogText(text: string, limits?: ScanLimits): ScanResult {
  const scanner = new ProblemScanner(limits);
  for (const line of text.split('\n')) scanner.push(line);
  return scanner.result();
}
