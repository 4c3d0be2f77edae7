import * as vscode from 'vscode';
import type { GitLab } from '../../gitlab';
import { ArchiveEntryNotFoundError } from '../../gitlab/archive/errors';
import type { ArchiveBrowser } from '../../gitlab/archive/browse';
import { ArchiveEntryTooLargeError, findArchiveEntry, readArchiveEntry } from '../../gitlab/archive/preview';
import { GitLabError } from '../../gitlab/errors';
import type { Logger } from '../log';
import type { ProjectContext } from '../services';
import { ARTIFACT_SCHEME, type ArtifactEntryRef, parseArtifactUri } from './artifactUri';

/** What the file system needs of the extension. */
export interface ArtifactFileSystemDeps {
  readonly log: Logger;
  gitlabFor(project: ProjectContext): Promise<GitLab>;
}

const READ_ONLY = (): string => vscode.l10n.t('Artifacts are read-only here: download them (Download Artifact File…) to change them.');

/**
 * Files inside job archives, read-only: VS Code opens them its own way (text, images, binaries) and nothing
 * is written to the workspace. Entries come from the archive browser (listings cached per job: archives never
 * change), one file read into memory up to a cap. Errors keep their words: they are what the editor shows.
 */
export class ArtifactFileSystem implements vscode.FileSystemProvider {
  // Archives never change, so there is nothing to announce; the event exists because the interface wants one.
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  constructor(
    private readonly deps: ArtifactFileSystemDeps,
    private readonly browser: ArchiveBrowser,
    private readonly maxBytes?: number,
  ) {}

  static register(context: vscode.ExtensionContext, deps: ArtifactFileSystemDeps, browser: ArchiveBrowser): ArtifactFileSystem {
    const provider = new ArtifactFileSystem(deps, browser);
    context.subscriptions.push(provider.changes, vscode.workspace.registerFileSystemProvider(ARTIFACT_SCHEME, provider, { isReadonly: true, isCaseSensitive: true }));
    return provider;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.run(uri, async (ref, gitlab) => {
      const entry = await findArchiveEntry(this.browser, gitlab, ref.projectPath, ref.jobId, ref.entryPath);
      if (entry === undefined) throw vscode.FileSystemError.FileNotFound(uri);
      const type = entry.type === 'directory' ? vscode.FileType.Directory : vscode.FileType.File;
      return { type, size: entry.size, ctime: 0, mtime: 0, permissions: vscode.FilePermission.Readonly };
    });
  }

  readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.run(uri, async (ref, gitlab) => {
      const entries = await this.browser.list(gitlab, ref.projectPath, ref.jobId, ref.entryPath);
      return entries.map((entry): [string, vscode.FileType] => [entry.name, entry.type === 'directory' ? vscode.FileType.Directory : vscode.FileType.File]);
    });
  }

  readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.run(uri, (ref, gitlab) => readArchiveEntry(this.browser, gitlab, ref.projectPath, ref.jobId, ref.entryPath, { maxBytes: this.maxBytes }));
  }

  createDirectory(): never {
    throw vscode.FileSystemError.NoPermissions(READ_ONLY());
  }

  writeFile(): never {
    throw vscode.FileSystemError.NoPermissions(READ_ONLY());
  }

  delete(): never {
    throw vscode.FileSystemError.NoPermissions(READ_ONLY());
  }

  rename(): never {
    throw vscode.FileSystemError.NoPermissions(READ_ONLY());
  }

  private async run<T>(uri: vscode.Uri, action: (ref: ArtifactEntryRef, gitlab: GitLab) => Promise<T>): Promise<T> {
    const ref = parseArtifactUri(uri);
    if (ref === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    try {
      const gitlab = await this.deps.gitlabFor({ key: `${ref.instanceUrl}|${ref.projectPath}`, instanceUrl: ref.instanceUrl, projectPath: ref.projectPath });
      return await action(ref, gitlab);
    } catch (error) {
      if (error instanceof vscode.FileSystemError) throw error;
      this.deps.log.error(`Reading ${ref.entryPath || 'the archive'} of job ${ref.jobId} failed`, error);
      throw asFileSystemError(error);
    }
  }
}

/** The codes VS Code acts on (a missing file, no permission), with the core's own words. */
function asFileSystemError(error: unknown): vscode.FileSystemError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ArchiveEntryNotFoundError) return vscode.FileSystemError.FileNotFound(message);
  if (error instanceof ArchiveEntryTooLargeError) return vscode.FileSystemError.Unavailable(message);
  if (error instanceof GitLabError) {
    if (error.reason === 'not-found') return vscode.FileSystemError.FileNotFound(message);
    if (['unauthorized', 'token-expired', 'insufficient-scope', 'forbidden'].includes(error.reason)) return vscode.FileSystemError.NoPermissions(message);
  }
  return vscode.FileSystemError.Unavailable(message);
}
