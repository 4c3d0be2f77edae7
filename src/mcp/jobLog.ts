import type { GitLab, ProjectRef } from '../gitlab';
import { MAX_TRACE_SLICE } from '../gitlab/jobs';
import type { TraceCapabilities } from '../gitlab/trace/capabilities';
import { readSlice } from '../gitlab/trace/slices';
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
 * (GitLab cannot say where the last lines start), keeping only what may be returned.
 */
export async function readLogTail(gitlab: GitLab, project: ProjectRef, jobId: number, request: TailRequest): Promise<LogExcerpt> {
  const response = await gitlab.jobs.trace(project, jobId, { signal: request.signal });
  const renderer = new TraceRenderer();
  const tail = new LogTail(request.lines, request.maxBytes);
  const masker = new SecretMasker(request.secrets ?? []);
  let totalBytes = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    totalBytes += chunk.byteLength;
    tail.add(renderer.push(masker.push(chunk)));
  }
  tail.add(renderer.push(masker.end()));
  tail.add(renderer.end());

  const lines = tail.lines();
  return {
    text: masker.finishText(lines.join('\n')),
    skipped_lines: tail.seen - lines.length,
    returned_lines: lines.length,
    total_bytes: totalBytes,
    next_offset: totalBytes,
    more_after: false,
    truncated: tail.truncated,
  };
}

/**
 * Up to `maxBytes` raw bytes from `byteOffset` on, rendered. Where GitLab serves slices only those bytes
 * cross the network; elsewhere the log streams from its start and the bytes before the offset are dropped.
 * A cut falls at the end of a line when there is one, so the next read starts on a fresh line.
 */
export async function readLogRange(gitlab: GitLab, project: ProjectRef, jobId: number, capabilities: TraceCapabilities, request: RangeRequest): Promise<LogExcerpt> {
  // Read a secret's length - 1 more on each side, so that a secret the window's edges cut is seen whole and masked.
  const masker = new SecretMasker(request.secrets ?? []);
  const from = Math.max(0, request.byteOffset - masker.overlap);
  const lead = request.byteOffset - from;
  const wanted = lead + request.maxBytes + 1 + masker.overlap; // one byte more tells whether anything follows
  const read = (await capabilities.servesSlices(gitlab, project, jobId, request.signal))
    ? await readSlices(gitlab, project, jobId, capabilities, from, wanted, request.signal)
    : await readWindow((await gitlab.jobs.trace(project, jobId, { signal: request.signal })).body, from, wanted);
  // Shorter than asked: the log ends there, maybe in the middle of a secret still being written.
  const window = masker.maskWindow(read, { start: false, end: read.byteLength < wanted }).subarray(lead);

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

/** Bytes [offset, offset + length) by slices; a server that turns out to ignore them is read the old way, from the same answer. */
async function readSlices(gitlab: GitLab, project: ProjectRef, jobId: number, capabilities: TraceCapabilities, offset: number, length: number, signal?: AbortSignal): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let have = 0;
  while (have < length) {
    const limit = Math.min(length - have, MAX_TRACE_SLICE);
    const response = await gitlab.jobs.trace(project, jobId, { byteOffset: offset + have, byteLimit: limit, signal });
    const answer = await readSlice(response.body, limit);
    if (answer.kind === 'whole-log') {
      capabilities.forget(gitlab);
      return readWindow(answer.log, offset, length);
    }
    pieces.push(answer.bytes);
    have += answer.bytes.byteLength;
    if (answer.bytes.byteLength < limit) break;
  }
  return Buffer.concat(pieces, have);
}

/** Bytes [offset, offset + length) of a whole log, streamed; the stream is abandoned as soon as they are in. */
async function readWindow(log: AsyncIterable<Buffer>, offset: number, length: number): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let position = 0;
  let have = 0;
  for await (const chunk of log) {
    const start = Math.max(0, offset - position);
    position += chunk.byteLength;
    if (start >= chunk.byteLength) continue;
    const piece = chunk.subarray(start, start + (length - have));
    pieces.push(piece);
    have += piece.byteLength;
    if (have >= length) break; // leaving the loop destroys the stream
  }
  return Buffer.concat(pieces, have);
}

/**
 * The last lines seen, as plain text, within both `capacity` lines and `maxBytes` (each line counted with
 * its newline): all a tail read may return, so a log of any size holds only this. A last line longer than
 * `maxBytes` on its own keeps its end.
 */
export class LogTail {
  private readonly ring: string[] = [];
  private first = 0;
  private count = 0;
  private bytes = 0;
  /** The oldest kept line lost its start to `maxBytes`. */
  private firstCut = false;
  seen = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes: number,
  ) {}

  /** The text kept, in bytes: never above `maxBytes` plus one newline. */
  get keptBytes(): number {
    return this.bytes;
  }

  /** Lines that the limits left out (a cut line included). */
  get truncated(): boolean {
    return this.firstCut || this.count < Math.min(this.seen, this.capacity);
  }

  add(lines: readonly RenderedLine[]): void {
    for (const line of lines) this.push(lineToPlainText(line));
  }

  lines(): string[] {
    return Array.from({ length: this.count }, (_, index) => this.ring[(this.first + index) % this.capacity]);
  }

  private push(text: string): void {
    this.seen++;
    if (this.count === this.capacity) this.dropFirst();
    this.ring[(this.first + this.count) % this.capacity] = text;
    this.count++;
    this.bytes += Buffer.byteLength(text) + 1;
    while (this.bytes > this.maxBytes && this.count > 1) this.dropFirst();
    if (this.bytes > this.maxBytes) {
      const end = tailOfLine(text, this.maxBytes);
      this.ring[this.first] = end;
      this.bytes = Buffer.byteLength(end) + 1;
      this.firstCut = true;
    }
  }

  private dropFirst(): void {
    this.bytes -= Buffer.byteLength(this.ring[this.first]) + 1;
    this.ring[this.first] = '';
    this.first = (this.first + 1) % this.capacity;
    this.count--;
    this.firstCut = false;
  }
}

function tailOfLine(line: string, maxBytes: number): string {
  const characters = [...line];
  let bytes = 0;
  let start = characters.length;
  while (start > 0 && bytes + Buffer.byteLength(characters[start - 1]) <= maxBytes) bytes += Buffer.byteLength(characters[--start]);
  return characters.slice(start).join('');
}
