import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** A multipart/form-data body streamed from disk, with its length known up front (no chunked upload). */
export interface MultipartBody {
  contentType: string;
  contentLength: number;
  stream: Readable;
}

/** Text fields first, then one file read from disk as the body is sent: the file never sits in memory. */
export async function multipartWithFile(fields: Record<string, string | undefined>, file: { field: string; path: string; filename: string }): Promise<MultipartBody> {
  const boundary = `----gitlab-ci-lens-${randomBytes(12).toString('hex')}`;
  const textParts = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`));
  const fileHeader = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.filename)}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
  );
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { size } = await stat(file.path);
  async function* parts(): AsyncGenerator<Buffer> {
    yield* textParts;
    yield fileHeader;
    for await (const chunk of createReadStream(file.path)) yield chunk as Buffer;
    yield closing;
  }
  const prefixLength = textParts.reduce((sum, part) => sum + part.length, fileHeader.length);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: prefixLength + size + closing.length,
    stream: Readable.from(parts(), { objectMode: false }),
  };
}

/** Names in a Content-Disposition header: quotes, CR and LF escaped as browsers do (WHATWG multipart). */
function quote(name: string): string {
  return name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}
