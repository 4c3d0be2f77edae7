import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lineToPlainText, RenderedLine, TraceRenderer, TraceRendererOptions } from '../../../src/gitlab/trace/renderer';

/** The repository root: the nearest folder above this file (source or compiled) with a package.json. */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}

const TRACES = path.join(repoRoot(), '..', 'shared', 'gitlab-api', 'traces');
const GOLDEN = path.join(repoRoot(), 'test', 'gitlab', 'trace', 'golden');

export const TRACE_NAMES = ['SYNTH_plain_trace', 'SYNTH_timestamped_trace', 'recorded_raw_trace', 'recorded_raw_timestamped_trace'];

export function readTrace(name: string): Buffer {
  return readFileSync(path.join(TRACES, `${name}.log`));
}

/** A golden file's text without its final newline, to compare with `renderTraceText`. */
export function readGolden(fileName: string): string {
  return readFileSync(path.join(GOLDEN, fileName), 'utf8').replace(/\n$/, '');
}

/** Renders `input` fed as the given chunks (byte offsets where one ends and the next begins). */
export function renderChunks(input: Uint8Array | string, cuts: number[] = [], options?: TraceRendererOptions): RenderedLine[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const renderer = new TraceRenderer(options);
  const lines: RenderedLine[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    lines.push(...renderer.push(bytes.subarray(start, cut)));
    start = cut;
  }
  lines.push(...renderer.end());
  return lines;
}

/** Renders `input` in one chunk. */
export function render(input: Uint8Array | string, options?: TraceRendererOptions): RenderedLine[] {
  return renderChunks(input, [], options);
}

/** The plain text of each rendered line. */
export function texts(input: Uint8Array | string, options?: TraceRendererOptions): string[] {
  return render(input, options).map(lineToPlainText);
}

/** A runner timestamp prefix: `2024-05-21T13:37:<second>.000000Z 00O ` (`+` when `continues`). */
export function stamp(second: number, continues = false, stream = '00O'): string {
  return `2024-05-21T13:37:${String(second).padStart(2, '0')}.000000Z ${stream}${continues ? '+' : ' '}`;
}
