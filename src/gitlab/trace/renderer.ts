import { LineAssembler } from './assembler';
import { lineToPlainText, RenderedLine } from './lines';
import { TimestampPrefixFilter } from './timestamps';
import { Tokenizer } from './tokenizer';

export { MAX_LINE_LENGTH } from './assembler';
export type { StyledSpan } from './cells';
export { formatDuration, lineToPlainText } from './lines';
export type { RenderedLine, SectionEndLine, SectionStartLine, TextLine } from './lines';
export type { TraceStyle } from './style';

export interface TraceRendererOptions {
  /** For logs with the runner's per-line timestamps: drop them (default) or keep their `HH:MM:SS` in `time`. */
  timestamps?: 'strip' | 'show';
}

/**
 * Renders a GitLab job log fed as arbitrary byte chunks: decodes UTF-8 (invalid bytes become U+FFFD), strips the
 * runner's timestamp prefixes, removes escape sequences while keeping SGR styles as spans, applies `\r` and erase-line,
 * and turns section markers into header and footer lines. Every piece of state is bounded, so any input is safe.
 */
export class TraceRenderer {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly assembler = new LineAssembler();
  private readonly tokenizer = new Tokenizer(this.assembler);
  private readonly prefixes: TimestampPrefixFilter;

  constructor(options: TraceRendererOptions = {}) {
    const showTime = options.timestamps === 'show';
    this.prefixes = new TimestampPrefixFilter({
      content: (text) => this.tokenizer.push(text),
      time: (time) => {
        if (showTime) this.assembler.setTime(time);
      },
    });
  }

  /** The lines this chunk completed; the last, unfinished one waits for more. */
  push(chunk: Uint8Array): RenderedLine[] {
    this.feed(this.decoder.decode(chunk, { stream: true }));
    return this.assembler.takeLines();
  }

  /** The log is over: the lines still pending. The renderer takes no more input after this. */
  end(): RenderedLine[] {
    this.feed(this.decoder.decode());
    this.prefixes.end();
    this.tokenizer.end();
    this.assembler.end();
    return this.assembler.takeLines();
  }

  private feed(text: string): void {
    if (text !== '') this.prefixes.push(text);
  }
}

/** A whole log as plain text, one rendered line per line: for a finished job's log, and for tests. */
export function renderTraceText(bytes: Uint8Array, options?: TraceRendererOptions): string {
  const renderer = new TraceRenderer(options);
  return [...renderer.push(bytes), ...renderer.end()].map(lineToPlainText).join('\n');
}
