import type { Document } from 'yaml';
import { yaml } from './yamlLib';

/** GitLab's default `max_yaml_size_bytes` (2 MB): a bigger file is refused by GitLab anyway. */
export const MAX_CI_FILE_BYTES = 2 * 1024 * 1024;
/** Aliases one expansion may follow (the `yaml` package's guard against "billion laughs" bombs). */
export const MAX_ALIAS_COUNT = 100;

/** A 0-based position, as editors count (UTF-16 code units in the line). */
export interface SourcePosition {
  line: number;
  character: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

export interface SourceProblem {
  message: string;
  range: SourceRange;
}

/**
 * A CI file parsed with positions kept: its documents (a `spec:` header, then the configuration), the
 * syntax errors found locally, and a way from offsets to lines. Aliases are never expanded here, so an
 * anchors-and-aliases bomb costs no more than its text.
 */
export class CiSource {
  readonly documents: Document.Parsed[];
  readonly lineCounter = new (yaml().LineCounter)();
  /** Syntax errors and limits broken: reported without asking GitLab. */
  readonly problems: SourceProblem[] = [];

  constructor(readonly text: string) {
    if (Buffer.byteLength(text, 'utf8') > MAX_CI_FILE_BYTES) {
      this.documents = [];
      this.problems.push({
        message: `The file is larger than GitLab's 2 MB limit for CI configuration: split it with include:local.`,
        range: this.lineRange(0),
      });
      return;
    }
    try {
      this.documents = yaml().parseAllDocuments(text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
    } catch (error) {
      // A parse that runs out of stack on absurd nesting: bounded, and said plainly.
      this.documents = [];
      this.problems.push({ message: `The YAML could not be read: ${error instanceof Error ? error.message : String(error)}`, range: this.lineRange(0) });
      return;
    }
    if (!Array.isArray(this.documents)) this.documents = [];
    for (const document of this.documents) {
      for (const error of document.errors) {
        this.problems.push({ message: `YAML: ${firstLine(error.message)}`, range: this.offsetRange(error.pos[0], error.pos[1]) });
      }
    }
  }

  /** The document holding the jobs: the last one (the first is a `spec:` header when there are two). */
  get configDocument(): Document.Parsed | undefined {
    return this.documents[this.documents.length - 1];
  }

  /** The `spec:` header, when the file has one (a first document of two or more). */
  get headerDocument(): Document.Parsed | undefined {
    return this.documents.length > 1 ? this.documents[0] : undefined;
  }

  position(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: line - 1, character: col - 1 };
  }

  offsetRange(start: number, end: number): SourceRange {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** The whole of a 0-based line (clamped to the file). */
  lineRange(line: number): SourceRange {
    const starts = this.lineCounter.lineStarts;
    const lineCount = Math.max(1, this.text.split('\n').length);
    const clamped = Math.max(0, Math.min(line, lineCount - 1));
    const start = starts[clamped] ?? offsetOfLine(this.text, clamped);
    const nextNewline = this.text.indexOf('\n', start);
    const end = nextNewline < 0 ? this.text.length : nextNewline;
    return { start: { line: clamped, character: 0 }, end: { line: clamped, character: Math.max(0, end - start) } };
  }
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return offset;
    offset = next + 1;
  }
  return offset;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
