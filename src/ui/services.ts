import type * as vscode from 'vscode';
import type { GitLab } from '../gitlab';
import type { TraceCapabilities } from '../gitlab/trace/capabilities';
import type { Accounts } from './accounts';
import type { Logger } from './log';
import type { Projects } from './projects';
import type { Refresher } from './refresher';
import type { Settings } from './settings';
import type { PipelinesModel } from './tree/model';
import type { PipelinesTree } from './tree/provider';

/** A GitLab project the workspace works with: from a git remote, or chosen by hand. */
export interface ProjectContext {
  /** Stable identity: `<instanceUrl>|<projectPath>`. */
  key: string;
  instanceUrl: string;
  projectPath: string;
  /** The repository's folder, when the project came from a git remote. */
  repositoryRoot?: vscode.Uri;
  /** The checked-out branch, when known. */
  branch?: string;
}

/** Everything commands and views share, built once in `activate`. */
export interface Services {
  context: vscode.ExtensionContext;
  log: Logger;
  settings: Settings;
  accounts: Accounts;
  projects: Projects;
  model: PipelinesModel;
  tree: PipelinesTree;
  refresher: Refresher;
  traceCapabilities: TraceCapabilities;
  /** The client for a project's instance; throws a clear error when no account is signed in there. */
  gitlabFor(project: ProjectContext): Promise<GitLab>;
}
