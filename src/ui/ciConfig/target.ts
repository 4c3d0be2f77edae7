import * as vscode from 'vscode';
import { pickProject } from '../commands/pick';
import type { ProjectContext, Services } from '../services';
import { ROOT_CI_FILE, ciProjectOf } from './ciFiles';

export interface CiTarget {
  project: ProjectContext;
  uri: vscode.Uri;
  text: string;
}

/** The root CI file a CI config command acts on: the active editor's project's, else a picked project's. */
export async function ciTarget(services: Services): Promise<CiTarget | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const project = (active && ciProjectOf(services.projects, active)) ?? (await pickProject(services));
  return project && rootCiTarget(project);
}

/** The project's root CI file with its current text (the editor's, unsaved edits included). */
export async function rootCiTarget(project: ProjectContext): Promise<CiTarget | undefined> {
  if (!project.repositoryRoot) return undefined;
  const uri = vscode.Uri.joinPath(project.repositoryRoot, ROOT_CI_FILE);
  return { project, uri, text: (await vscode.workspace.openTextDocument(uri)).getText() };
}
