import type { StyledSpan } from './cells';

/**
 * One line of a rendered job log. `text` is what to show (section headers and footers included), without indentation;
 * `depth` is how many sections enclose it (a section's header and footer sit at the depth of the section's parent).
 * `time` is the runner's `HH:MM:SS` (UTC, as written) when the log has timestamps and they are shown.
 */
export type RenderedLine = TextLine | SectionStartLine | SectionEndLine;

export interface TextLine {
  kind: 'text';
  text: string;
  spans: StyledSpan[];
  depth: number;
  time?: string;
}

/** A section's header: the text the runner wrote after `section_start` (▸ and the name when there is none). */
export interface SectionStartLine {
  kind: 'section-start';
  text: string;
  spans: StyledSpan[];
  name: string;
  depth: number;
  collapsed: boolean;
  time?: string;
}

/** A section's footer; `durationSeconds` is absent with `hide_duration=true` or when the section was closed by an outer one. */
export interface SectionEndLine {
  kind: 'section-end';
  text: string;
  name: string;
  depth: number;
  durationSeconds?: number;
  time?: string;
}

export const SECTION_HEADER_MARK = '▸ ';
export const SECTION_FOOTER_MARK = '◂ ';
const INDENT = '  ';

/** A line as plain text for an output channel or a file: time, then two spaces a depth, then the text. */
export function lineToPlainText(line: RenderedLine): string {
  const text = line.text === '' ? '' : INDENT.repeat(line.depth) + line.text;
  if (line.time === undefined) return text;
  return text === '' ? line.time : `${line.time} ${text}`;
}

export function sectionFooterText(name: string, durationSeconds: number | undefined): string {
  return SECTION_FOOTER_MARK + name + (durationSeconds === undefined ? '' : ` (${formatDuration(durationSeconds)})`);
}

/** `42s`, `3m 07s`, `1h 02m 03s`. */
export function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (hours > 0) return `${hours}h ${pad(minutes)}m ${pad(rest)}s`;
  if (minutes > 0) return `${minutes}m ${pad(rest)}s`;
  return `${rest}s`;
}
