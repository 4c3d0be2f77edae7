import * as vscode from 'vscode';
import { parseGitRemote, resolveProject } from '../gitlab/remote';
import type { Accounts } from './accounts';
import { type GitApi, type GitRepository, loadGitApi } from './git';
import type { Logger } from './log';
import type { ProjectContext } from './services';
import type { Settings } from './settings';

const MANUAL_PROJECTS_KEY = 'gitlabCiLens.manualProjects';

/**
 * The GitLab projects of this workspace: one per git repository whose remote points at a signed-in
 * instance (multi-root workspaces give several), plus projects chosen by hand. Follows branch switches.
 */
export class Projects implements vscode.Disposable {
  private git: GitApi | undefined;
  private readonly watched = new Map<GitRepository, vscode.Disposable>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private current: ProjectContext[] = [];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly accounts: Accounts,
    private readonly settings: Settings,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      accounts.onDidChange(() => this.recompute()),
      settings.onDidChange((event) => {
        if (event.affectsConfiguration('gitlabCiLens.remoteName')) this.recompute();
      }),
    );
  }

  /** Connects to the git extension; not awaited by `activate`, so activation stays instant. */
  async start(): Promise<void> {
    try {
      this.git = await loadGitApi();
    } catch (error) {
      this.log.warn(`The git extension is unavailable (${String(error)}); use "GitLab: Choose Project…".`);
    }
    if (this.git) {
      this.disposables.push(
        this.git.onDidOpenRepository((repository) => this.watch(repository)),
        this.git.onDidCloseRepository((repository) => {
          this.watched.get(repository)?.dispose();
          this.watched.delete(repository);
          this.recompute();
        }),
      );
      for (const repository of this.git.repositories) this.watch(repository);
    }
    this.recompute();
  }

  list(): readonly ProjectContext[] {
    return this.current;
  }

  /** Adds a project by its path on a signed-in instance (for folders without a GitLab remote). */
  async addManual(instanceUrl: string, projectPath: string): Promise<void> {
    const manual = this.manualProjects().filter((project) => !(project.instanceUrl === instanceUrl && project.projectPath === projectPath));
    await this.context.workspaceState.update(MANUAL_PROJECTS_KEY, [...manual, { instanceUrl, projectPath }]);
    this.recompute();
  }

  private manualProjects(): { instanceUrl: string; projectPath: string }[] {
    return this.context.workspaceState.get<{ instanceUrl: string; projectPath: string }[]>(MANUAL_PROJECTS_KEY, []);
  }

  private watch(repository: GitRepository): void {
    if (this.watched.has(repository)) return;
    this.watched.set(repository, repository.state.onDidChange(() => this.recompute()));
    this.recompute();
  }

  private recompute(): void {
    const instanceUrls = this.accounts.list().map((account) => account.instanceUrl);
    const found = new Map<string, ProjectContext>();
    for (const repository of this.watched.keys()) {
      const project = this.projectOf(repository, instanceUrls);
      if (project && !found.has(project.key)) found.set(project.key, project);
    }
    for (const { instanceUrl, projectPath } of this.manualProjects()) {
      const key = `${instanceUrl}|${projectPath}`;
      if (instanceUrls.includes(instanceUrl) && !found.has(key)) found.set(key, { key, instanceUrl, projectPath });
    }
    const next = [...found.values()];
    if (JSON.stringify(next.map(describe)) !== JSON.stringify(this.current.map(describe))) {
      this.current = next;
      this.changed.fire();
    }
  }

  /** The configured remote (else `origin`, else any) that points at a signed-in instance. */
  private projectOf(repository: GitRepository, instanceUrls: string[]): ProjectContext | undefined {
    const preferred = this.settings.remoteName || 'origin';
    const remotes = [...repository.state.remotes].sort((a, b) => Number(b.name === preferred) - Number(a.name === preferred));
    for (const remote of remotes) {
      const parsed = parseGitRemote(remote.fetchUrl ?? remote.pushUrl ?? '');
      const resolved = parsed && resolveProject(parsed, instanceUrls);
      if (!resolved || !instanceUrls.includes(resolved.instanceUrl)) continue;
      return {
        key: `${resolved.instanceUrl}|${resolved.projectPath}`,
        instanceUrl: resolved.instanceUrl,
        projectPath: resolved.projectPath,
        repositoryRoot: repository.rootUri,
        branch: repository.state.HEAD?.name,
      };
    }
    return undefined;
  }

  dispose(): void {
    for (const disposable of [...this.disposables, ...this.watched.values()]) disposable.dispose();
  }
}

function describe(project: ProjectContext): string {
  return `${project.key}@${project.branch ?? ''}@${project.repositoryRoot?.toString() ?? ''}`;
}
