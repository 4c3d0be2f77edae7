import * as vscode from 'vscode';
import { type Bridge, type Job, type Pipeline, isFinished } from '../../gitlab/models';
import { compositeStatus, markRetried } from '../../gitlab/status';
import { describeFailure } from '../failureMessages';
import type { ProjectContext } from '../services';
import type { PipelineRef, PipelinesChange, PipelinesModel, ProjectPipelines } from './model';
import { NodeRegistry } from './nodeRegistry';
import { ArchiveEntryNode, ArtifactNode, BridgeNode, type ContributedNode, JobNode, LoadMoreNode, MessageNode, PipelineNode, ProjectNode, StageNode, type TreeNode } from './nodes';
import { jobTooltip } from './tooltips';

/** Children of an artifact archive or of a folder inside it; supplied by the artifacts feature. */
export type ArchiveBrowser = (node: ArtifactNode | ArchiveEntryNode) => Promise<TreeNode[]>;

/** How often running rows' times are looked at: they read to the minute, so a row is at most this late. */
const RUNNING_TIME_CHECK_MS = 15_000;

/** Nodes shown first under a pipeline (its test report); supplied by that feature, which never throws. */
export type PipelineContributions = (project: ProjectContext, pipeline: Pipeline) => Promise<ContributedNode[]>;

/**
 * Projects → pipelines → stages → jobs (bridges → downstream pipelines, recursively) → artifacts → files.
 * Reads only the model; never shows toasts from here (a failure becomes an inline message node).
 */
