import * as vscode from 'vscode';

/** Files inside job archives, read-only, served by ArtifactFileSystem. */
export const ARTIFACT_SCHEME = 'gitlab-artifact';

/** One entry of a job's archive, as an address VS Code can open. */
export interface ArtifactEntryRef {
  readonly instanceUrl: string;
  readonly projectPath: string;
  readonly jobId: number;
  /** `/`-separated from the archive root; '' for the root. */
  readonly entryPath: string;
}

/**
 * `gitlab-artifact:/<jobId>/<entry path>?instance=…&project=…`: the entry's own name ends the path, so
 * editors title it by that name and pick its language and viewer by its extension.
 */
export function artifactUri(ref: ArtifactEntryRef): vscode.Uri {
  const query = new URLSearchParams({ instance: ref.instanceUrl, project: ref.projectPath }).toString();
  return vscode.Uri.from({ scheme: ARTIFACT_SCHEME, path: `/${ref.jobId}/${ref.entryPath}`, query });
}

/** The entry an address names; undefined for anything that is not one. */
export function parseArtifactUri(uri: vscode.Uri): ArtifactEntryRef | undefined {
  if (uri.scheme !== ARTIFACT_SCHEME) return undefined;
  const match = /^\/(\d+)(?:\/(.*))?$/.exec(uri.path);
  const query = new URLSearchParams(uri.query);
  const instanceUrl = query.get('instance');
  const projectPath = query.get('project');
  if (!match || !instanceUrl || !projectPath) return undefined;
  return { instanceUrl, projectPath, jobId: Number(match[1]), entryPath: (match[2] ?? '').replace(/\/+$/, '') };
}
