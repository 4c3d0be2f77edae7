import type { JobStatus, JobWhen, PipelineSource, Role, TokenScope } from './types';

export interface UserRecord {
  id: number;
  username: string;
  name: string;
  email: string;
  createdAt: Date;
}

export interface TokenRecord {
  id: number;
  token: string;
  name: string;
  userId: number;
  scopes: TokenScope[];
  createdAt: Date;
  /** A date (YYYY-MM-DD) like GitLab's, or null for no expiry. */
  expiresAt: string | null;
  revoked: boolean;
}

export interface RunnerRecord {
  id: number;
  token: string;
  description: string;
  tags: string[];
  runUntagged: boolean;
  ipAddress: string;
  systemId: string;
  paused: boolean;
  contactedAt: Date | null;
  /** instance_type runners serve every project; group_type ones the group's projects; project_type ones `projectIds`. */
  type: RunnerType;
  /** project_type: the projects it is assigned to, its owner first. */
  projectIds: number[];
  /** group_type: the owning group's namespace id. */
  groupId: number | null;
  createdAt: Date;
}

export type RunnerType = 'instance_type' | 'group_type' | 'project_type';

export interface NamespaceRecord {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  parentId: number | null;
}

export interface CommitRecord {
  sha: string;
  parentSha: string;
  title: string;
  message: string;
  authorName: string;
  authorEmail: string;
  createdAt: Date;
}

export interface RefRecord {
  name: string;
  /** 'merge_request': GitLab's hidden `refs/merge-requests/:iid/head|merge` refs (see merge-requests.ts). */
  kind: 'branch' | 'tag' | 'merge_request';
  protected: boolean;
  /** The ref's history, oldest first; the last one is the HEAD commit. */
  commits: CommitRecord[];
}

export interface ArtifactsSpec {
  paths: string[];
  expireIn?: string;
  when?: 'on_success' | 'on_failure' | 'always';
  junit?: string[];
}

export type TriggerSpec =
  | { kind: 'child'; template: PipelineTemplate }
  | { kind: 'project'; projectPath: string; branch?: string };

export interface JobTemplate {
  name: string;
  stage: string;
  when?: JobWhen;
  /** Defaults like GitLab's: true for manual jobs, false otherwise. */
  allowFailure?: boolean;
  script?: string[];
  tags?: string[];
  image?: string;
  artifacts?: ArtifactsSpec;
  /** Makes the job a bridge (trigger job). */
  trigger?: TriggerSpec;
}

export interface PipelineTemplate {
  stages: string[];
  jobs: JobTemplate[];
}

export interface ProjectRecord {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  description: string;
  namespace: NamespaceRecord;
  defaultBranch: string;
  createdAt: Date;
  members: Map<number, Role>;
  refs: RefRecord[];
  ciTemplate: PipelineTemplate;
}

export interface PipelineVariable {
  key: string;
  value: string;
  variable_type: 'env_var' | 'file';
}

export interface PipelineRecord {
  id: number;
  iid: number;
  projectId: number;
  ref: string;
  tag: boolean;
  sha: string;
  beforeSha: string;
  source: PipelineSource;
  name: string | null;
  status: JobStatus;
  /** Passed only thanks to allow_failure jobs that failed ("passed with warnings"). */
  hasWarnings: boolean;
  userId: number;
  stages: string[];
  variables: PipelineVariable[];
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  upstreamBridgeId: number | null;
}

/** One stored file of a job (archive, junit report...). The bytes live on disk and are streamed. */
export interface StoredArtifact {
  fileType: string;
  fileFormat: string | null;
  filename: string;
  size: number;
  filePath: string;
  sha256?: string;
}

export interface JobRecord {
  id: number;
  kind: 'build' | 'bridge';
  projectId: number;
  pipelineId: number;
  name: string;
  stage: string;
  stageIndex: number;
  status: JobStatus;
  when: JobWhen;
  allowFailure: boolean;
  script: string[];
  image: string | null;
  tags: string[];
  artifactsSpec: ArtifactsSpec | null;
  trigger: TriggerSpec | null;
  userId: number;
  createdAt: Date;
  queuedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  erasedAt: Date | null;
  coverage: number | null;
  failureReason: string | null;
  exitCode: number | null;
  retried: boolean;
  token: string | null;
  runnerId: number | null;
  /** Variables given when the job was played. */
  playVariables: { key: string; value: string }[];
  trace: TraceLog;
  /** Until then, GitLab tells the runner to send trace updates every 3 s instead of 60 s. */
  traceWatchedUntil: number;
  artifacts: StoredArtifact[];
  artifactsExpireAt: Date | null;
  downstreamPipelineId: number | null;
}

/** A job log that grows by appends without copying everything each time. */
export class TraceLog {
  private chunks: Buffer[] = [];
  private joined: Buffer | null = null;
  private length = 0;

  get size(): number {
    return this.length;
  }

  append(data: Buffer): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.length += data.length;
    this.joined = null;
  }

  replace(data: Buffer): void {
    this.chunks = data.length > 0 ? [data] : [];
    this.length = data.length;
    this.joined = null;
  }

  toBuffer(): Buffer {
    this.joined ??= Buffer.concat(this.chunks, this.length);
    if (this.chunks.length > 1) this.chunks = [this.joined];
    return this.joined;
  }
}

interface StatusEntry {
  status: JobStatus;
  allowFailure: boolean;
}

/**
 * The status of a set of jobs, as Gitlab::Ci::Status::Composite derives it: failed/canceled jobs that may
 * fail count as success "with warnings", manual jobs that may fail are ignored (they do not block).
 */
export function compositeStatus(entries: readonly StatusEntry[]): { status: JobStatus | null; warnings: boolean } {
  if (entries.length === 0) return { status: null, warnings: false };
  const seen = new Set<string>();
  let warnings = false;
  for (const { status, allowFailure } of entries) {
    if (allowFailure && status === 'manual') seen.add('ignored');
    else if (allowFailure && (status === 'failed' || status === 'canceled')) {
      seen.add('success');
      warnings = true;
    } else seen.add(status);
  }
  const onlyOf = (...allowed: string[]): boolean => [...seen].every((s) => allowed.includes(s));
  const anyOf = (...wanted: string[]): boolean => wanted.some((s) => seen.has(s));
  const status = ((): JobStatus => {
    if (onlyOf('skipped', 'ignored')) return 'skipped';
    if (onlyOf('success', 'skipped', 'ignored')) return 'success';
    if (onlyOf('created', 'ignored')) return 'created';
    if (onlyOf('preparing', 'ignored')) return 'preparing';
    if (onlyOf('canceled', 'success', 'skipped', 'ignored')) return 'canceled';
    if (onlyOf('pending', 'created', 'skipped', 'ignored')) return 'pending';
    if (anyOf('running', 'pending')) return 'running';
    if (anyOf('canceling')) return 'canceling';
    if (anyOf('waiting_for_resource')) return 'waiting_for_resource';
    if (anyOf('waiting_for_callback')) return 'waiting_for_callback';
    if (anyOf('manual')) return 'manual';
    if (anyOf('scheduled')) return 'scheduled';
    if (anyOf('preparing')) return 'preparing';
    if (anyOf('created')) return 'running';
    return 'failed';
  })();
  return { status, warnings: warnings && status === 'success' };
}
