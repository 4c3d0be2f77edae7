/**
 * GitLab's v4 entities as the client uses them. Fields GitLab may add are tolerated (the types are open),
 * and so are statuses this code has never heard of: `(string & {})` keeps them typed as strings.
 */
export const KNOWN_STATUSES = [
  'created',
  'waiting_for_resource',
  'preparing',
  'pending',
  'running',
  'success',
  'failed',
  'canceled',
  'canceling',
  'skipped',
  'manual',
  'scheduled',
  'waiting_for_callback',
] as const;
export type KnownStatus = (typeof KNOWN_STATUSES)[number];
export type Status = KnownStatus | (string & {});

const FINISHED: ReadonlySet<string> = new Set(['success', 'failed', 'canceled', 'skipped']);
const ACTIVE: ReadonlySet<string> = new Set([
  'created',
  'waiting_for_resource',
  'preparing',
  'pending',
  'running',
  'canceling',
  'waiting_for_callback',
]);

/** Will not change by itself any more. */
export function isFinished(status: Status): boolean {
  return FINISHED.has(status);
}

/** Is moving (or about to): worth polling. Unknown statuses count as active so they are watched, not dropped. */
export function isActive(status: Status): boolean {
  return ACTIVE.has(status) || !(KNOWN_STATUSES as readonly string[]).includes(status);
}

/** A project as a request names it: its numeric id or its full path (`group/sub/project`). */
export type ProjectRef = number | string;

export interface UserSummary {
  id: number;
  username: string;
  name: string;
  state?: string;
  avatar_url?: string | null;
  web_url?: string;
}

export interface CommitSummary {
  id: string;
  short_id: string;
  title: string;
  message?: string;
  author_name?: string;
  created_at?: string;
}

export interface Pipeline {
  id: number;
  iid?: number;
  project_id: number;
  status: Status;
  source?: string;
  ref: string;
  sha: string;
  name?: string | null;
  web_url: string;
  created_at: string;
  updated_at: string;
}

export interface DetailedStatus {
  icon: string;
  text: string;
  label: string;
  group: string;
  tooltip?: string;
  has_details?: boolean;
  details_path?: string;
}

export interface PipelineDetail extends Pipeline {
  before_sha?: string;
  tag?: boolean;
  user?: UserSummary | null;
  started_at?: string | null;
  finished_at?: string | null;
  committed_at?: string | null;
  duration?: number | null;
  queued_duration?: number | null;
  coverage?: string | null;
  detailed_status?: DetailedStatus;
}

export interface ArtifactEntry {
  file_type: string;
  size: number;
  filename: string;
  file_format: string | null;
}

export interface RunnerSummary {
  id: number;
  description?: string | null;
  name?: string | null;
  active?: boolean;
  paused?: boolean;
  is_shared?: boolean;
  runner_type?: string;
}

interface JobCommon {
  id: number;
  name: string;
  stage: string;
  status: Status;
  ref: string;
  tag: boolean;
  allow_failure: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration: number | null;
  queued_duration: number | null;
  user?: UserSummary | null;
  commit?: CommitSummary | null;
  pipeline: Pick<Pipeline, 'id' | 'project_id' | 'ref' | 'sha' | 'status'> & Partial<Pipeline>;
  web_url: string;
  failure_reason?: string;
  erased_at?: string | null;
  coverage?: number | null;
}

export interface Job extends JobCommon {
  artifacts: ArtifactEntry[];
  artifacts_file?: { filename: string; size: number } | null;
  artifacts_expire_at: string | null;
  tag_list: string[];
  runner: RunnerSummary | null;
  archived?: boolean;
  /** Present on jobs that were retried: a newer attempt exists. */
  retried?: boolean;
}

/** A trigger job: starts a child or multi-project pipeline. */
export interface Bridge extends JobCommon {
  downstream_pipeline: Pipeline | null;
}

export interface CurrentUser extends UserSummary {
  email?: string;
  is_admin?: boolean;
}

export interface TokenInfo {
  id: number;
  name: string;
  scopes: string[];
  active: boolean;
  revoked: boolean;
  expires_at: string | null;
}

export interface Project {
  id: number;
  name: string;
  path_with_namespace: string;
  web_url: string;
  default_branch?: string | null;
}

export interface ArtifactTreeEntry {
  name: string;
  path: string;
  type: 'file' | 'directory';
  /** Files only: GitLab leaves it out for directories. */
  size?: number;
  /** `"100644"`-style; may be null. */
  mode: string | null;
}

export interface Variable {
  key: string;
  value: string;
  variable_type?: 'env_var' | 'file';
}

/** A merge request as GitLab lists it (`MergeRequestBasic`); the list never carries `head_pipeline`. */
export interface MergeRequest {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  state: 'opened' | 'closed' | 'merged' | 'locked' | (string & {});
  source_branch: string;
  target_branch: string;
  /** The source branch's HEAD commit. */
  sha: string | null;
  /** Differs from `project_id` for a merge request from a fork. */
  source_project_id?: number;
  web_url: string;
  created_at: string;
  updated_at: string;
  draft?: boolean;
}

export interface MergeRequestDetail extends MergeRequest {
  /** Null when GitLab has none; left out when the user may not read pipelines. */
  head_pipeline?: PipelineDetail | null;
}
