/** A runner section boundary: `section_start:<unix>:<name>[<options>]\r\e[0K` or `section_end:<unix>:<name>\r\e[0K`. */
export interface SectionMarker {
  readonly kind: 'start' | 'end';
  /** Unix seconds on the runner's clock. */
  readonly timestamp: number;
  readonly name: string;
  /** Options from `[collapsed=true,hide_duration=true]`. */
  readonly collapsed: boolean;
  readonly hideDuration: boolean;
}

const START = 'section_start:';
const END = 'section_end:';
const MAX_TIMESTAMP_DIGITS = 15;
const MAX_NAME_LENGTH = 256;
const MAX_OPTIONS_LENGTH = 256;
const NAME_CHARACTER = /^[a-zA-Z0-9_.-]$/;

type Phase =
  | 'keyword'
  | 'timestamp'
  | 'name'
  | 'options'
  | 'afterOptions'
  | 'carriageReturn'
  | 'escape'
  | 'erase'
  | 'eraseZero'
  | 'complete';

/**
 * Recognises a section marker one character at a time, so a marker may span chunks. The `\r` before `\e[0K` is
 * optional: copies of logs whose `\r\n` were normalised to `\n` lose it where the runner's timestamper split the line.
 */
export class SectionMarkerMatcher {
  private held = '';
  private phase: Phase = 'keyword';
  private timestamp = '';
  private name = '';
  private options = '';

  get active(): boolean {
    return this.held !== '';
  }

  /** An `s` was read: it may start a marker. */
  begin(): void {
    this.held = 's';
    this.phase = 'keyword';
    this.timestamp = '';
    this.name = '';
    this.options = '';
  }

  /** The characters read since `begin()`, given back after a mismatch or at the end of the log. */
  abandon(): string {
    const held = this.held;
    this.held = '';
    return held;
  }

  /** A marker once complete; 'mismatch' leaves `ch` unconsumed and the held characters to `abandon()`. */
  push(ch: string): SectionMarker | 'pending' | 'mismatch' {
    if (!this.accepts(ch)) return 'mismatch';
    this.held += ch;
    if (this.phase !== 'complete') return 'pending';
    const options = parseOptions(this.options);
    const kind = this.held.startsWith(START) ? 'start' : 'end';
    this.held = '';
    return {
      kind,
      timestamp: Number(this.timestamp),
      name: this.name,
      collapsed: options.get('collapsed') === 'true',
      hideDuration: options.get('hide_duration') === 'true',
    };
  }

  /** Whether `ch` continues the marker, advancing the phase if so. */
  private accepts(ch: string): boolean {
    switch (this.phase) {
      case 'keyword': {
        const candidate = this.held + ch;
        if (!START.startsWith(candidate) && !END.startsWith(candidate)) return false;
        if (candidate === START || candidate === END) this.phase = 'timestamp';
        return true;
      }
      case 'timestamp':
        if (ch >= '0' && ch <= '9') return this.append('timestamp', ch, MAX_TIMESTAMP_DIGITS);
        return this.advanceIf(ch === ':' && this.timestamp !== '', 'name');
      case 'name':
        if (NAME_CHARACTER.test(ch)) return this.append('name', ch, MAX_NAME_LENGTH);
        return this.name !== '' && this.endOfName(ch);
      case 'options':
        if (ch === ']') return this.advanceIf(true, 'afterOptions');
        if (ch === '[' || ch === '\r' || ch === '\n' || ch === '\x1b') return false;
        return this.append('options', ch, MAX_OPTIONS_LENGTH);
      case 'afterOptions':
        return this.endOfName(ch);
      case 'carriageReturn':
        return this.advanceIf(ch === '\x1b', 'escape');
      case 'escape':
        return this.advanceIf(ch === '[', 'erase');
      case 'erase': // `\e[0K` as the runner writes it, or the equivalent `\e[K`
        if (ch === 'K') return this.advanceIf(true, 'complete');
        return this.advanceIf(ch === '0', 'eraseZero');
      case 'eraseZero':
        return this.advanceIf(ch === 'K', 'complete');
      case 'complete':
        return false;
    }
  }

  /** After the name (or its options): options, `\r`, or straight to `\e[0K`. */
  private endOfName(ch: string): boolean {
    if (ch === '[') return this.advanceIf(this.phase === 'name', 'options');
    if (ch === '\r') return this.advanceIf(true, 'carriageReturn');
    return this.advanceIf(ch === '\x1b', 'escape');
  }

  /** Adds `ch` to a part of the marker, unless that part is already as long as a marker's can be. */
  private append(part: 'timestamp' | 'name' | 'options', ch: string, maxLength: number): boolean {
    if (this[part].length >= maxLength) return false;
    this[part] += ch;
    return true;
  }

  private advanceIf(condition: boolean, phase: Phase): boolean {
    if (condition) this.phase = phase;
    return condition;
  }
}

function parseOptions(text: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const option of text.split(',')) {
    const [key, value = ''] = option.split('=', 2);
    options.set(key.trim(), value.trim());
  }
  return options;
}
