import type { GitLab, ProjectRef } from '../gitlab';
import type { TraceCapabilities } from '../gitlab/trace/capabilities';
import { type RenderedLine, TraceRenderer, lineToPlainText, renderTraceText } from '../gitlab/trace/renderer';
import { SecretMasker } from './redact';

export interface TailRequest {
  lines: number;
  maxBytes: number;
  /** Masked in the raw log before anything is cut (see redact.ts). */
  secrets?: readonly string[];
  signal?: AbortSignal;
}

export interface RangeRequest {
  byteOffset: number;
  maxBytes: number;
  /** Masked in the raw log before anything is cut (see redact.ts). */
  secrets?: readonly string[];
  signal?: AbortSignal;
}

/** A bounded piece of a rendered job log, and where it sits in the whole. */
export interface LogExcerpt {
  text: string;
  /** Range reads: the raw log bytes before the excerpt. */
  skipped_bytes?: number;
  /** Tail reads: the rendered lines before the excerpt. */
  skipped_lines?: number;
  returned_lines: number;
  /** The raw log's size, when the whole log was read. */
  total_bytes?: number;
  /** Pass as byte_offset to read on from where this excerpt ends (new output of a running job, or the next piece). */
  next_offset: number;
  /** More log follows `next_offset` (range reads); a tail read always ends at the log's end. */
  more_after: boolean;
  /** The excerpt was cut to max_bytes. */
  truncated: boolean;
}

/**
 * The last `lines` rendered lines, at most `maxBytes` of text. The whole log streams through the renderer
 * (GitLab cannot say where the last lines start), keeping only the lines that may be returned.
 */
export async function readLogTail(gitlab: GitLab, project: ProjectRef, jobId: number, request: TailRequest): Promise<LogExcerpt> {
  const response = await gitlab.jobs.trace(project, jobId, { signal: request.signal });
  const renderer = new TraceRenderer();
  const masker = new SecretMasker(request.secrets ?? []);
  const kept = new LastLines(request.lines);
  let totalBytes = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    totalBytes += chunk.byteLength;
    kept.add(renderer.push(masker.push(chunk)));
  }
  kept.add(renderer.push(masker.end()));
  kept.add(renderer.end());

  const { lines, truncated } = lastLinesWithin(kept.lines(), request.maxBytes);
  return {
    text: masker.finishText(lines.join('\n')),
    skipped_lines: kept.seen - lines.length,
    returned_lines: lines.length,
    total_bytes: totalBytes,
    next_offset: totalBytes,
    more_after: false,
    truncated,
  };
}

/**
 * Up to `maxBytes` raw bytes from `byteOffset` on, rendered. Where GitLab serves byte ranges only that slice
 * crosses the network; elsewhere the log streams from its start and the bytes before the offset are dropped.
 * A cut falls at the end of a line when there is one, so the next read starts on a fresh line.
 */
export async function readLogRange(gitlab: GitLab, project: ProjectRef, jobId: number, capabilities: TraceCapabilities, request: RangeRequest): Promise<LogExcerpt> {
  // Read a secret's length - 1 more on each side, so that a secret the window's edges cut is seen whole and masked.
  const masker = new SecretMasker(request.secrets ?? []);
  const from = Math.max(0, request.byteOffset - masker.overlap);
  const lead = request.byteOffset - from;
  const wanted = lead + request.maxBytes + 1 + masker.overlap; // one byte more tells whether anything follows
  let window: Buffer | undefined;
  if (await capabilities.byteRanges(gitlab, project, jobId, request.signal)) {
    const response = await gitlab.jobs.trace(project, jobId, { byteOffset: from, byteLimit: wanted, signal: request.signal });
    const slice = await readWindow(response.body, 0, wanted + 1);
    // More than asked for: the server ignored the range after all (a rollback, a proxy); read it the old way.
    if (slice.byteLength <= wanted) window = slice;
    else capabilities.forget(gitlab);
  }
  if (window === undefined) {
    const response = await gitlab.jobs.trace(project, jobId, { signal: request.signal });
    window = await readWindow(response.body, from, wanted);
  }
  // Shorter than asked: the log ends there, maybe in the middle of a secret still being written.
  window = masker.maskWindow(window, { start: false, end: window.byteLength < wanted }).subarray(lead);

  const moreAfter = window.byteLength > request.maxBytes;
  let bytes = window.subarray(0, request.maxBytes);
  if (moreAfter) {
    const lastNewline = bytes.lastIndexOf(0x0a);
    if (lastNewline >= 0) bytes = bytes.subarray(0, lastNewline + 1);
  }
  const text = bytes.byteLength === 0 ? '' : masker.finishText(renderTraceText(bytes).replace(/\n$/, ''));
  return {
    text,
    skipped_bytes: request.byteOffset,
    returned_lines: text === '' ? 0 : text.split('\n').length,
    next_offset: request.byteOffset + bytes.byteLength,
    more_after: moreAfter,
    truncated: moreAfter,
  };
}

/** Bytes [offset, offset + length) of a stream, which is abandoned as soon as they are in. */
async function readWindow(body: AsyncIterable<Buffer> & { destroy(): unknown }, offset: number, length: number): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let position = 0;
  let have = 0;
  for await (const chunk of body) {
    const start = Math.max(0, offset - position);
    position += chunk.byteLength;
    if (start >= chunk.byteLength) continue;
    const piece = chunk.subarray(start, start + (length - have));
    pieces.push(piece);
    have += piece.byteLength;
    if (have >= length) break;
  }
  body.destroy();
  return Buffer.concat(pieces);
}

/** A ring of the last `capacity` lines seen, as plain text. */
class LastLines {
  private readonly ring: string[] = [];
  seen = 0;

  constructor(private readonly capacity: number) {}

  add(lines: readonly RenderedLine[]): void {
    for (const line of lines) this.ring[this.seen++ % this.capacity] = lineToPlainText(line);
  }

  lines(): string[] {
    if (this.seen <= this.capacity) return this.ring.slice(0, this.seen);
    const start = this.seen % this.capacity;
    return [...this.ring.slice(start), ...this.ring.slice(0, start)];
  }
}

/** The last lines whose text fits `maxBytes`; a single longer line keeps its end. */
function lastLinesWithin(lines: readonly string[], maxBytes: number): { lines: string[]; truncated: boolean } {
  const kept: string[] = [];
  let bytes = 0;
  for (let index = lines.length - 1; index >= 0; index--) {
    const size = Buffer.byteLength(lines[index]) + 1;
    if (bytes + size > maxBytes) {
      if (kept.length === 0) kept.push(tailOfLine(lines[index], maxBytes));
      return { lines: kept.reverse(), truncated: true };
    }
    kept.push(lines[index]);
    bytes += size;
  }
  return { lines: kept.reverse(), truncated: false };
}

function tailOfLine(line: string, maxBytes: number): string {
  const characters = [...line];
  let bytes = 0;
  let start = characters.length;
  while (start > 0 && bytes + Buffer.byteLength(characters[start - 1]) <= maxBytes) bytes += Buffer.byteLength(characters[--start]);
  return characters.slice(start).join('');
}
