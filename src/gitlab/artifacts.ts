import { type ApiResponse, type GitLabClient, discardBody, projectPath } from './client';
import { GitLabError } from './errors';
import type { ArtifactTreeEntry, Job, ProjectRef } from './models';
import { type Page, fetchPage } from './pagination';

/** A download in flight: read `body` to the end, or destroy it. */
export interface Download {
  body: ApiResponse['body'];
  /** Content-Length, when the server sent it. */
  size?: number;
  /**
   * Only a strong `"<sha256>"` names the archive (newest GitLab, with its ETag flag on). Otherwise GitLab sends
   * one bogus weak ETag for every artifact: never key a cache on it, nor send it back in `If-None-Match`.
   */
  etag?: string;
  filename?: string;
  /** Where the bytes come from: GitLab itself, or object storage after a redirect. */
  url: URL;
}

/** Where an archive lives and whether it can be read in pieces (what listing a remote zip needs). */
export interface ArchiveLocation {
  url: URL;
  size: number;
  etag?: string;
  /** The server answered a `Range` request with 206: ranged reads work there. */
  rangeReads: boolean;
}

export type ArchiveSelector = { jobId: number } | { ref: string; job: string; searchRecentSuccessfulPipelines?: boolean };

/** GitLab's job artifacts API. Downloads follow redirects to object storage without sending the token there. */
export class ArtifactsApi {
  constructor(private readonly client: GitLabClient) {}

  /** The whole archive of a job (by id), or of the named job in the newest successful pipeline of a ref. */
  downloadArchive(project: ProjectRef, archive: ArchiveSelector, signal?: AbortSignal): Promise<Download> {
    return this.download(archiveUrl(this.client, project, archive), { signal });
  }

  /** One file from inside the archive, streamed by GitLab. */
  downloadFile(project: ProjectRef, archive: ArchiveSelector, artifactPath: string, signal?: AbortSignal): Promise<Download> {
    const segments = artifactPath.split('/');
    // A URL resolves `..` and `.`: `a/../../x` would ask another endpoint, so such paths never leave here.
    if (artifactPath.startsWith('/') || segments.some((segment) => segment === '..' || segment === '.' || segment === '')) {
      return Promise.reject(new GitLabError('bad-request', 'GET artifact file', `"${artifactPath}" is not a path inside an archive (no leading /, no . or .. parts)`));
    }
    const encodedPath = segments.map(encodeURIComponent).join('/');
    const url =
      'jobId' in archive
        ? this.client.url(`${projectPath(project)}/jobs/${archive.jobId}/artifacts/${encodedPath}`)
        : this.client.url(`${projectPath(project)}/jobs/artifacts/${encodeURIComponent(archive.ref)}/raw/${encodedPath}`, { job: archive.job });
    return this.download(url, { signal });
  }

  /**
   * Finds where the archive really is (following the redirect to object storage) and whether that place
   * serves byte ranges, by asking for its first byte, the way gitlab-runner probes before parallel downloads.
   */
  async locateArchive(project: ProjectRef, archive: ArchiveSelector, signal?: AbortSignal): Promise<ArchiveLocation> {
    const download = await this.download(archiveUrl(this.client, project, archive), { signal, range: 'bytes=0-0' });
    discardBody(download.body);
    const total = /\/(\d+)$/.exec(download.contentRange ?? '')?.[1];
    if (download.status === 206 && total !== undefined) {
      return { url: download.url, size: Number(total), etag: download.etag, rangeReads: true };
    }
    if (download.size === undefined) {
      throw new GitLabError('malformed-response', `GET ${download.url.pathname}`, 'the archive download gives neither a size nor byte ranges');
    }
    return { url: download.url, size: download.size, etag: download.etag, rangeReads: false };
  }

  /** Bytes [start, endExclusive) of an archive located by `locateArchive` (which must have said `rangeReads`). */
  async readRange(location: ArchiveLocation, start: number, endExclusive: number, signal?: AbortSignal): Promise<ApiResponse['body']> {
    const response = await this.client.stream('GET', location.url, { headers: { range: `bytes=${start}-${endExclusive - 1}` }, signal });
    if (response.status !== 206) {
      discardBody(response.body);
      throw new GitLabError('malformed-response', `GET ${location.url.pathname}`, `asked for bytes ${start}-${endExclusive - 1} but got ${response.status}`);
    }
    return response.body;
  }

  /**
   * Newest GitLab: the archive's files and folders, listed by GitLab. `undefined` when this GitLab has no
   * such endpoint (older ones treat the URL as a request for a file named "tree").
   */
  async tree(project: ProjectRef, jobId: number, options: { path?: string; recursive?: boolean; page?: number; perPage?: number; signal?: AbortSignal } = {}): Promise<Page<ArtifactTreeEntry> | undefined> {
    const url = this.client.url(`${projectPath(project)}/jobs/${jobId}/artifacts/tree`, {
      path: options.path,
      recursive: options.recursive,
      page: options.page ?? 1,
      per_page: Math.min(options.perPage ?? 100, 100),
    });
    try {
      return await fetchPage<ArtifactTreeEntry>(this.client, url, { signal: options.signal });
    } catch (error) {
      if (error instanceof GitLabError && (error.reason === 'malformed-response' || error.reason === 'not-found')) return undefined;
      throw error;
    }
  }

  /** Clears the expiry: the artifacts stay until deleted. */
  keep(project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<Job> {
    return this.client.json('POST', `${projectPath(project)}/jobs/${jobId}/artifacts/keep`, { signal, idempotent: true });
  }

  async deleteJobArtifacts(project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<void> {
    await this.client.send('DELETE', `${projectPath(project)}/jobs/${jobId}/artifacts`, { signal });
  }

  /** Asynchronous on GitLab's side: every artifact of the project that can expire is expired shortly after. */
  async expireProjectArtifacts(project: ProjectRef, signal?: AbortSignal): Promise<void> {
    await this.client.send('DELETE', `${projectPath(project)}/artifacts`, { signal });
  }

  private async download(url: URL, options: { signal?: AbortSignal; range?: string }): Promise<Download & { status: number; contentRange?: string }> {
    const response = await this.client.stream('GET', url, { signal: options.signal, headers: options.range ? { range: options.range } : {} });
    return { ...toDownload(response), status: response.status, contentRange: response.header('content-range') };
  }
}

function archiveUrl(client: GitLabClient, project: ProjectRef, archive: ArchiveSelector): URL {
  if ('jobId' in archive) return client.url(`${projectPath(project)}/jobs/${archive.jobId}/artifacts`);
  return client.url(`${projectPath(project)}/jobs/artifacts/${encodeURIComponent(archive.ref)}/download`, {
    job: archive.job,
    search_recent_successful_pipelines: archive.searchRecentSuccessfulPipelines,
  });
}

export function toDownload(response: ApiResponse): Download {
  const length = response.header('content-length');
  return {
    body: response.body,
    size: length === undefined || !/^\d+$/.test(length) ? undefined : Number(length),
    // GitLab's sha256 ETag rides on its own answer (the 302); object storage may have an ETag of its own.
    etag: response.initialHeader('etag') ?? response.header('etag'),
    filename: filenameFromDisposition(response.header('content-disposition')),
    url: response.url,
  };
}

/** `attachment; filename="a.zip"; filename*=UTF-8''a.zip` → `a.zip` (the RFC 5987 form wins). */
export function filenameFromDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall back to the plain form
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(header)?.[1];
}
