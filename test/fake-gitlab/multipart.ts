import { createWriteStream, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import { ApiError } from './http';

export interface UploadedFile {
  field: string;
  filename: string;
  path: string;
  size: number;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: UploadedFile[];
}

interface Part {
  field: string;
  filename: string | undefined;
  chunks: Buffer[];
  file: WriteStream | undefined;
  filePath: string;
  size: number;
}

const headerEnd = Buffer.from('\r\n\r\n');
const maxFieldBytes = 1024 * 1024;

export function multipartBoundary(contentType: string | undefined): string | undefined {
  const match = /multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  return match ? match[1] ?? match[2] : undefined;
}

function writeChunk(stream: WriteStream, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

function closeFile(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/**
 * A streaming multipart/form-data parser: file parts go straight to disk under `dir` (so a big upload
 * never sits in memory); a file part over `maxFileSize` ends it with GitLab's 413.
 */
export async function parseMultipart(source: AsyncIterable<Buffer>, boundary: string, dir: string, maxFileSize: number): Promise<MultipartForm> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const form: MultipartForm = { fields: {}, files: [] };
  let pending = Buffer.from('\r\n');
  let phase: 'preamble' | 'delimiter' | 'headers' | 'body' | 'done' = 'preamble';
  let part: Part | undefined;
  let fileCount = 0;

  const emit = async (data: Buffer): Promise<void> => {
    if (!part || data.length === 0) return;
    part.size += data.length;
    if (part.file) {
      if (part.size > maxFileSize) throw new ApiError(413, { message: '413 Request Entity Too Large' });
      await writeChunk(part.file, data);
    } else {
      if (part.size > maxFieldBytes) throw new ApiError(413, { message: '413 Request Entity Too Large' });
      part.chunks.push(data);
    }
  };
  const finishPart = async (): Promise<void> => {
    if (!part) return;
    if (part.file) {
      await closeFile(part.file);
      form.files.push({ field: part.field, filename: part.filename ?? 'blob', path: part.filePath, size: part.size });
    } else {
      form.fields[part.field] = Buffer.concat(part.chunks).toString('utf8');
    }
    part = undefined;
  };
  const startPart = (headerText: string): void => {
    const disposition = /^content-disposition:(.*)$/im.exec(headerText)?.[1] ?? '';
    const field = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const filePath = path.join(dir, `upload-${Date.now()}-${fileCount++}`);
    part = {
      field, filename, chunks: [], size: 0, filePath,
      file: filename !== undefined ? createWriteStream(filePath) : undefined,
    };
  };

  try {
    for await (const chunk of source) {
      pending = Buffer.concat([pending, chunk]);
      for (let progressed = true; progressed && phase !== 'done';) {
        progressed = false;
        if (phase === 'preamble' || phase === 'body') {
          const at = pending.indexOf(delimiter);
          if (at < 0) {
            const safe = pending.length - (delimiter.length - 1);
            if (phase === 'body' && safe > 0) {
              await emit(pending.subarray(0, safe));
              pending = pending.subarray(safe);
            }
            break;
          }
          if (phase === 'body') await emit(pending.subarray(0, at));
          await finishPart();
          pending = pending.subarray(at + delimiter.length);
          phase = 'delimiter';
          progressed = true;
        } else if (phase === 'delimiter') {
          // After a delimiter, `--` ends the form and CRLF starts the next part's headers.
          if (pending.length < 2) break;
          phase = pending.subarray(0, 2).toString('latin1') === '--' ? 'done' : 'headers';
          pending = pending.subarray(2);
          progressed = true;
        } else if (phase === 'headers') {
          const at = pending.indexOf(headerEnd);
          if (at < 0) break;
          startPart(pending.subarray(0, at).toString('utf8'));
          pending = pending.subarray(at + headerEnd.length);
          phase = 'body';
          progressed = true;
        }
      }
    }
  } catch (error) {
    part?.file?.destroy();
    throw error;
  }
  if (phase !== 'done') {
    part?.file?.destroy();
    throw new ApiError(400, { error: 'The multipart body ended early' });
  }
  return form;
}
