import * as vscode from 'vscode';
import { type ArtifactEntry, type Bridge, type Job, type Pipeline, type PipelineDetail, type Status, isFinished } from '../../gitlab/models';
import { type MergeRequestRef, parseMergeRequestRef, refLabel } from '../../gitlab/mergeRequests';
import { elapsedSeconds, formatDuration, jobCapabilities, pipelineCapabilities } from '../../gitlab/status';
import { artifactUri } from '../artifacts/artifactUri';
import type { ProjectContext } from '../services';
import { statusIcon, statusLabel } from './statusIcons';
import { jobTooltip, pipelineTooltip } from './tooltips';

/**
 * The pipelines tree's nodes. Each knows how it looks; what it holds is plain data, so commands receive a
 * node and find the project, pipeline or job on it. Capabilities ride on `contextValue` as words that
 * package.json menus match (`viewItem =~ /\bjob\b.*\bretryable\b/`).
 */
export type TreeNode = ProjectNode | PipelineNode | StageNode | JobNode | BridgeNode | ArtifactNode | ArchiveEntryNode | LoadMoreNode | MessageNode | ContributedNode;

/** A node another feature hangs under a pipeline (test reports): it knows its own look and its children. */
export interface ContributedNode {
  readonly kind: 'contributed';
  readonly id: string;
  toTreeItem(): vscode.TreeItem;
  children(): Promise<ContributedNode[]>;
}

export class ProjectNode {
  readonly kind = 'project';
  constructor(readonly project: ProjectContext) {}

  get id(): string {
    return `project:${this.project.key}`;
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.project.projectPath, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = this.project.branch;
    item.iconPath = new vscode.ThemeIcon('repo');
    item.tooltip = `${this.project.instanceUrl}/${this.project.projectPath}`;
    item.contextValue = 'project';
    return item;
  }
}

export class PipelineNode {
  readonly kind = 'pipeline';
  constructor(
    readonly project: ProjectContext,
    /** Replaced by a refresh that leaves the row looking the same (the tree keeps the node's object). */
    public pipeline: Pipeline | PipelineDetail,
    /** The current branch's newest pipeline, shown first and expanded. */
    readonly isCurrent: boolean,
    readonly placement: {
      /** Set when this pipeline hangs under a bridge (child or multi-project). */
      parentPath?: string;
      /** The merge request the current pipeline came from (its head pipeline). */
      mergeRequest?: MergeRequestRef;
      /** A multi-project downstream pipeline: its project is named on the row. */
      inOtherProject?: boolean;
    } = {},
  ) {}

  get mergeRequest(): MergeRequestRef | undefined {
    return this.placement.mergeRequest;
  }

  /**
   * VS Code remembers expansion by id: the current pipeline gets an id of its own, so once it is no longer
   * current its row starts collapsed again instead of staying expanded forever.
   */
  get id(): string {
    return `${this.placement.parentPath ?? ''}${this.isCurrent ? 'current-' : ''}pipeline:${this.project.key}:${this.pipeline.id}`;
  }

  toTreeItem(): vscode.TreeItem {
    const { pipeline, mergeRequest } = this;
    const mergeRequestRef = parseMergeRequestRef(pipeline.ref);
    const where = this.placement.inOtherProject ? ` in ${this.project.projectPath}` : '';
    const title = this.isCurrent ? (mergeRequest ? `!${mergeRequest.iid} ${mergeRequest.title}` : pipeline.ref) : `#${pipeline.id} ${refLabel(pipeline.ref)}${where}`;
    const item = new vscode.TreeItem(title, this.isCurrent ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const seconds = elapsedSeconds(pipeline as PipelineDetail);
    item.description = [
      statusLabel(pipeline.status),
      seconds !== undefined ? formatDuration(seconds) : undefined,
      this.isCurrent ? `#${pipeline.id}` : undefined,
      this.isCurrent ? mergeRequestRef?.kind : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = statusIcon(pipeline.status);
    item.tooltip = pipelineTooltip(pipeline, mergeRequest);
    item.contextValue = contextValue('pipeline', pipelineCapabilities(pipeline));
    return item;
  }
}

export class StageNode {
  readonly kind = 'stage';
  constructor(
    readonly parent: PipelineNode,
    readonly name: string,
    readonly status: Status,
    /** Replaced by a refresh that leaves the row looking the same (the tree keeps the node's object). */
    public jobs: readonly (Job | Bridge)[],
  ) {}

  get id(): string {
    return `${this.parent.id}:stage:${this.name}`;
  }

  /** A finished stage starts collapsed: VS Code then builds none of its job rows until it is opened. */
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, isFinished(this.status) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = this.jobs.length === 1 ? vscode.l10n.t('{0} · 1 job', statusLabel(this.status)) : vscode.l10n.t('{0} · {1} jobs', statusLabel(this.status), this.jobs.length);
    item.iconPath = statusIcon(this.status);
    item.contextValue = 'stage';
    return item;
  }
}

export class JobNode {
  readonly kind = 'job';
  constructor(
    readonly project: ProjectContext,
    readonly job: Job,
    readonly parentId: string,
  ) {}

  get id(): string {
    return `${this.parentId}:job:${this.job.id}`;
  }

  /** Built when the row is hovered (the tree's resolveTreeItem), not with the row: see PipelinesTree. */
  tooltip(): vscode.MarkdownString {
    return jobTooltip(this.job);
  }

