import type { ApiResponse } from '../client';
import { discardBody } from '../client';

export type SliceAnswer =
  /** What the server sent for the range: at most the limit asked for. */
  | { kind: 'slice'; bytes: Buffer }
  /** More than asked for: the server ignored the range and is sending the whole log from byte 0. */
  | { kind: 'whole-log'; log: AsyncGenerator<Buffer> };

/**
 * Reads the answer to a ranged trace request (`byte_limit` = `limit`) without trusting the server to have
 * honoured it: at most `limit` bytes plus one chunk are held. Past that, the stream is handed back as the whole
 * log (the bytes read so far first) for the caller to go on reading; stopping early destroys it.
 */
export async function readSlice(body: ApiResponse['body'], limit: number): Promise<SliceAnswer> {
  const chunks = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) return { kind: 'slice', bytes: Buffer.concat(head, size) };
    head.push(next.value);
    size += next.value.byteLength;
    if (size > limit) return { kind: 'whole-log', log: continued(body, head, chunks) };
  }
}

async function* continued(body: ApiResponse['body'], head: Buffer[], chunks: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  let finished = false;
  try {
    for (let chunk = head.shift(); chunk !== undefined; chunk = head.shift()) yield chunk;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
    finished = true;
  } finally {
    if (!finished) discardBody(body);
  }
}
