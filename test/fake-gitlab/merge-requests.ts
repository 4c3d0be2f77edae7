import { createHash } from 'node:crypto';
import type { Fixture } from './fixture';
import type { CommitRecord, PipelineRecord, ProjectRecord } from './model';
import type { FakeState } from './state';

export type MergeRequestState = 'opened' | 'closed' | 'merged' | 'locked';
/** Detached MR pipelines run on `/head`, merged results on `/merge` (a merge commit GitLab makes), trains on `/train`. */
export type MergeRequestPipelineKind = 'detached' | 'merged_results';

export interface MergeRequestRecord {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string;
  state: MergeRequestState;
  sourceBranch: string;
  targetBranch: string;
  authorId: number;
  createdAt: Date;
  updatedAt: Date;
  /**
   * 'derived': the newest of the MR's pipelines, as GitLab keeps `head_pipeline_id` pointing at the newest pipeline
   * for the MR's head; null: GitLab has none recorded (e.g. just after a push, or a pipeline that failed to create);
   * 'hidden': the answer leaves `head_pipeline` out, as GitLab does when the user may not read pipelines.
   */
  headPipeline: 'derived' | 'hidden' | null;
}

export interface OpenMergeRequestOptions {
  title: string;
  sourceBranch: string;
  targetBranch?: string;
  authorId: number;
  description?: string;
}

const refPrefix = 'refs/merge-requests/';

/** `refs/merge-requests/:iid/head|merge|train` → the iid, else undefined. */
export function mergeRequestIidOfRef(ref: string): number | undefined {
  const match = /^refs\/merge-requests\/(\d+)\/(head|merge|train)$/.exec(ref);
  return match ? Number(match[1]) : undefined;
}

/**
 * The fake's merge requests. Opening one creates its hidden refs (`/head` = the source branch's commits,
 * `/merge` = the target's plus a merge commit), so that MR pipelines run on those refs as on GitLab and never
 * show up under the branch's own name.
 */
export class MergeRequests {
  private readonly records: MergeRequestRecord[] = [];
  private nextId = 301;
  /** Projects whose `workflow:rules` run pipelines only for merge requests: a branch makes none of its own. */
  readonly mergeRequestPipelinesOnly = new Set<number>();

  constructor(private readonly state: FakeState) {}

  open(project: ProjectRecord, options: OpenMergeRequestOptions): MergeRequestRecord {
    const source = this.state.findRef(project, options.sourceBranch);
    const targetBranch = options.targetBranch ?? project.defaultBranch;
    const target = this.state.findRef(project, targetBranch);
    if (!source || !target) throw new Error(`merge request: no branch ${source ? targetBranch : options.sourceBranch}`);
    const now = this.state.now();
    const mr: MergeRequestRecord = {
      id: this.nextId++,
      iid: this.records.filter((r) => r.projectId === project.id).length + 1,
      projectId: project.id,
      title: options.title,
      description: options.description ?? '',
      state: 'opened',
      sourceBranch: source.name,
      targetBranch,
      authorId: options.authorId,
      createdAt: now,
      updatedAt: now,
      headPipeline: 'derived',
    };
    this.records.push(mr);
    const head = lastCommit(source.commits);
    const targetHead = lastCommit(target.commits);
    const mergeCommit: CommitRecord = {
      ...head,
      sha: createHash('sha1').update(`merge ${mr.iid} ${head.sha} ${targetHead.sha}`).digest('hex'),
      parentSha: targetHead.sha,
      title: `Merge branch '${source.name}' into '${targetBranch}'`,
      message: `Merge branch '${source.name}' into '${targetBranch}'\n`,
    };
    project.refs.push(
      { name: `${refPrefix}${mr.iid}/head`, kind: 'merge_request', protected: false, commits: source.commits },
      { name: `${refPrefix}${mr.iid}/merge`, kind: 'merge_request', protected: false, commits: [...target.commits, mergeCommit] },
    );
    return mr;
  }

  /** A project's merge requests, newest first. */
  list(projectId: number): MergeRequestRecord[] {
    return this.records.filter((r) => r.projectId === projectId).sort((a, b) => b.id - a.id);
  }

