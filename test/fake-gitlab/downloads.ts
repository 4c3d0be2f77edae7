import { createHash } from 'node:crypto';
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

/**
 * What every artifact of GitLab without `workhorse_download_etag_caching` is tagged with (the flag is off by
 * default): one weak ETag whatever the bytes, honoured by a 304 even after the artifact changed
 * (gitlab-org/gitlab#371991).
 */
export const bogusArtifactEtag = 'W/"12ae32cb1ec02d01eda3581b127c1fee"';

/**
 * The ETag of an artifact download: with the flag (newest), strong, `"<archive sha256>"` for the archive
 * and `"<sha256 of "<archive sha256>:<path>">"` for one file of it; without, the bogus weak one.
 */
async function artifactEtag(ctx: ApiContext, artifact: StoredArtifact, entryPath?: string): Promise<string> {
  if (!ctx.app.features.artifactEtag) return bogusArtifactEtag;
  const archiveSha256 = await ctx.app.state.artifactSha256(artifact);
  if (entryPath === undefined) return `"${archiveSha256}"`;
  return `"${createHash('sha256').update(`${archiveSha256}:${entryPath}`).digest('hex')}"`;
}

/** present_artifacts_file!: 302 to object storage, or the file itself (Workhorse serves ranges too). */
export async function presentArchive(ctx: ApiContext, artifact: StoredArtifact | undefined, mayRedirect = true): Promise<Reply> {
  if (!artifact) throw notFound();
  const { features, objectStorage } = ctx.app;
  const headers: Record<string, string> = { ETag: await artifactEtag(ctx, artifact) };
  if (ifNoneMatchHits(ctx.req, headers.ETag)) return { status: 304, headers, body: null };
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

export async function presentEntry(ctx: ApiContext, artifact: StoredArtifact | undefined, entryPath: string): Promise<Reply> {
  if (!artifact) throw notFound();
  const entry = await openZipEntry(artifact.filePath, checkedEntryPath(entryPath));
  if (!entry) throw notFound();
  const etag = await artifactEtag(ctx, artifact, entryPath);
  if (ifNoneMatchHits(ctx.req, etag)) return { status: 304, headers: { ETag: etag }, body: null };
  return {
    status: 200,
    headers: {
      ETag: etag,
      'Content-Type': contentTypes[path.extname(entryPath).toLowerCase()] ?? 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${path.basename(entryPath)}"`,
    },
    body: { length: entry.size, open: () => entry.open() },
  };
}
