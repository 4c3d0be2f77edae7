import * as vscode from 'vscode';
import type { WorkspaceFiles } from '../../gitlab/tests';

const MAX_LISTED_FILES = 20_000;
const MAX_READ_BYTES = 1024 * 1024;
const MAX_FOUND_BY_NAME = 5;

/**
 * The locator's view of one workspace folder, through `vscode.workspace.fs` (remote and virtual workspaces
 * too). Files are listed once, lazily and bounded, for finding moved files by name.
 */
export function workspaceFiles(root: vscode.Uri): WorkspaceFiles {
  let byName: Promise<Map<string, string[]>> | undefined;
  const listing = async () => {
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(root, '**/*'), '**/{node_modules,.git}/**', MAX_LISTED_FILES);
    const names = new Map<string, string[]>();
    for (const uri of found) {
      const relative = uri.path.slice(root.path.replace(/\/$/, '').length + 1);
      const name = relative.slice(relative.lastIndexOf('/') + 1);
      names.set(name, [...(names.get(name) ?? []), relative]);
    }
    return names;
  };
  return {
    isFile: async (relativePath) => {
      try {
        return (await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, relativePath))).type === vscode.FileType.File;
      } catch {
        return false;
      }
    },
    findByName: async (name) => ((await (byName ??= listing())).get(name) ?? []).slice(0, MAX_FOUND_BY_NAME),
    readText: async (relativePath) => {
      try {
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, relativePath));
        return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAX_READ_BYTES)).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** The folder a project's paths are relative to: its repository, else the first workspace folder. */
export function rootOf(project: { repositoryRoot?: vscode.Uri }): vscode.Uri | undefined {
  return project.repositoryRoot ?? vscode.workspace.workspaceFolders?.[0]?.uri;
}
