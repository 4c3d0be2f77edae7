import * as vscode from 'vscode';
import type { Job } from '../../gitlab/models';
import { ProblemScanner } from '../../gitlab/problems/scanner';
import { lineToPlainText, type RenderedLine } from '../../gitlab/trace/renderer';
import { jobTitleLine, restartLine, RULE } from './jobSummary';
import { styleClasses } from './styleDecorations';

/** The header's size never changes, so log lines (and their ranges) keep their line numbers as it fills in. */
const HEADER_LINES = 3;

/** A style class's ranges, in line order; `shown` of them were last given to the editors. */
export interface StyledRanges {
  ranges: vscode.Range[];
  shown: number;
}

export interface Section {
  start: number;
  /** The section's footer line, once it closed. */
  end?: number;
  collapsed: boolean;
  /** The header's text (what the runner wrote, or the section's name). */
  title: string;
  durationSeconds?: number;
}

/** Lines flagged as errors kept at most: Next/Previous Error need no more, and memory stays bounded. */
const MAX_ERROR_LINES = 10_000;
/** The renderer's red foregrounds (ANSI 1 and 9): how runners and most tools flag an error line. */
const RED_CLASSES = new Set(['fg:1', 'fg:9']);

/**
 * What a job-log document shows: a header, the rendered log as it grows, a status at the end, plus the style
 * ranges and sections that decorate and fold it. Line numbers are the document's.
 */
export class LogDocumentModel {
  readonly styles = new Map<string, StyledRanges>();
  private header: string[];
  private lines: string[] = [];
  private status: string[] = [];
  private sections: Section[] = [];
  private openSections: Section[] = [];
  private scanner = new ProblemScanner();
  /** Lines where a problem matcher found an error, and lines the log coloured red, in line order. */
  private matchedErrors: number[] = [];
  private redLines: number[] = [];

  constructor(jobId: number) {
    this.header = [vscode.l10n.t('Job #{0}', jobId), '', RULE];
  }

  get lineCount(): number {
    return HEADER_LINES + this.lines.length + this.status.length;
  }

  setJob(job: Job): void {
    this.header = [jobTitleLine(job), job.web_url, RULE];
  }

  /** The lines under the log (what the follow is doing, or how the job ended). */
  setStatus(...lines: string[]): void {
    this.status = lines.length > 0 ? [RULE, ...lines] : [];
  }

  add(rendered: readonly RenderedLine[]): void {
    for (const line of rendered) {
      const number = HEADER_LINES + this.lines.length;
      const text = lineToPlainText(line);
      this.lines.push(text);
      this.flagErrors(line, number);
      if (line.kind === 'section-start') {
        const section: Section = { start: number, collapsed: line.collapsed, title: line.text.replace(/^▸ /, '') || line.name };
        this.sections.push(section);
        this.openSections.push(section);
      } else if (line.kind === 'section-end') {
        const section = this.openSections.pop();
        if (section) {
          section.end = number;
          if (line.durationSeconds !== undefined) section.durationSeconds = line.durationSeconds;
        }
      }
      if (line.kind !== 'section-end' && line.spans.length > 0) {
        // Spans index the line's own text; the plain line has the time and indentation before it.
        const offset = text.length - line.text.length;
        for (const span of line.spans) {
          const range = new vscode.Range(number, offset + span.start, number, offset + span.end);
          for (const styleClass of styleClasses(span.style)) this.rangesOf(styleClass).ranges.push(range);
        }
      }
    }
  }

  /** The log is void (it shrank or was rewritten): start again under a line that says why. */
  restart(reason: string): void {
    this.clear();
    this.lines.push(restartLine(reason));
  }

  /** No log lines any more. Style classes stay, empty, so the editors' decorations of them get cleared too. */
  clear(): void {
    this.lines = [];
    this.status = [];
    this.sections = [];
    this.openSections = [];
    this.scanner = new ProblemScanner();
    this.matchedErrors = [];
    this.redLines = [];
    for (const styled of this.styles.values()) styled.ranges = [];
  }

  text(): string {
    return [...this.header, ...this.lines, ...this.status].join('\n');
  }

  /** Each section from its header to the line before its footer, so a folded section still shows its duration. */
  foldingRanges(lineCount: number): vscode.FoldingRange[] {
    const lastLogLine = HEADER_LINES + this.lines.length - 1;
    return this.sections
      .map((section) => new vscode.FoldingRange(section.start, (section.end ?? lastLogLine + 1) - 1, vscode.FoldingRangeKind.Region))
      .filter((range) => range.end > range.start && range.end < lineCount);
  }

  /** Header lines of the sections the runner asked to show collapsed (`[collapsed=true]`), once they closed. */
  collapsedSections(): number[] {
    return this.sections.filter((section) => section.collapsed && section.end !== undefined).map((section) => section.start);
  }

  /** Every section so far, in header order (open ones have no `end`). */
  allSections(): readonly Section[] {
    return this.sections;
  }

  /** The lines Next/Previous Error visit: matched problems and red lines, in line order. */
  errorLines(): number[] {
    return [...new Set([...this.matchedErrors, ...this.redLines])].sort((a, b) => a - b);
  }

  /** Where a failed job's log opens: its first matched error, else its first red line. */
  firstErrorLine(): number | undefined {
    return this.matchedErrors[0] ?? this.redLines[0];
  }

  private flagErrors(line: RenderedLine, number: number): void {
    const before = this.scanner.count;
    this.scanner.push(line.text);
    if (this.scanner.count > before && this.scanner.newest?.severity === 'error' && this.matchedErrors.length < MAX_ERROR_LINES) this.matchedErrors.push(number);
    else if (line.kind === 'text' && this.redLines.length < MAX_ERROR_LINES && line.spans.some((span) => styleClasses(span.style).some((name) => RED_CLASSES.has(name)))) this.redLines.push(number);
  }

  private rangesOf(styleClass: string): StyledRanges {
    let styled = this.styles.get(styleClass);
    if (!styled) {
      styled = { ranges: [], shown: 0 };
      this.styles.set(styleClass, styled);
    }
    return styled;
  }
}
