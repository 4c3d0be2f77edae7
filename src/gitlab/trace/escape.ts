/** A control sequence longer than this is given up: what follows shows as text, so a stray ESC cannot eat the log. */
export const MAX_CONTROL_SEQUENCE_LENGTH = 256;
/** OSC and other control strings are counted, never stored; hyperlink URLs can be long, but an unterminated one must end. */
export const MAX_CONTROL_STRING_LENGTH = 4096;

const ESC = 0x1b;
const BEL = 0x07;
const LINE_FEED = 0x0a;
const STRING_TERMINATOR = 0x9c;

export type EscapeStep =
  /** Consumed; the sequence goes on. */
  | 'pending'
  /** Consumed; the sequence ended and has no bearing on the text (OSC, charset selection, keypad modes...). */
  | 'ignored'
  /** Consumed; a CSI sequence ended: see `params` and `final`. */
  | 'csi'
  /** Not consumed: the sequence is dropped and the character is ordinary input. */
  | 'rejected';

type State = 'idle' | 'escape' | 'nf' | 'csi' | 'string' | 'stringEscape';

/** Recognises the sequence that follows an ESC, one character at a time, so it may span chunks. */
export class EscapeSequenceParser {
  /** Parameter and intermediate characters of the last CSI sequence, e.g. `0;36;1`. */
  params = '';
  /** Final character of the last CSI sequence, e.g. `m` or `K`. */
  final = '';
  private state: State = 'idle';
  private length = 0;

  get active(): boolean {
    return this.state !== 'idle';
  }

  /** An ESC was read. */
  begin(): void {
    this.state = 'escape';
    this.length = 1;
  }

  push(ch: string): EscapeStep {
    this.length += 1;
    const inString = this.state === 'string' || this.state === 'stringEscape';
    if (this.length > (inString ? MAX_CONTROL_STRING_LENGTH : MAX_CONTROL_SEQUENCE_LENGTH)) return this.finish('rejected');
    const code = ch.codePointAt(0) ?? 0;
    switch (this.state) {
      case 'escape':
        return this.afterEscape(ch, code);
      case 'nf': // ESC, intermediates, final: charset selection such as `ESC ( B` (part of `tput sgr0`)
        if (code >= 0x20 && code <= 0x2f) return 'pending';
        return this.finish(code >= 0x30 && code <= 0x7e ? 'ignored' : 'rejected');
      case 'csi':
        if (code >= 0x20 && code <= 0x3f) {
          this.params += ch;
          return 'pending';
        }
        if (code >= 0x40 && code <= 0x7e) {
          this.final = ch;
          return this.finish('csi');
        }
        if (code === ESC) {
          this.begin();
          return 'pending';
        }
        return this.finish('rejected');
      case 'string':
        if (code === BEL || code === STRING_TERMINATOR) return this.finish('ignored');
        if (code === ESC) this.state = 'stringEscape';
        // A line end means the string was never terminated: give the line back rather than swallow the log.
        return code === LINE_FEED ? this.finish('rejected') : 'pending';
      case 'stringEscape':
        if (ch === '\\') return this.finish('ignored');
        // Any other ESC ends the string and starts a sequence of its own.
        this.begin();
        return this.push(ch);
      case 'idle':
        return 'rejected';
    }
  }

  private afterEscape(ch: string, code: number): EscapeStep {
    if (ch === '[') {
      this.state = 'csi';
      this.params = '';
      return 'pending';
    }
    if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_') {
      this.state = 'string'; // OSC, DCS, SOS, PM, APC
      return 'pending';
    }
    if (code === ESC) {
      this.begin();
      return 'pending';
    }
    if (code >= 0x20 && code <= 0x2f) {
      this.state = 'nf';
      return 'pending';
    }
    return this.finish(code >= 0x30 && code <= 0x7e ? 'ignored' : 'rejected');
  }

  private finish(step: EscapeStep): EscapeStep {
    this.state = 'idle';
    return step;
  }
}
