import * as path from 'node:path';
import * as vscode from 'vscode';
import { prepareIgnoredFolder } from '../ignoredFolder';
import type { Services } from '../services';
import { type ArtifactsTarget } from './target';

/**
 * The folder a job's artifacts go to: `gitlabCiLens.artifacts.downloadFolder` with `${project}`, `${jobId}`
 * and `${jobName}` filled in, relative to the project's repository, else to the workspace folder (asked
 * when there are several). Undefined when the user dismissed the question.
 */
export async function artifactsFolder(services: Services, target: ArtifactsTarget): Promise<ArtifactsFolder | undefined> {
  const template = services.settings.artifactsDownloadFolder;
  const relativeFolder = fillFolderTemplate(template, target);
  if (path.isAbsolute(relativeFolder)) return { path: relativeFolder };
  const base = await baseFolder(target);
  if (!base) return undefined;
  const root = templateRoot(template);
  return { path: path.join(base, relativeFolder), ...(root === undefined ? {} : { root: path.join(base, root) }) };
}

export interface ArtifactsFolder {
  /** Absolute: where this job's artifacts go. */
  readonly path: string;
  /**
   * Absolute: the template's fixed leading folders inside the workspace (`.gitlab/artifacts` by default), which
   * hold every job's folder and the zips `artifacts.keepZip` keeps beside them. Absent for an absolute template
   * or one that starts with a variable.
   */
  readonly root?: string;
}

/** The leading folders of a relative template before any `${…}`; undefined when there are none. */
function templateRoot(template: string): string | undefined {
  if (path.isAbsolute(template)) return undefined;
  const fixed: string[] = [];
  for (const segment of path.normalize(template).split(/[\\/]/)) {
    if (segment.includes('${') || segment === '..') break;
    fixed.push(segment);
  }
  const root = fixed.filter((segment) => segment !== '' && segment !== '.');
  return root.length === 0 ? undefined : path.join(...root);
}

/**
 * Keeps downloads out of Source Control (see prepareIgnoredFolder): the root gets a `.gitignore` when the
 * extension creates it (an existing folder of the user's is left alone), before anything is written.
 */
export async function prepareArtifactsRoot(folder: ArtifactsFolder): Promise<void> {
  if (folder.root !== undefined) await prepareIgnoredFolder(folder.root, { owned: false });
}

/**
 * Fills the template. GitLab's names become safe path segments (a job may be called `deploy: eu/west`);
 * the project path keeps its groups as folders. An archive named by ref has the ref in place of the id.
 */
export function fillFolderTemplate(template: string, target: ArtifactsTarget): string {
  const { selector, job } = target;
  const values: Record<string, string> = {
    project: target.project.projectPath.split('/').map(safeSegment).join('/'),
    jobId: safeSegment(job ? String(job.id) : 'jobId' in selector ? String(selector.jobId) : selector.ref),
    jobName: safeSegment(job?.name ?? ('job' in selector ? selector.job : 'artifacts')),
  };
  return path.normalize(template.replace(/\$\{(project|jobId|jobName)\}/g, (_, name: string) => values[name]));
}

/** One folder name on any OS: no separators, nothing Windows reserves, never "." or "..". */
function safeSegment(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const cleaned = value.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '-').replace(/[. ]+$/, '');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
}

async function baseFolder(target: ArtifactsTarget): Promise<string | undefined> {
  if (target.project.repositoryRoot) return target.project.repositoryRoot.fsPath;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri.fsPath;
  if (folders.length === 0) {
    throw new Error('Open a folder first: artifacts are downloaded into the workspace (or set gitlabCiLens.artifacts.downloadFolder to an absolute path).');
  }
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Download the artifacts of {0} into which folder?', target.project.projectPath) });
  return picked?.uri.fsPath;
}

/** True when `target` is free or the user agreed to replace it; automation passes `overwrite: true`. */
export async function mayWrite(target: string, what: string, overwrite: boolean | undefined): Promise<boolean> {
  if (overwrite === true || !(await exists(target))) return true;
  const replace = vscode.l10n.t('Replace');
  const answer = await vscode.window.showWarningMessage(vscode.l10n.t('{0} already exists at {1}. Replace it?', what, displayPath(target)), { modal: true }, replace);
  return answer === replace;
}

async function exists(target: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(target));
    return true;
  } catch {
    return false;
  }
}

/** Relative to its workspace folder when inside one, as the Explorer shows it. */
export function displayPath(target: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.file(target), true);
}
