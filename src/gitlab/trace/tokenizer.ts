import { EscapeSequenceParser, MAX_CONTROL_SEQUENCE_LENGTH } from './escape';
import { SectionMarker, SectionMarkerMatcher } from './section-marker';

/** What the tokenizer finds in a log's text, in order. */
export interface TokenSink {
  /** Printable characters. */
  text(run: string): void;
  carriageReturn(): void;
  lineFeed(): void;
  backspace(): void;
  /** A complete CSI sequence `ESC [ <params> <final>`; other escape sequences are dropped. */
  controlSequence(params: string, final: string): void;
  sectionMarker(marker: SectionMarker): void;
}

/**
 * Characters that are not plain text by themselves: controls, and an `s` that may start a section marker (followed by
 * `ection_`, or too near the end of the text to tell).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SPECIAL = /[\x00-\x1f\x7f-\x9f]|s(?=ection_|.{0,6}$)/gs;
/** A whole CSI sequence within the parser's length limit: the common case, taken at once rather than per character. */
const WHOLE_CSI = new RegExp(`\\x1b\\[([\\x20-\\x3f]{0,${MAX_CONTROL_SEQUENCE_LENGTH - 3}})([\\x40-\\x7e])`, 'y');

/** Turns a log's text into tokens, keeping partial escapes and section markers across chunk boundaries. */
export class Tokenizer {
  private readonly escape = new EscapeSequenceParser();
  private readonly marker = new SectionMarkerMatcher();

  constructor(private readonly sink: TokenSink) {}

  push(text: string): void {
    let i = 0;
    while (i < text.length) {
      if (this.marker.active || this.escape.active) {
        this.pushCharacter(text[i]);
        i += 1;
        continue;
      }
      // Plain text goes to the sink in runs: far cheaper than a character at a time.
      SPECIAL.lastIndex = i;
      const special = SPECIAL.exec(text)?.index ?? text.length;
      if (special > i) this.sink.text(text.slice(i, special));
      WHOLE_CSI.lastIndex = special;
      const csi = WHOLE_CSI.exec(text);
      if (csi !== null) {
        this.sink.controlSequence(csi[1], csi[2]);
        i = WHOLE_CSI.lastIndex;
        continue;
      }
      if (special < text.length) this.pushCharacter(text[special]);
      i = special + 1;
    }
  }

  /** The log is over: a half-read marker was text after all; a half-read escape sequence is dropped. */
  end(): void {
    while (this.marker.active) this.replay(this.marker.abandon());
  }

  private pushCharacter(ch: string): void {
    if (this.marker.active) {
      this.pushToMarker(ch);
      return;
    }
    if (this.escape.active) {
      const step = this.escape.push(ch);
      if (step === 'csi') this.sink.controlSequence(this.escape.params, this.escape.final);
      if (step !== 'rejected') return;
    }
    this.pushOrdinary(ch);
  }

  private pushToMarker(ch: string): void {
    const result = this.marker.push(ch);
    if (result === 'pending') return;
    if (result !== 'mismatch') {
      this.sink.sectionMarker(result);
      return;
    }
    this.replay(this.marker.abandon());
    this.pushCharacter(ch);
  }

  /**
   * Characters held for a marker that did not match. The first (the `s`) is text; the rest go through the
   * tokenizer again, as they may hold an escape sequence or the start of a real marker.
   */
  private replay(held: string): void {
    this.sink.text(held[0]);
    this.push(held.slice(1));
  }

  private pushOrdinary(ch: string): void {
    switch (ch) {
      case '\x1b':
        this.escape.begin();
        return;
      case 's':
        this.marker.begin();
        return;
      case '\n':
        this.sink.lineFeed();
        return;
      case '\r':
        this.sink.carriageReturn();
        return;
      case '\b':
        this.sink.backspace();
        return;
      case '\t':
        this.sink.text(ch);
        return;
    }
    // Other C0 and C1 controls and DEL (bell, NUL, form feed...) have nothing to show.
    const code = ch.charCodeAt(0);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return;
    this.sink.text(ch);
  }
}
