import * as vscode from 'vscode';
import { GitLabError } from '../../gitlab/errors';
import type { Job } from '../../gitlab/models';
import { describeFailure } from '../failureMessages';
import type { ProjectContext, Services } from '../services';
import { JobNode, MessageNode, ProjectNode } from '../tree/nodes';
import { RunnerNode } from './nodes';

export type RunnersTreeNode = ProjectNode | RunnerNode | JobNode | MessageNode;

/** How many of a runner's jobs to show: the recent ones, one request. */
const RECENT_JOBS = 20;

/**
 * `GET /runners/:id/jobs` answers Entities::Ci::JobBasicWithProject: a job without its artifacts, runner or
 * tags, and with its project. Filled in so that the pipelines tree's job node, menus and commands take it.
 */
type ListedRunnerJob = Omit<Job, 'artifacts' | 'artifacts_expire_at' | 'tag_list' | 'runner'>
  & Partial<Pick<Job, 'artifacts' | 'artifacts_expire_at' | 'tag_list' | 'runner'>>
  & { project?: { path_with_namespace?: string } };

/**
 * Projects → their runners (project, group and instance) → each runner's recent jobs, as the same job
 * nodes as the pipelines tree. Polls nothing: it loads when shown or expanded, and reloads after the
 * refresher's refreshes while visible. A 403 (only maintainers may list runners) becomes a message row.
 */
export class RunnersTree implements vscode.TreeDataProvider<RunnersTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunnersTreeNode | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Child id → parent, as last shown: what `reveal` needs. */
  private readonly parents = new Map<string, RunnersTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<RunnersTreeNode>;

  constructor(private readonly services: Pick<Services, 'projects' | 'refresher' | 'gitlabFor'>) {
    this.view = vscode.window.createTreeView('gitlabCiLens.runners', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.view.onDidChangeVisibility(({ visible }) => visible && this.refresh()),
      services.refresher.onDidRefresh(() => this.view.visible && this.refresh()),
      services.projects.onDidChange(() => this.refresh()),
    );
  }

  /** Asks VS Code to read the shown rows again, which loads them from GitLab (conditional requests: 304s are cheap). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: RunnersTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getParent(node: RunnersTreeNode): RunnersTreeNode | undefined {
    return this.parents.get(node.id);
  }

  async getChildren(node?: RunnersTreeNode): Promise<RunnersTreeNode[]> {
    const children = await this.childrenOf(node);
    for (const child of children) this.parents.set(child.id, node);
    return children;
  }

  private async childrenOf(node: RunnersTreeNode | undefined): Promise<RunnersTreeNode[]> {
    try {
      if (!node) return await this.roots();
      if (node.kind === 'project') return await this.runnersOf(node.project);
      if (node.kind === 'runner') return await this.jobsOf(node);
      return [];
    } catch (error) {
      return [new MessageNode(`error:${node ? node.id : 'root'}`, describeFailure('Loading runners', error).message, 'warning')];
    }
  }

  private async roots(): Promise<RunnersTreeNode[]> {
    const projects = this.services.projects.list();
    if (projects.length === 1) return this.runnersOf(projects[0]);
    return projects.map((project) => new ProjectNode(project)); // none: the welcome view explains
  }

  private async runnersOf(project: ProjectContext): Promise<RunnersTreeNode[]> {
    const gitlab = await this.services.gitlabFor(project);
    try {
      const runners = await gitlab.runners.listForProject(project.projectPath);
      if (runners.length === 0) return [new MessageNode(`none:${project.key}`, vscode.l10n.t('No runner can take this project\'s jobs'), 'info')];
      return runners.map((runner) => new RunnerNode(project, runner));
    } catch (error) {
      if (!isForbidden(error)) throw error;
      return [new MessageNode(`forbidden:${project.key}`, vscode.l10n.t('Only maintainers may see runners'), 'lock')];
    }
  }

  private async jobsOf(node: RunnerNode): Promise<RunnersTreeNode[]> {
    const gitlab = await this.services.gitlabFor(node.project);
    try {
      const page = await gitlab.runners.listRunnerJobs(node.runner.id, { perPage: RECENT_JOBS });
      if (page.items.length === 0) return [new MessageNode(`${node.id}:nojobs`, vscode.l10n.t('No jobs yet'), 'info')];
      return page.items.map((job: ListedRunnerJob) => new JobNode(this.projectOf(node.project, job), asJob(job, node), node.id));
    } catch (error) {
      if (!isForbidden(error)) throw error;
      return [new MessageNode(`${node.id}:forbidden`, vscode.l10n.t('Only its administrators see its jobs'), 'lock')];
    }
  }

  /** A runner may run jobs of several projects: act on each job in its own project. */
  private projectOf(runnerProject: ProjectContext, job: ListedRunnerJob): ProjectContext {
    const path = job.project?.path_with_namespace;
    if (!path || path === runnerProject.projectPath) return runnerProject;
    const key = `${runnerProject.instanceUrl}|${path}`;
    return this.services.projects.list().find((project) => project.key === key) ?? { key, instanceUrl: runnerProject.instanceUrl, projectPath: path };
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function asJob(job: ListedRunnerJob, node: RunnerNode): Job {
  return { ...job, artifacts: job.artifacts ?? [], artifacts_expire_at: job.artifacts_expire_at ?? null, tag_list: job.tag_list ?? [], runner: job.runner ?? node.runner };
}

function isForbidden(error: unknown): boolean {
  return error instanceof GitLabError && error.reason === 'forbidden';
}
