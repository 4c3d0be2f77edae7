// A long job log that compresses like a real one. Repeating the real runner logs in shared/ verbatim would let
// gzip find every line again 21 KB back and shrink the log about 95×, flattering anything that asks for gzip;
// real logs shrink about 4× (those same logs, each alone). So each repetition gets fresh timestamps, hashes and
// numbers, as the output of another run would.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sharedGitLabApiDir } from '../../test/fake-gitlab/paths';

/** The runner's 32-byte timestamp prefix (FACTS.md): the time, then the stream and its flag. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z( [0-9a-f]{2}[OE][ +])/;
const SAMPLES = ['recorded_raw_trace.log', 'recorded_raw_timestamped_trace.log', 'SYNTH_plain_trace.log'];

/** Deterministic, so every run and every follower sees the same bytes. */
function pseudoRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` bytes of real runner output (ANSI, sections, timestamps) with the run-specific parts made anew. */
export function syntheticLog(size: number): Buffer {
  const traces = path.join(sharedGitLabApiDir(), 'traces');
  const lines = SAMPLES.flatMap((name) => readFileSync(path.join(traces, name), 'latin1').split('\n'));
  const random = pseudoRandom(42);
  const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
  let clock = Date.UTC(2026, 11, 3, 7, 30);
  const pieces: string[] = [];
  let length = 0;
  for (let index = 0; length < size; index++) {
    clock += Math.floor(random() * 400);
    const sample = lines[index % lines.length];
    const stamped = TIMESTAMP.exec(sample);
    const text = (stamped ? sample.slice(stamped[0].length) : sample)
      .replace(/\b(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/g, (match) => hex(match.length))
      .replace(/(?<![[;\d])\d{2,}(?![;m\d])/g, (match) => String(Math.floor(random() * 10 ** match.length)).padStart(match.length, '0'));
    const line = stamped ? `${new Date(clock).toISOString().replace('Z', `${String(Math.floor(random() * 1000)).padStart(3, '0')}Z`)}${stamped[1]}${text}` : text;
    pieces.push(line, '\n');
    length += line.length + 1;
  }
  return Buffer.from(pieces.join(''), 'latin1').subarray(0, size);
}
