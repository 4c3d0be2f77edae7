import * as vscode from 'vscode';
import type { ProjectContext } from '../services';

export const ROOT_CI_FILE = '.gitlab-ci.yml';
const DEFAULT_GLOBS = ['.gitlab-ci.yml', '.gitlab/ci/**/*.yml'];

/** What the CI config features need of the workspace's projects. */
export interface ProjectsView {
  list(): readonly ProjectContext[];
  onDidChange: vscode.Event<unknown>;
}

/** The globs (relative to a repository's root) of files the user marks as CI configuration. */
export function ciConfigGlobs(): string[] {
  const globs = vscode.workspace.getConfiguration('gitlabCiLens').get<unknown>('ciConfig.files', DEFAULT_GLOBS);
  return Array.isArray(globs) ? globs.filter((glob): glob is string => typeof glob === 'string' && glob.trim() !== '') : DEFAULT_GLOBS;
}

/** The project whose repository holds the document, when it is a CI configuration file there. */
export function ciProjectOf(projects: ProjectsView, document: vscode.TextDocument): ProjectContext | undefined {
  if (document.uri.scheme !== 'file') return undefined;
  const candidates = projects.list().filter((project) => project.repositoryRoot && isInside(project.repositoryRoot, document.uri));
  const project = candidates.sort((a, b) => (b.repositoryRoot?.path.length ?? 0) - (a.repositoryRoot?.path.length ?? 0))[0];
  if (!project?.repositoryRoot) return undefined;
  const root = project.repositoryRoot;
  return ciConfigGlobs().some((glob) => vscode.languages.match({ pattern: new vscode.RelativePattern(root, glob) }, document) > 0) ? project : undefined;
}

/** Whether the document is the project's root CI file (the one GitLab runs); others are reached through it. */
export function isRootCiFile(project: ProjectContext, document: vscode.TextDocument): boolean {
  return project.repositoryRoot !== undefined && document.uri.toString() === vscode.Uri.joinPath(project.repositoryRoot, ROOT_CI_FILE).toString();
}

function isInside(folder: vscode.Uri, file: vscode.Uri): boolean {
  const prefix = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return file.scheme === folder.scheme && file.path.startsWith(prefix);
}
