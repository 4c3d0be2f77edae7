import * as path from 'node:path';
import type { ApiContext } from './app';
import { badRequest, notFound, type Reply } from './http';
import type { StoredArtifact } from './model';
import { fileReply, parseRange } from './object-storage';
import { ifNoneMatchHits } from './send';
import { openZipEntry } from './zip-reader';

const contentTypes: Record<string, string> = {
  '.txt': 'text/plain', '.log': 'text/plain', '.xml': 'application/xml', '.html': 'text/html', '.json': 'application/json',
  '.js': 'application/javascript', '.css': 'text/css', '.png': 'image/png', '.gz': 'application/gzip', '.zip': 'application/zip',
};

/** present_artifacts_file!: 302 to object storage, or the file itself (Workhorse serves ranges too). */
export async function presentArchive(ctx: ApiContext, artifact: StoredArtifact | undefined, mayRedirect = true): Promise<Reply> {
  if (!artifact) throw notFound();
  const { features, objectStorage, state } = ctx.app;
  const headers: Record<string, string> = {};
  if (features.artifactEtag) {
    headers.ETag = `"${await state.artifactSha256(artifact)}"`;
    if (ifNoneMatchHits(ctx.req, headers.ETag)) return { status: 304, headers, body: null };
  }
  if (features.artifactsRedirect && mayRedirect) {
    const location = objectStorage.presign(artifact, artifact.filename);
    return {
      status: 302,
      headers: { ...headers, Location: location, 'Content-Type': 'text/plain' },
      body: Buffer.from(`This resource has been moved temporarily to ${location}.`),
    };
  }
  return fileReply(artifact.filePath, artifact.size, parseRange(ctx.req.headers.range, artifact.size), {
    ...headers,
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${artifact.filename}"`,
    'Accept-Ranges': 'bytes',
  });
}

/** Gitlab::Ci::Build::Artifacts::Path#valid?: no NUL bytes, no climbing out with `..`. */
export function checkedEntryPath(raw: string): string {
  if (raw.includes('\0') || raw.split('/').includes('..')) throw badRequest();
  return raw;
}

export async function presentEntry(artifact: StoredArtifact | undefined, entryPath: string): Promise<Reply> {
  if (!artifact) throw notFound();
  const entry = await openZipEntry(artifact.filePath, checkedEntryPath(entryPath));
  if (!entry) throw notFound();
  return {
    status: 200,
    headers: {
      'Content-Type': contentTypes[path.extname(entryPath).toLowerCase()] ?? 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${path.basename(entryPath)}"`,
    },
    body: { length: entry.size, open: () => entry.open() },
  };
}
