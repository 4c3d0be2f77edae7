/** `2025-04-22T20:52:13.620313Z 00O ` (or `00O+`): gitlab-runner's prefix on every line when its timestamps are on. */
export const TIMESTAMP_PREFIX_LENGTH = 32;
const TIMESTAMP_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z [0-9a-f]{2}[OE][ +]$/;

export interface TimestampPrefix {
  /** `HH:MM:SS`, UTC as the runner wrote it. */
  time: string;
  /** `+`: the runner split a line (a flush after `\r`, or a long write); this one continues the previous. */
  continuesLine: boolean;
}

export function parseTimestampPrefix(text: string): TimestampPrefix | undefined {
  if (!TIMESTAMP_PREFIX.test(text)) return undefined;
  return { time: text.slice(11, 19), continuesLine: text[TIMESTAMP_PREFIX_LENGTH - 1] === '+' };
}

export interface TimestampedTextSink {
  /** The log's content: prefixes removed, continuation lines joined. */
  content(text: string): void;
  /** The runner's time for the content that follows. */
  time(time: string): void;
}

/**
 * Removes the runner's per-line timestamp prefixes. Whether a log has them is decided on its first line, by the exact
 * shape of the prefix; a log without them passes untouched. A line end is held back until the next line shows
 * whether it continues this one (`+`), in which case the two are joined.
 */
export class TimestampPrefixFilter {
  private mode: 'detecting' | 'timestamped' | 'plain' = 'detecting';
  /** The first characters of a line, until there are enough to judge them. */
  private lineStart = '';
  private atLineStart = true;
  private heldLineFeed = false;

  constructor(private readonly sink: TimestampedTextSink) {}

  push(text: string): void {
    let i = 0;
    while (i < text.length) {
      if (this.mode === 'plain') {
        this.sink.content(i === 0 ? text : text.slice(i));
        return;
      }
      const lineFeed = text.indexOf('\n', i);
      if (this.atLineStart) {
        const wanted = i + TIMESTAMP_PREFIX_LENGTH - this.lineStart.length;
        const end = lineFeed === -1 ? Math.min(text.length, wanted) : Math.min(lineFeed, wanted);
        this.lineStart += text.slice(i, end);
        i = end;
        if (end === wanted || end === lineFeed) this.judgeLineStart();
      } else if (lineFeed === -1) {
        this.sink.content(text.slice(i));
        return;
      } else {
        if (lineFeed > i) this.sink.content(text.slice(i, lineFeed));
        this.heldLineFeed = true;
        this.atLineStart = true;
        i = lineFeed + 1;
      }
    }
  }

  end(): void {
    if (this.lineStart !== '') this.judgeLineStart();
    if (this.heldLineFeed) this.sink.content('\n');
    this.heldLineFeed = false;
  }

  private judgeLineStart(): void {
    const text = this.lineStart;
    const prefix = parseTimestampPrefix(text);
    this.lineStart = '';
    this.atLineStart = false;
    if (this.mode === 'detecting') this.mode = prefix === undefined ? 'plain' : 'timestamped';
    if (this.heldLineFeed && prefix?.continuesLine !== true) this.sink.content('\n');
    this.heldLineFeed = false;
    if (prefix !== undefined) this.sink.time(prefix.time);
    else if (text !== '') this.sink.content(text);
  }
}
