// Looking into a job's archive without downloading all of it: folders listed one at a time (GitLab's tree
// endpoint, else the zip's central directory read by byte ranges, else one download kept in a cache), and
// single files fetched on their own (GitLab's single-file endpoint, else a ranged read of just that entry).

import { createHash, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { ArchiveLocation, ArchiveSelector, ArtifactsApi } from '../artifacts';
import { type GitLabClient, toGitLabError } from '../client';
import { GitLabAbortError, GitLabError } from '../errors';
import type { ProjectRef } from '../models';
import { findNameProblem } from './entryNames';
import type { UnsafeArchiveReason } from './errors';
import { downloadToFile, type DownloadProgress, sha256FromEtag } from './download';
import { listLocalZip, openLocalZip } from './localZip';
import { pathExists } from './placement';
import { extractRemoteEntry, listRemoteZip, type RangeReader } from './remoteZip';
import { ArchiveTree } from './tree';

/** What `ArchiveBrowser` needs of a GitLab instance (a `GitLab` fits). */
export interface BrowsedGitLab {
  readonly client: Pick<GitLabClient, 'instanceUrl'>;
  readonly artifacts: ArtifactsApi;
}

export interface BrowseEntry {
  /** Last path segment. */
  readonly name: string;
  /** "/"-separated from the archive root, no trailing "/"; pass a folder's to `list`. */
  readonly path: string;
  readonly type: 'file' | 'directory';
  /** A file's size; for a folder, what GitLab or the archive says (0 when unknown). */
  readonly size: number;
  /** Why extraction would refuse it (from GitLab's listing, only what the name tells). */
  readonly unsafe?: UnsafeArchiveReason;
}

/** Where a fetched file came from. */
export type FetchedFileSource = 'single-file-endpoint' | 'ranged-read' | 'cached-download';

export interface FetchedFile {
  /** Absolute. */
  readonly path: string;
  readonly size: number;
  readonly source: FetchedFileSource;
}

export interface FetchFileOptions {
  readonly signal?: AbortSignal;
  /** While streaming from GitLab's single-file endpoint or the cache download (ranged reads of one entry are short). */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** The entry's size as listed: the single-file endpoint's answer is cut off past it (other ways check the zip's own). */
  readonly expectedSize?: number;
}

/** What is known of one job's archive. Archives never change, so this lives as long as the browser. */
interface JobArchive {
  /** Folder path → children, from GitLab's tree endpoint. */
  readonly folders: Map<string, BrowseEntry[]>;
  /** The whole central directory, once read; shared by concurrent callers. */
  centralDirectory?: Promise<ArchiveTree>;
  /** The archive downloaded into the cache, when ranges were not available. */
  cachedZip?: string;
}

// Answers from the single-file endpoint that another way of reading the entry may get past: Workhorse
// cannot read some archives (no metadata, odd names), and a missing file is then told precisely.
const SINGLE_FILE_FALLBACK_REASONS = new Set(['not-found', 'bad-request', 'server-error']);

export class ArchiveBrowser {
  /** Instance URL → whether it has the tree endpoint; absent until known. */
  private readonly treeEndpoint = new Map<string, boolean>();
  private readonly jobs = new Map<string, JobArchive>();
  private readonly cacheDir: string;

  constructor(options: { cacheDir?: string } = {}) {
    this.cacheDir = options.cacheDir ?? join(tmpdir(), 'gitlab-ci-lens-cache');
  }

  /**
   * The files and folders directly in `folder` ('' for the root): folders first, then files, by name.
   * Cancelled: a GitLabAbortError.
   */
  list(gitlab: BrowsedGitLab, project: ProjectRef, jobId: number, folder = '', signal?: AbortSignal): Promise<BrowseEntry[]> {
    return typedAbort(signal, `list the artifacts of job ${jobId}`, () => this.listFolder(gitlab, project, jobId, folder, signal));
  }

  /**
   * Writes the file `entryPath` of the archive to `destFile` (replacing it). From the cached download if
   * there is one, else GitLab's single-file endpoint (it streams just that entry), else a ranged read of the
   * entry, else a download of the whole archive into the cache. Cancelled: a GitLabAbortError.
   */
  fetchFile(gitlab: BrowsedGitLab, project: ProjectRef, selector: ArchiveSelector, entryPath: string, destFile: string, options: FetchFileOptions = {}): Promise<FetchedFile> {
    return typedAbort(options.signal, `download ${entryPath} from the artifacts`, () => this.fetchFileOnce(gitlab, project, selector, entryPath, destFile, options));
  }

  /** Drops what is known of a job's archive (after its artifacts were deleted), cached download included. */
  async forget(gitlab: BrowsedGitLab, project: ProjectRef, jobId: number): Promise<void> {
    const key = jobKey(gitlab, project, jobId);
    const cachedZip = this.jobs.get(key)?.cachedZip;
    this.jobs.delete(key);
    if (cachedZip !== undefined) await rm(cachedZip, { force: true });
  }

  private async listFolder(gitlab: BrowsedGitLab, project: ProjectRef, jobId: number, folder: string, signal?: AbortSignal): Promise<BrowseEntry[]> {
    const folderPath = folder.replace(/^\/+|\/+$/g, '');
    const instance = gitlab.client.instanceUrl.href;
    const job = this.job(gitlab, project, jobId);
    if (job.centralDirectory === undefined && this.treeEndpoint.get(instance) !== false) {
      const known = job.folders.get(folderPath);
      if (known) return known;
      const listed = await listWithTreeEndpoint(gitlab.artifacts, project, jobId, folderPath, signal);
      if (listed) {
        this.treeEndpoint.set(instance, true);
        job.folders.set(folderPath, listed);
        return listed;
      }
    }
    const tree = await this.centralDirectory(gitlab, project, jobId, signal);
    // Only now is it proven that the archive exists, so the tree endpoint's silence meant "no such endpoint"
    // (older GitLab answers its URL as a request for a file named "tree").
    if (!this.treeEndpoint.has(instance)) this.treeEndpoint.set(instance, false);
    return tree.children(folderPath).map(({ name, path, type, size, unsafe }) => ({ name, path, type, size, ...(unsafe === undefined ? {} : { unsafe }) }));
  }

  private async fetchFileOnce(gitlab: BrowsedGitLab, project: ProjectRef, selector: ArchiveSelector, entryPath: string, destFile: string, options: FetchFileOptions): Promise<FetchedFile> {
    const { signal } = options;
    const cachedZip = 'jobId' in selector ? this.job(gitlab, project, selector.jobId).cachedZip : undefined;
    if (cachedZip !== undefined && (await pathExists(cachedZip))) return extractCached(cachedZip, entryPath, destFile, signal);
    try {
      const download = await gitlab.artifacts.downloadFile(project, selector, entryPath, signal);
      // Any ETag here is not the entry's sha256: only the size is checked.
      const file = await downloadToFile({ ...download, etag: undefined }, destFile, { signal, onProgress: options.onProgress, expectedSize: options.expectedSize });
      return { path: file.path, size: file.size, source: 'single-file-endpoint' };
    } catch (error) {
      if (!(error instanceof GitLabError && SINGLE_FILE_FALLBACK_REASONS.has(error.reason)) || signal?.aborted) throw error;
    }
    const location = await gitlab.artifacts.locateArchive(project, selector, signal);
    if (location.rangeReads) {
      const { size } = await extractRemoteEntry(rangeReader(gitlab.artifacts, location), location.size, entryPath, destFile, { signal });
      return { path: resolve(destFile), size, source: 'ranged-read' };
    }
    const { zip, temporary } = await this.archiveInCache(gitlab, project, selector, location, options);
    try {
      return await extractCached(zip, entryPath, destFile, signal);
    } finally {
      if (temporary) await rm(zip, { force: true });
    }
  }

  private job(gitlab: BrowsedGitLab, project: ProjectRef, jobId: number): JobArchive {
    const key = jobKey(gitlab, project, jobId);
    let job = this.jobs.get(key);
    if (job === undefined) {
      job = { folders: new Map() };
      this.jobs.set(key, job);
    }
    return job;
  }

  private centralDirectory(gitlab: BrowsedGitLab, project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<ArchiveTree> {
    const job = this.job(gitlab, project, jobId);
    if (job.centralDirectory === undefined) {
      const reading = this.readCentralDirectory(gitlab, project, jobId, signal);
      job.centralDirectory = reading;
      // A failure is not kept: the next look tries again.
      reading.catch(() => {
        if (job.centralDirectory === reading) job.centralDirectory = undefined;
      });
    }
    return job.centralDirectory;
  }

  private async readCentralDirectory(gitlab: BrowsedGitLab, project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<ArchiveTree> {
    const location = await gitlab.artifacts.locateArchive(project, { jobId }, signal);
    if (location.rangeReads) {
      return new ArchiveTree(await listRemoteZip(rangeReader(gitlab.artifacts, location), location.size, signal));
    }
    const { zip } = await this.archiveInCache(gitlab, project, { jobId }, location, { signal });
    return new ArchiveTree(await listLocalZip(zip, { signal }));
  }

  /**
   * The whole archive in the cache, downloaded once per archive version and reused. A version is known by the
   * strong sha256 ETag newest GitLab may send, else by job id and size — never by a weak ETag: GitLab sends the
   * same bogus one for every artifact. By ref without a strong ETag nothing tells versions apart (the ref moves
   * on), so that download is used once and removed (`temporary`).
   */
  private async archiveInCache(gitlab: BrowsedGitLab, project: ProjectRef, selector: ArchiveSelector, location: ArchiveLocation, options: FetchFileOptions): Promise<{ zip: string; temporary: boolean }> {
    const identity = cacheIdentity(selector, location);
    const name = identity === undefined ? randomUUID() : createHash('sha256').update([gitlab.client.instanceUrl.href, String(project), identity].join('\n')).digest('hex').slice(0, 32);
    const zip = join(this.cacheDir, `${name}.zip`);
    if (identity === undefined || !(await pathExists(zip))) {
      const download = await gitlab.artifacts.downloadArchive(project, selector, options.signal);
      await downloadToFile(download, zip, { signal: options.signal, onProgress: options.onProgress, expectedSize: location.size });
    }
    if ('jobId' in selector) this.job(gitlab, project, selector.jobId).cachedZip = zip;
    return { zip, temporary: identity === undefined };
  }
}

/** What names one version of an archive in the cache; undefined when nothing does. */
function cacheIdentity(selector: ArchiveSelector, location: ArchiveLocation): string | undefined {
  const sha256 = sha256FromEtag(location.etag);
  if (sha256 !== undefined) return `sha256 ${sha256}`;
  if ('jobId' in selector) return `job ${selector.jobId}, ${location.size} bytes`;
  return undefined;
}

/**
 * Where an entry goes under `folder`: its own relative path. Throws for names that would land elsewhere
 * ("..", absolute, drive letters...), which GitLab's listing may contain.
 */
export function entryDestination(folder: string, entryPath: string): string {
  const problem = findNameProblem(entryPath);
  const destination = resolve(folder, ...entryPath.split('/'));
  const relation = relative(resolve(folder), destination);
  if (problem !== undefined || relation === '' || isAbsolute(relation) || relation.split(sep)[0] === '..') {
    throw new Error(`The archive entry ${JSON.stringify(entryPath)} has a name that cannot be written safely${problem === undefined ? '' : ` (${problem})`}.`);
  }
  return destination;
}

async function listWithTreeEndpoint(artifacts: ArtifactsApi, project: ProjectRef, jobId: number, folder: string, signal?: AbortSignal): Promise<BrowseEntry[] | undefined> {
  const entries: BrowseEntry[] = [];
  for (let page: number | undefined = 1; page !== undefined;) {
    const answer = await artifacts.tree(project, jobId, { path: folder === '' ? undefined : folder, page, perPage: 100, signal });
    if (answer === undefined) return undefined;
    for (const item of answer.items) {
      // GitLab ends folder paths with "/".
      const path = item.path.replace(/\/+$/, '');
      const unsafe = findNameProblem(path);
      entries.push({
        name: path.slice(path.lastIndexOf('/') + 1), path, type: item.type === 'directory' ? 'directory' : 'file', size: item.size ?? 0,
        ...(unsafe === undefined ? {} : { unsafe }),
      });
    }
    page = answer.nextPage;
  }
  const byName = (a: BrowseEntry, b: BrowseEntry): number => a.name.localeCompare(b.name);
  return [...entries.filter((entry) => entry.type === 'directory').sort(byName), ...entries.filter((entry) => entry.type === 'file').sort(byName)];
}

/** Ranged reads whose failures, mid-body included, are GitLabErrors like every other request's. */
function rangeReader(artifacts: ArtifactsApi, location: ArchiveLocation): RangeReader {
  return async (start, endExclusive, signal) => {
    const body = await artifacts.readRange(location, start, endExclusive, signal);
    const operation = `GET ${location.url.origin}${location.url.pathname} (bytes ${start}-${endExclusive - 1})`;
    return Readable.from(typedErrors(body, operation, signal), { objectMode: false });
  };
}

async function* typedErrors(body: AsyncIterable<Buffer>, operation: string, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  try {
    yield* body;
  } catch (error) {
    throw toGitLabError(error, operation, signal);
  }
}

async function extractCached(zip: string, entryPath: string, destFile: string, signal?: AbortSignal): Promise<FetchedFile> {
  const archive = await openLocalZip(zip, { signal });
  try {
    const { size } = await archive.extractEntry(entryPath, destFile, { signal });
    return { path: resolve(destFile), size, source: 'cached-download' };
  } finally {
    archive.close();
  }
}

/** Zip readers reject with the signal's own reason; callers get one typed cancellation whatever the way taken. */
async function typedAbort<T>(signal: AbortSignal | undefined, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (signal?.aborted) throw new GitLabAbortError(operation);
    throw error;
  }
}

function jobKey(gitlab: BrowsedGitLab, project: ProjectRef, jobId: number): string {
  return `${gitlab.client.instanceUrl.href}|${String(project)}|${jobId}`;
}
