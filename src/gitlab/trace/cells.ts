import { DEFAULT_SGR, SgrState, sameSgr, toTraceStyle, TraceStyle } from './style';

/** A styled run of a line: `start` and `end` are UTF-16 offsets into the line's text. */
export interface StyledSpan {
  start: number;
  end: number;
  style: TraceStyle;
}

/** `String.fromCharCode` takes its units as arguments: few enough per call to stay clear of engine limits. */
const UNITS_PER_CALL = 8192;

/**
 * The line being written, as a terminal would hold it: one cell per UTF-16 unit and a cursor, so `\r` and erase
 * sequences act on columns. Writing at the cursor appends or overwrites in constant time.
 */
export class LineCells {
  private units = new Uint16Array(256);
  private size = 0;
  private column = 0;
  /** Each cell's style, kept only once a styled cell was written: most lines have none. */
  private styles: Readonly<SgrState>[] | undefined;

  get length(): number {
    return this.size;
  }

  get cursor(): number {
    return this.column;
  }

  /**
   * Writes `run[start...]` at the cursor, up to column `limit`: how far into `run` it got. The cursor moves past what
   * was written, overwriting cells after a `\r` and appending at the end.
   */
  write(run: string, start: number, style: Readonly<SgrState>, limit: number): number {
    let end = Math.max(start, Math.min(run.length, start + limit - this.column));
    // Cut between the halves of a surrogate pair, each line would end or start with half a character.
    if (end > start && end < run.length && isHighSurrogate(run.charCodeAt(end - 1))) end -= 1;
    const from = this.column;
    this.reserve(from + end - start);
    for (let i = start; i < end; i++) this.units[this.column++] = run.charCodeAt(i);
    if (this.styles === undefined && style !== DEFAULT_SGR) this.styles = new Array<Readonly<SgrState>>(this.size).fill(DEFAULT_SGR);
    if (this.styles !== undefined) for (let column = from; column < this.column; column++) this.styles[column] = style;
    if (this.column > this.size) this.size = this.column;
    return end;
  }

  carriageReturn(): void {
    this.column = 0;
  }

  backspace(): void {
    if (this.column > 0) this.column -= 1;
  }

  /** `\e[K`, `\e[0K`: from the cursor to the end of the line. */
  eraseToEnd(): void {
    this.size = this.column;
    if (this.styles !== undefined) this.styles.length = this.column;
  }

  /** `\e[1K`: from the start of the line to the cursor, which leaves blanks. */
  eraseToCursor(): void {
    const end = Math.min(this.column + 1, this.size);
    this.units.fill(0x20, 0, end);
    this.styles?.fill(DEFAULT_SGR, 0, end);
  }

  clear(): void {
    this.column = 0;
    this.size = 0;
    this.styles = undefined;
  }

  /** The line's text after `prefix`, with spans for its styled runs (unstyled text has none). */
  render(prefix = ''): { text: string; spans: StyledSpan[] } {
    let text = prefix;
    for (let start = 0; start < this.size; start += UNITS_PER_CALL) {
      const units = this.units.subarray(start, Math.min(this.size, start + UNITS_PER_CALL));
      text += String.fromCharCode.apply(null, units as unknown as number[]);
    }
    return { text, spans: this.styles === undefined ? [] : spansOf(this.styles, prefix.length) };
  }

  private reserve(capacity: number): void {
    if (capacity <= this.units.length) return;
    const units = new Uint16Array(Math.max(capacity, this.units.length * 2));
    units.set(this.units.subarray(0, this.size));
    this.units = units;
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** Runs of equal style, unstyled runs left out; offsets shifted by `offset`. */
function spansOf(styles: Readonly<SgrState>[], offset: number): StyledSpan[] {
  const spans: StyledSpan[] = [];
  let runStart = 0;
  for (let i = 1; i <= styles.length; i++) {
    const runStyle = styles[runStart];
    if (i < styles.length && sameSgr(styles[i], runStyle)) continue;
    if (!sameSgr(runStyle, DEFAULT_SGR)) spans.push({ start: offset + runStart, end: offset + i, style: toTraceStyle(runStyle) });
    runStart = i;
  }
  return spans;
}
