import * as vscode from 'vscode';
import type { Bridge, Job, Pipeline } from '../../gitlab/models';
import { compositeStatus, markRetried } from '../../gitlab/status';
import { describeFailure } from '../failureMessages';
import type { ProjectContext } from '../services';
import type { PipelinesModel, ProjectPipelines } from './model';
import { ArchiveEntryNode, ArtifactNode, BridgeNode, type ContributedNode, JobNode, LoadMoreNode, MessageNode, PipelineNode, ProjectNode, StageNode, type TreeNode } from './nodes';

/** Children of an artifact archive or of a folder inside it; supplied by the artifacts feature. */
export type ArchiveBrowser = (node: ArtifactNode | ArchiveEntryNode) => Promise<TreeNode[]>;

/** Nodes shown first under a pipeline (its test report); supplied by that feature, which never throws. */
export type PipelineContributions = (project: ProjectContext, pipeline: Pipeline) => Promise<ContributedNode[]>;

/**
 * Projects → pipelines → stages → jobs (bridges → downstream pipelines, recursively) → artifacts → files.
 * Reads only the model; never shows toasts from here (a failure becomes an inline message node).
 */
export class PipelinesTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Child id → parent, as last shown: what `reveal` needs to find its way down. */
  private readonly parents = new Map<string, TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TreeNode>;
  archiveBrowser: ArchiveBrowser | undefined;
  pipelineContributions: PipelineContributions | undefined;

  constructor(private readonly model: PipelinesModel) {
    this.view = vscode.window.createTreeView('gitlabCiLens.pipelines', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.view, model.onDidChange(() => this.changed.fire(undefined)));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node.id);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      const children = await this.childrenOf(node);
      for (const child of children) this.parents.set(child.id, node);
      return children;
    } catch (error) {
      return [new MessageNode(`error:${node ? node.id : 'root'}`, describeFailure('Loading', error).message, 'warning')];
    }
  }

  private async childrenOf(node: TreeNode | undefined): Promise<TreeNode[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'project':
        return this.pipelinesOf(this.model.stateOf(node.project) ?? { project: node.project, recent: [], hasMore: false });
      case 'pipeline':
        return [...((await this.pipelineContributions?.(node.project, node.pipeline)) ?? []), ...(await this.stagesOf(node))];
      case 'contributed':
        return node.children();
      case 'stage':
        return node.jobs.map((job) => ('downstream_pipeline' in job ? new BridgeNode(node.parent.project, job, node.parent.id) : new JobNode(node.parent.project, job, node.parent.id)));
      case 'bridge':
        return this.downstreamOf(node);
      case 'job':
        return node.job.artifacts
          .filter((artifact) => artifact.file_type !== 'trace')
          .map((artifact) => new ArtifactNode(node.project, node.job, artifact, `${node.parentId}:job:${node.job.id}`));
      case 'artifact':
      case 'archiveEntry':
        return this.archiveBrowser ? this.archiveBrowser(node) : [];
      default:
        return [];
    }
  }

  private roots(): TreeNode[] {
    const states = this.model.projectStates();
    if (states.length === 0 || (this.model.offline && states.every((state) => !state.current && state.recent.length === 0))) return []; // the welcome view explains
    if (states.length === 1) return this.pipelinesOf(states[0]);
    return states.map((state) => new ProjectNode(state.project));
  }

  private pipelinesOf(state: ProjectPipelines): TreeNode[] {
    const nodes: TreeNode[] = [];
    if (state.error) nodes.push(new MessageNode(`error:${state.project.key}`, describeFailure('Refreshing', state.error).message, 'warning', { command: 'gitlabCiLens.showLog', title: 'Show Log' }));
    if (state.current) nodes.push(new PipelineNode(state.project, state.current, true, { mergeRequest: state.mergeRequest }));
    nodes.push(...state.recent.map((pipeline) => new PipelineNode(state.project, pipeline, false)));
    if (!state.current && state.recent.length === 0 && !state.error) {
      const filtered = Object.values(this.model.filter).some(Boolean);
      const clearFilter = { command: 'gitlabCiLens.clearPipelineFilter', title: 'Clear Filter' };
      nodes.push(new MessageNode(`empty:${state.project.key}`, this.emptyText(state.project, filtered), 'info', filtered ? clearFilter : undefined));
    }
    if (state.hasMore) nodes.push(new LoadMoreNode(state.project));
    return nodes;
  }

  private emptyText(project: ProjectContext, filtered: boolean): string {
    if (filtered) return 'No pipelines match the filter (click to clear it)';
    return project.branch ? `No pipelines yet (branch ${project.branch})` : 'No pipelines yet';
  }

  /** Stages in pipeline order: the order their first jobs were created in. */
  private async stagesOf(node: PipelineNode): Promise<TreeNode[]> {
    const { jobs, bridges } = await this.model.jobsOf(node.project, node.pipeline.id);
    const all: (Job | Bridge)[] = markRetried<Job | Bridge>([...jobs, ...bridges]).sort((a, b) => a.id - b.id);
    const stages = new Map<string, (Job | Bridge)[]>();
    for (const job of all) stages.set(job.stage, [...(stages.get(job.stage) ?? []), job]);
    if (stages.size === 0) return [new MessageNode(`${node.id}:nojobs`, 'No jobs', 'info')];
    return [...stages].map(([name, stageJobs]) => new StageNode(node, name, compositeStatus(stageJobs), stageJobs.sort((a, b) => a.name.localeCompare(b.name))));
  }

  private downstreamOf(node: BridgeNode): TreeNode[] {
    const downstream: Pipeline | null = node.bridge.downstream_pipeline;
    if (!downstream) return [];
    const sameProject = downstream.project_id === node.bridge.pipeline.project_id;
    if (sameProject) return [new PipelineNode(node.project, downstream, false, { parentPath: `${node.id}>` })];
    // The bridge names the downstream project only by id; its pipeline's web_url carries the path, at no extra request.
    const { instanceUrl } = node.project;
    const projectPath = projectPathOfPipelineUrl(downstream.web_url, instanceUrl) ?? String(downstream.project_id);
    const project: ProjectContext = { key: `${instanceUrl}|${projectPath}`, instanceUrl, projectPath };
    return [new PipelineNode(project, downstream, false, { parentPath: `${node.id}>`, inOtherProject: true })];
  }

  /** Selects the shown node with this id (e.g. a retried job's new attempt); false when it is not shown. */
  async revealById(id: string): Promise<boolean> {
    const parent = this.parents.get(id);
    if (!this.parents.has(id)) return false;
    const siblings = await this.getChildren(parent);
    const node = siblings.find((sibling) => sibling.id === id);
    if (!node) return false;
    await this.view.reveal(node, { select: true, focus: false, expand: true });
    return true;
  }

  /** Ids of shown jobs, for finding a job by its GitLab id. */
  shownIds(): string[] {
    return [...this.parents.keys()];
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** `https://host/root/group/app/-/pipelines/7` → `group/app` (under the instance `https://host/root`); undefined when it does not fit. */
function projectPathOfPipelineUrl(webUrl: string | undefined, instanceUrl: string): string | undefined {
  if (!webUrl) return undefined;
  const instanceRoot = `${instanceUrl.replace(/\/+$/, '')}/`;
  if (!webUrl.startsWith(instanceRoot)) return undefined;
  const path = webUrl.slice(instanceRoot.length).split('/-/')[0];
  return path && !path.includes('?') ? decodeURIComponent(path) : undefined;
}