  find(projectId: number, iid: number): MergeRequestRecord | undefined {
    return this.records.find((r) => r.projectId === projectId && r.iid === iid);
  }

  require(projectIdOrPath: number | string, iid: number): MergeRequestRecord {
    const mr = this.find(this.state.requireProject(projectIdOrPath).id, iid);
    if (!mr) throw new Error(`no merge request !${iid} in ${projectIdOrPath}`);
    return mr;
  }

  /** Every pipeline of the MR (`MergeRequest#all_pipelines`): its MR refs and its source branch, newest first. */
  pipelinesOf(mr: MergeRequestRecord): PipelineRecord[] {
    return [...this.state.pipelines.values()]
      .filter((p) => p.projectId === mr.projectId && p.source !== 'parent_pipeline'
        && (mergeRequestIidOfRef(p.ref) === mr.iid || p.ref === mr.sourceBranch))
      .sort((a, b) => b.id - a.id);
  }

  /** `head_pipeline` as the API shows it; undefined when the answer leaves the field out. */
  headPipelineOf(mr: MergeRequestRecord): PipelineRecord | null | undefined {
    if (mr.headPipeline === 'hidden') return undefined;
    if (mr.headPipeline === null) return null;
    return this.pipelinesOf(mr)[0] ?? null;
  }

  /** POST /merge_requests/:iid/pipelines, or a test's set-up: a pipeline for the MR with source `merge_request_event`. */
  createPipeline(mr: MergeRequestRecord, userId: number, kind: MergeRequestPipelineKind = 'detached'): PipelineRecord {
    const ref = `${refPrefix}${mr.iid}/${kind === 'detached' ? 'head' : 'merge'}`;
    const pipeline = this.state.createPipeline(this.state.requireProject(mr.projectId), { ref, userId, source: 'merge_request_event' });
    if (mr.headPipeline === null) mr.headPipeline = 'derived';
    return pipeline;
  }

  /** The predefined CI_MERGE_REQUEST_* variables a job of an MR pipeline gets; none for other pipelines. */
  variablesOf(pipeline: PipelineRecord): [string, string][] {
    const iid = mergeRequestIidOfRef(pipeline.ref);
    const mr = iid === undefined ? undefined : this.find(pipeline.projectId, iid);
    if (!mr) return [];
    return [
      ['CI_MERGE_REQUEST_IID', String(mr.iid)],
      ['CI_MERGE_REQUEST_TITLE', mr.title],
      ['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', mr.sourceBranch],
      ['CI_MERGE_REQUEST_TARGET_BRANCH_NAME', mr.targetBranch],
      ['CI_MERGE_REQUEST_EVENT_TYPE', pipeline.ref.endsWith('/merge') ? 'merged_result' : 'detached'],
    ];
  }

  /** GitLab has no head pipeline for the MR (until its next pipeline). */
  clearHeadPipeline(mr: MergeRequestRecord): void {
    mr.headPipeline = null;
  }

  /** The MR's answer leaves `head_pipeline` out, as for a user who may not read it. */
  hideHeadPipeline(mr: MergeRequestRecord): void {
    mr.headPipeline = 'hidden';
  }
}

/** The fixture's merge requests (and MR-only workflows); runs before its pipelines, which may use the MR refs. */
export function seedMergeRequests(state: FakeState, fixture: Fixture, userId: (username: string) => number): void {
  for (const project of fixture.projects) {
    if (project.workflow === 'merge_request_pipelines_only') state.mergeRequests.mergeRequestPipelinesOnly.add(project.id);
  }
  for (const seeded of fixture.mergeRequests ?? []) {
    const mr = state.mergeRequests.open(state.requireProject(seeded.project), {
      title: seeded.title, sourceBranch: seeded.sourceBranch, targetBranch: seeded.targetBranch, authorId: userId(seeded.author),
    });
    mr.createdAt = new Date(state.clock.now() - seeded.hoursAgo * 3600 * 1000);
    mr.updatedAt = mr.createdAt;
  }
}

function lastCommit(commits: readonly CommitRecord[]): CommitRecord {
  const commit = commits[commits.length - 1];
  if (!commit) throw new Error('merge request: a branch without commits');
  return commit;
}