  toTreeItem(): vscode.TreeItem {
    const { job } = this;
    const capabilities = jobCapabilities(job);
    const item = new vscode.TreeItem(job.name, capabilities.hasArtifacts ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = jobDescription(job);
    item.iconPath = statusIcon(job.status, job.allow_failure);
    item.contextValue = contextValue('job', { ...capabilities, running: job.status === 'running', retried: job.retried === true });
    if (capabilities.hasTrace) {
      item.command = { command: 'gitlabCiLens.openJobLog', title: vscode.l10n.t('Open Job Log'), arguments: [this] };
    }
    return item;
  }
}

export class BridgeNode {
  readonly kind = 'bridge';
  constructor(
    readonly project: ProjectContext,
    readonly bridge: Bridge,
    readonly parentId: string,
  ) {}

  get id(): string {
    return `${this.parentId}:bridge:${this.bridge.id}`;
  }

  /** Built when the row is hovered, as a job's. */
  tooltip(): vscode.MarkdownString {
    return jobTooltip(this.bridge);
  }

  toTreeItem(): vscode.TreeItem {
    const { bridge } = this;
    const item = new vscode.TreeItem(bridge.name, bridge.downstream_pipeline ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const downstream = bridge.downstream_pipeline;
    item.description = [statusLabel(bridge.status), downstream ? `→ #${downstream.id}` : undefined].filter(Boolean).join(' · ');
    item.iconPath = statusIcon(bridge.status, bridge.allow_failure);
    item.contextValue = contextValue('bridge', { playable: bridge.status === 'manual' });
    return item;
  }
}

export class ArtifactNode {
  readonly kind = 'artifact';
  constructor(
    readonly project: ProjectContext,
    readonly job: Job,
    readonly artifact: ArtifactEntry,
    readonly parentId: string,
  ) {}

  get id(): string {
    return `${this.parentId}:artifact:${this.artifact.file_type}`;
  }

  get isArchive(): boolean {
    return this.artifact.file_type === 'archive';
  }

  toTreeItem(): vscode.TreeItem {
    const { artifact, job } = this;
    const item = new vscode.TreeItem(
      this.isArchive ? artifact.filename : `${artifact.file_type} (${artifact.filename})`,
      this.isArchive ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = [formatBytes(artifact.size), expiryText(job.artifacts_expire_at)].join(' · ');
    item.iconPath = new vscode.ThemeIcon(this.isArchive ? 'file-zip' : 'file');
    item.contextValue = contextValue(this.isArchive ? 'artifactArchive' : 'artifactReport', {
      hasArchive: this.isArchive,
      hasArtifacts: true,
      expiring: job.artifacts_expire_at != null,
    });
    return item;
  }
}

export class ArchiveEntryNode {
  readonly kind = 'archiveEntry';
  constructor(
    readonly project: ProjectContext,
    readonly job: Job,
    /** The entry's path inside the archive, `/`-separated; folders end without a slash. */
    readonly path: string,
    readonly type: 'file' | 'directory',
    readonly size: number,
    readonly parentId: string,
  ) {}

  get id(): string {
    return `${this.parentId}:entry:${this.path}`;
  }

  toTreeItem(): vscode.TreeItem {
    const name = this.path.split('/').pop() ?? this.path;
    const isFolder = this.type === 'directory';
    const item = new vscode.TreeItem(name, isFolder ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.resourceUri = artifactUri({ instanceUrl: this.project.instanceUrl, projectPath: this.project.projectPath, jobId: this.job.id, entryPath: this.path });
    item.iconPath = isFolder ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
    item.description = isFolder ? undefined : formatBytes(this.size);
    item.contextValue = isFolder ? 'artifactFolder' : 'artifactFile';
    // A click opens the file read-only, without downloading it into the workspace.
    if (!isFolder) item.command = { command: 'gitlabCiLens.openArtifactFile', title: vscode.l10n.t('Open'), arguments: [this] };
    return item;
  }
}

export class LoadMoreNode {
  readonly kind = 'loadMore';
  constructor(readonly project: ProjectContext) {}

  get id(): string {
    return `loadMore:${this.project.key}`;
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: 'gitlabCiLens.loadMorePipelines', title: vscode.l10n.t('Load More Pipelines'), arguments: [this] };
    item.contextValue = 'loadMore';
    return item;
  }
}

/** An inline state: "No pipelines for main", an error with what to do. */
export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly id: string,
    readonly text: string,
    readonly icon: string,
    readonly command?: vscode.Command,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.command = this.command;
    item.contextValue = 'message';
    return item;
  }
}

function contextValue(kind: string, flags: Record<string, boolean>): string {
  return [kind, ...Object.entries(flags).filter(([, on]) => on).map(([flag]) => flag)].join(' ');
}

function jobDescription(job: Job | Bridge): string {
  const parts: string[] = [statusLabel(job.status)];
  const seconds = elapsedSeconds(job);
  if (seconds !== undefined) parts.push(formatDuration(seconds));
  if (job.allow_failure && job.status === 'failed') parts.push('allowed to fail');
  if ('retried' in job && job.retried) parts.push('retried');
  return parts.join(' · ');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function expiryText(expireAt: string | null, now = Date.now()): string {
  if (expireAt === null) return 'kept';
  const days = (Date.parse(expireAt) - now) / 86_400_000;
  if (days < 0) return 'expired';
  if (days < 1) return `expires in ${Math.max(1, Math.round(days * 24))}h`;
  return `expires in ${Math.round(days)}d`;
}
