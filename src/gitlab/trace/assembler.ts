import { LineCells } from './cells';
import { RenderedLine, SECTION_HEADER_MARK, SectionEndLine, sectionFooterText } from './lines';
import type { SectionMarker } from './section-marker';
import { applySgr, DEFAULT_SGR, isSgrParams, SgrState } from './style';
import type { TokenSink } from './tokenizer';

/** A longer line is cut there and goes on in the next line, so one line without a newline cannot exhaust memory. */
export const MAX_LINE_LENGTH = 64 * 1024;
/** Sections nested deeper are shown as plain lines, so a log opening sections without end cannot grow the stack. */
export const MAX_SECTION_DEPTH = 64;

interface OpenSection {
  name: string;
  startedAt: number;
  hideDuration: boolean;
}

interface PendingHeader {
  name: string;
  depth: number;
  collapsed: boolean;
  time: string | undefined;
}

/** Builds rendered lines from tokens: applies styles, carriage returns and erases, and turns markers into sections. */
export class LineAssembler implements TokenSink {
  private readonly cells = new LineCells();
  private readonly openSections: OpenSection[] = [];
  private style: Readonly<SgrState> = DEFAULT_SGR;
  /** Set while the line being written is a section's header: the text after its `section_start` marker. */
  private header: PendingHeader | undefined;
  /** A line that held only section markers is not shown as a blank line. */
  private markerOnLine = false;
  private clock: string | undefined;
  private lineTime: string | undefined;
  private finished: RenderedLine[] = [];

  /** The lines completed since the last call. */
  takeLines(): RenderedLine[] {
    const lines = this.finished;
    this.finished = [];
    return lines;
  }

  /** The time of the runner's line being read, for lines started from now on. */
  setTime(time: string): void {
    this.clock = time;
    if (this.cells.length === 0 && this.header === undefined) this.lineTime = time;
  }

  text(run: string): void {
    let written = this.cells.write(run, 0, this.style, MAX_LINE_LENGTH);
    while (written < run.length) {
      this.completeLine();
      written = this.cells.write(run, written, this.style, MAX_LINE_LENGTH);
    }
  }

  carriageReturn(): void {
    this.cells.carriageReturn();
  }

  backspace(): void {
    this.cells.backspace();
  }

  lineFeed(): void {
    if (this.header !== undefined || this.cells.length > 0 || !this.markerOnLine) this.completeLine();
    else this.startLine();
  }

  controlSequence(params: string, final: string): void {
    if (final === 'm' && isSgrParams(params)) this.style = applySgr(this.style, params);
    else if (final === 'K' && (params === '' || params === '0')) this.cells.eraseToEnd();
    else if (final === 'K' && params === '1') this.cells.eraseToCursor();
    else if (final === 'K' && params === '2') this.cells.clear();
    // Cursor movement, scrolling, modes: a log has no screen to act on.
  }

  sectionMarker(marker: SectionMarker): void {
    if (marker.kind === 'start') this.openSection(marker);
    else this.closeSection(marker);
    this.markerOnLine = true;
  }

  /** The log is over: its last line, if it has anything to show. Sections left open stay open. */
  end(): void {
    this.completeNonEmptyLine();
  }

  private openSection(marker: SectionMarker): void {
    if (this.openSections.length >= MAX_SECTION_DEPTH) return;
    this.completeNonEmptyLine();
    this.header = { name: marker.name, depth: this.openSections.length, collapsed: marker.collapsed, time: this.clock };
    this.openSections.push({ name: marker.name, startedAt: marker.timestamp, hideDuration: marker.hideDuration });
  }

  /** Closes the named section and any left open inside it; an end without a start is ignored. */
  private closeSection(marker: SectionMarker): void {
    let index = this.openSections.length - 1;
    while (index >= 0 && this.openSections[index].name !== marker.name) index -= 1;
    if (index < 0) return;
    this.completeNonEmptyLine();
    while (this.openSections.length > index) {
      const section = this.openSections.pop() as OpenSection;
      const duration = marker.timestamp - section.startedAt;
      // Only the named section's duration is known; one closed implicitly has none.
      const shown = this.openSections.length === index && !section.hideDuration && duration >= 0 ? duration : undefined;
      const { name } = section;
      const footer: SectionEndLine = { kind: 'section-end', text: sectionFooterText(name, shown), name, depth: this.openSections.length };
      if (shown !== undefined) footer.durationSeconds = shown;
      this.finished.push(withTime(footer, this.clock));
    }
  }

  private completeNonEmptyLine(): void {
    if (this.header !== undefined || this.cells.length > 0) this.completeLine();
  }

  private completeLine(): void {
    const header = this.header;
    if (header === undefined) {
      const { text, spans } = this.cells.render();
      this.finished.push(withTime({ kind: 'text', text, spans, depth: this.openSections.length }, this.lineTime));
    } else {
      const { name, depth, collapsed, time } = header;
      const { text, spans } = this.cells.length > 0 ? this.cells.render(SECTION_HEADER_MARK) : { text: SECTION_HEADER_MARK + name, spans: [] };
      this.finished.push(withTime({ kind: 'section-start', text, spans, name, depth, collapsed }, time));
    }
    this.startLine();
  }

  private startLine(): void {
    this.cells.clear();
    this.header = undefined;
    this.markerOnLine = false;
    this.lineTime = this.clock;
  }
}

function withTime<T extends RenderedLine>(line: T, time: string | undefined): T {
  if (time !== undefined) line.time = time;
  return line;
}