export class PipelinesTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** The nodes as last shown, one object per id: what `reveal` and targeted refreshes need. */
  private readonly shown = new NodeRegistry();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TreeNode>;
  archiveBrowser: ArchiveBrowser | undefined;
  pipelineContributions: PipelineContributions | undefined;

  constructor(private readonly model: PipelinesModel) {
    this.view = vscode.window.createTreeView('gitlabCiLens.pipelines', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      model.onDidChange((change) => void this.modelChanged(change)),
      // What changed while hidden is shown anew when the view opens (once, not on every refresh).
      this.view.onDidChangeVisibility(({ visible }) => visible && this.changed.fire(undefined)),
    );
    const clock = setInterval(() => this.showRunningTimes(), RUNNING_TIME_CHECK_MS);
    this.disposables.push({ dispose: () => clearInterval(clock) });
  }

  /**
   * Rows of running pipelines and jobs whose time (to the minute) now reads differently are shown anew. No
   * request: it reads what the tree holds, and nothing while the view is hidden. Returns how many rows.
   */
  showRunningTimes(): number {
    if (!this.view.visible) return 0;
    const rows = [...this.shown.all()].filter((node) => {
      const status = (node.kind === 'pipeline' || node.kind === 'job') && statusOfRow(node);
      const shownAs = status && !isFinished(status) ? this.shown.renderedSignature(node.id) : undefined;
      return shownAs !== undefined && shownAs !== rowSignature(node);
    });
    if (rows.length > 0) this.changed.fire(rows);
    return rows.length;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.toTreeItem();
    this.shown.rendered(node.id, rowSignature(node, item));
    return item;
  }

  /**
   * A job row's hover text, built when the row is hovered rather than for each of a big stage's rows each time
   * they are shown: that Markdown (built here, then lexed again by VS Code's extension host) was about half of
   * what expanding a 1,000-job stage cost the extension host (the scale bench's clicks).
   */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.kind === 'job') item.tooltip = jobTooltip(node.job);
    else if (node.kind === 'bridge') item.tooltip = jobTooltip(node.bridge);
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.shown.parentOf(node.id);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      return this.shown.setChildren(node, await this.childrenOf(node));
    } catch (error) {
      return this.shown.setChildren(node, [new MessageNode(`error:${node ? node.id : 'root'}`, describeFailure('Loading', error).message, 'warning')]);
    }
  }

  /** What VS Code was last given for a row (label, status, icon…), for tests; undefined when it never asked. */
  renderedLook(id: string): string | undefined {
    return this.shown.renderedSignature(id);
  }

  /** How many nodes the tree holds: what is shown, however many refreshes (for tests). */
  get nodeCount(): number {
    return this.shown.size;
  }

  /**
   * Refreshes only what changed, so VS Code rebuilds (and keeps bookkeeping for) as few rows as it can: a
   * parent whose rows came or went, else each row that reads differently.
   */
  private async modelChanged(change: PipelinesChange): Promise<void> {
    if (change.everything) return this.changed.fire(undefined);
    const targets = new Set<TreeNode | undefined>();
    for (const project of change.projects) this.pipelineRowsChanged(project, targets);
    for (const pipeline of change.pipelines) await this.jobRowsChanged(pipeline, targets).catch(() => targets.add(undefined));
    if (targets.has(undefined)) return this.changed.fire(undefined);
    const rows = [...targets].filter((node): node is TreeNode => node !== undefined && !this.hasAncestorIn(node, targets));
    if (rows.length > 0) this.changed.fire(rows);
  }

  private pipelineRowsChanged(project: ProjectContext, targets: Set<TreeNode | undefined>): void {
    // Several projects: the project's own row is the parent; one project: its pipelines are the roots.
    const parent = this.model.projectStates().length > 1 ? this.shown.get(new ProjectNode(project).id) : undefined;
    const state = this.model.stateOf(project);
    const fresh = this.pipelinesOf(state ?? { project, recent: [], hasMore: false }, state === undefined);
    if (!sameIds(this.shown.childIdsOf(parent), fresh)) {
      targets.add(parent);
      return;
    }
    for (const row of fresh) {
      const old = this.shown.get(row.id);
      if (!old) continue;
      // A pipeline that reads differently (a status change: rare) refreshes its parent, the path VS Code renders most surely.
      if (this.shown.renderedSignature(row.id) !== rowSignature(row)) targets.add(parent);
      else if (old.kind === 'pipeline' && row.kind === 'pipeline') old.pipeline = row.pipeline; // fresher data, same look: no rebuild
    }
  }

  private async jobRowsChanged(ref: PipelineRef, targets: Set<TreeNode | undefined>): Promise<void> {
    const pipelineNodes = [...this.shown.all()].filter((node): node is PipelineNode => node.kind === 'pipeline' && node.project.key === ref.project.key && node.pipeline.id === ref.pipelineId);
    for (const pipelineNode of pipelineNodes) {
      if (!this.shown.childIdsOf(pipelineNode)) continue; // never expanded: nothing below it to update
      const stages = await this.pipelineChildren(pipelineNode);
      if (!sameIds(this.shown.childIdsOf(pipelineNode), stages)) {
        targets.add(pipelineNode);
        continue;
      }
      for (const stage of stages) {
        const old = this.shown.get(stage.id);
        // A contributed row (the Tests node) that reads differently is shown anew, with its own rows.
        if (stage.kind === 'contributed' && old && this.shown.renderedSignature(stage.id) !== rowSignature(stage)) targets.add(this.shown.keep(stage));
        if (stage.kind !== 'stage' || old?.kind !== 'stage') continue;
        const jobRows = this.jobsOfStage(stage);
        if (this.shown.renderedSignature(stage.id) !== rowSignature(stage) || !sameIds(this.shown.childIdsOf(old), jobRows)) {
          targets.add(this.shown.keep(stage));
          continue;
        }
        const shownJobs = this.shown.childIdsOf(old) !== undefined;
        old.jobs = stage.jobs;
        if (!shownJobs) continue;
        for (const row of jobRows) {
          const oldRow = this.shown.get(row.id);
          // The jobs' watch keeps the object of a job that reads the same: such a row needs no look built to compare.
          if (!oldRow || sameData(oldRow, row)) continue;
          if (this.shown.renderedSignature(row.id) !== rowSignature(row)) targets.add(this.shown.keep(row));
          else this.shown.keep(row); // fresher data, same look: no rebuild
        }
      }
    }
  }

  private hasAncestorIn(node: TreeNode, targets: Set<TreeNode | undefined>): boolean {
    for (let parent = this.shown.parentOf(node.id); parent; parent = this.shown.parentOf(parent.id)) if (targets.has(parent)) return true;
    return false;
  }

  private async childrenOf(node: TreeNode | undefined): Promise<TreeNode[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'project':
        return this.pipelinesOf(this.model.stateOf(node.project) ?? { project: node.project, recent: [], hasMore: false }, this.model.stateOf(node.project) === undefined);
      case 'pipeline':
        return this.pipelineChildren(node);
      case 'contributed':
        return node.children();
      case 'stage':
        return this.jobsOfStage(node);
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

  /**
   * A stage's rows. A job's row is known by its name (unique in a pipeline), so that a retry, which is a new
   * job with a new id, updates that one row instead of the stage's list of rows, which VS Code would build
   * anew whole (a 1,000-job stage on every automatic retry). Older attempts (Show Retried), and a name seen
   * twice, are known by their ids.
   */
  private jobsOfStage(node: StageNode): (JobNode | BridgeNode)[] {
    const { project, id: parentId } = node.parent;
    const namesSeen = new Map<string, number>();
    for (const job of node.jobs) if (!('retried' in job && job.retried)) namesSeen.set(job.name, (namesSeen.get(job.name) ?? 0) + 1);
    return node.jobs.map((job) => {
      if ('downstream_pipeline' in job) return new BridgeNode(project, job, parentId);
      return new JobNode(project, job, parentId, !job.retried && namesSeen.get(job.name) === 1 ? `@${job.name}` : String(job.id));
    });
  }

  /** The job a shown row is of; undefined for other rows. */
  jobIdOfRow(id: string): number | undefined {
    const node = this.shown.get(id);
    return node?.kind === 'job' ? node.job.id : undefined;
  }

  private roots(): TreeNode[] {
    const states = this.model.projectStates();
    if (states.length === 0 || (this.model.offline && states.every((state) => !state.current && state.recent.length === 0))) return []; // the welcome view explains
    if (states.length === 1) return this.pipelinesOf(states[0], this.model.stateOf(states[0].project) === undefined);
    return states.map((state) => new ProjectNode(state.project));
  }

  /** A project's rows; while its first refresh is on the way, a loading row (never "No pipelines"). */
  private pipelinesOf(state: ProjectPipelines, loading = false): TreeNode[] {
    if (loading) return [new MessageNode(`loading:${state.project.key}`, vscode.l10n.t('Loading pipelines…'), 'loading~spin')];
    const nodes: TreeNode[] = [];
    if (state.error) nodes.push(new MessageNode(`error:${state.project.key}`, describeFailure('Refreshing', state.error).message, 'warning', { command: 'gitlabCiLens.showLog', title: vscode.l10n.t('Show Log') }));
    if (state.current) nodes.push(new PipelineNode(state.project, state.current, true, { mergeRequest: state.mergeRequest }));
    nodes.push(...state.recent.map((pipeline) => new PipelineNode(state.project, pipeline, false)));
    if (!state.current && state.recent.length === 0 && !state.error) {
      const filtered = Object.values(this.model.filter).some(Boolean);
      const clearFilter = { command: 'gitlabCiLens.clearPipelineFilter', title: vscode.l10n.t('Clear Filter') };
      nodes.push(new MessageNode(`empty:${state.project.key}`, this.emptyText(state.project, filtered), 'info', filtered ? clearFilter : undefined));
    }
    if (state.hasMore) nodes.push(new LoadMoreNode(state.project));
    return nodes;
  }

  private emptyText(project: ProjectContext, filtered: boolean): string {
    if (filtered) return vscode.l10n.t('No pipelines match the filter (click to clear it)');
    return project.branch ? vscode.l10n.t('No pipelines yet (branch {0})', project.branch) : vscode.l10n.t('No pipelines yet');
  }

  /**
   * What hangs under a pipeline row: what other features add (its Tests node), then its stages; asked for
   * side by side. Targeted refreshes compare against this same list, as VS Code was given it.
   */
  private async pipelineChildren(node: PipelineNode): Promise<TreeNode[]> {
    const [contributed, stages] = await Promise.all([this.pipelineContributions?.(node.project, node.pipeline) ?? [], this.stagesOf(node)]);
    return [...contributed, ...stages];
  }

  /** Stages in pipeline order: the order their first jobs were created in. */
  private async stagesOf(node: PipelineNode): Promise<TreeNode[]> {
    const { jobs, bridges } = await this.model.jobsOf(node.project, node.pipeline.id);
    const all: (Job | Bridge)[] = markRetried<Job | Bridge>([...jobs, ...bridges]).sort((a, b) => a.id - b.id);
    const stages = new Map<string, (Job | Bridge)[]>();
    for (const job of all) {
      const stageJobs = stages.get(job.stage);
      if (stageJobs) stageJobs.push(job);
      else stages.set(job.stage, [job]);
    }
    if (stages.size === 0) return [new MessageNode(`${node.id}:nojobs`, vscode.l10n.t('No jobs'), 'info')];
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
    if (!this.shown.has(id)) return false;
    const parent = this.shown.parentOf(id);
    const siblings = await this.getChildren(parent);
    const node = siblings.find((sibling) => sibling.id === id);
    if (!node) return false;
    await this.view.reveal(node, { select: true, focus: false, expand: true });
    return true;
  }

  /** Ids of shown jobs, for finding a job by its GitLab id. */
  shownIds(): string[] {
    return this.shown.ids();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** `https://host/root/group/app/-/pipelines/7` → `group/app` (under the instance `https://host/root`); undefined when it does not fit. */
function sameIds(ids: readonly string[] | undefined, nodes: readonly TreeNode[]): boolean {
  return ids !== undefined && ids.length === nodes.length && nodes.every((node, index) => node.id === ids[index]);
}

/** What a row shows (a running time to the minute: see `formatRunningTime`): rows that read the same are not rebuilt. */
function rowSignature(node: TreeNode, item = node.toTreeItem()): string {
  const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
  return JSON.stringify([item.label, item.description, statusOfRow(node), icon, item.contextValue, item.collapsibleState === vscode.TreeItemCollapsibleState.None, node.kind === 'stage' ? node.jobs.length : undefined]);
}

function sameData(shown: TreeNode, fresh: JobNode | BridgeNode): boolean {
  if (shown.kind === 'job' && fresh.kind === 'job') return shown.job === fresh.job;
  return shown.kind === 'bridge' && fresh.kind === 'bridge' && shown.bridge === fresh.bridge;
}

function statusOfRow(node: TreeNode): string | undefined {
  if (node.kind === 'pipeline') return node.pipeline.status;
  if (node.kind === 'stage') return node.status;
  if (node.kind === 'job') return node.job.status;
  if (node.kind === 'bridge') return node.bridge.status;
  return undefined;
}

function projectPathOfPipelineUrl(webUrl: string | undefined, instanceUrl: string): string | undefined {
  if (!webUrl) return undefined;
  const instanceRoot = `${instanceUrl.replace(/\/+$/, '')}/`;
  if (!webUrl.startsWith(instanceRoot)) return undefined;
  const path = webUrl.slice(instanceRoot.length).split('/-/')[0];
  return path && !path.includes('?') ? decodeURIComponent(path) : undefined;
}
