import { type GitLabClient, projectPath } from './client';
import { GitLabHttpError } from './errors';
import type { MergeRequest, MergeRequestDetail, Pipeline, PipelineDetail, ProjectRef } from './models';
import { type Page, type PageOptions, getAll, getPage } from './pagination';
import type { PipelinesApi } from './pipelines';

/** Enough for any branch: GitLab allows one open merge request per source and target branch. */
const MAX_OPEN_MERGE_REQUESTS = 100;

/** GitLab's merge requests API, for what CI needs: a branch's open MRs, one MR, its pipelines. */
export class MergeRequestsApi {
  constructor(private readonly client: GitLabClient) {}

  /** The open merge requests whose source is `branch`, most recently updated first. */
  async openForBranch(project: ProjectRef, branch: string, signal?: AbortSignal): Promise<MergeRequest[]> {
    const found = await getAll<MergeRequest>(this.client, `${projectPath(project)}/merge_requests`, {
      source_branch: branch,
      state: 'opened',
      order_by: 'updated_at',
      sort: 'desc',
    }, { maxItems: MAX_OPEN_MERGE_REQUESTS, signal });
    // Nothing the server was asked is taken on trust: a proxy or an old GitLab may ignore a parameter. A fork's
    // branch of the same name is another branch: its merge requests are left out.
    const ours = (mr: MergeRequest): boolean => mr.source_branch === branch && mr.state === 'opened' && (mr.source_project_id ?? mr.project_id) === mr.project_id;
    return found.filter(ours).sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at) || b.iid - a.iid);
  }

  get(project: ProjectRef, iid: number, signal?: AbortSignal): Promise<MergeRequestDetail> {
    return this.client.json('GET', `${projectPath(project)}/merge_requests/${iid}`, { signal });
  }

  /** The MR's pipelines (detached, merged results, merge trains, and its branch's), newest first, basic entities. */
  pipelines(project: ProjectRef, iid: number, page: PageOptions = {}): Promise<Page<Pipeline>> {
    return getPage<Pipeline>(this.client, `${projectPath(project)}/merge_requests/${iid}/pipelines`, {}, page);
  }

  /** A detached merge request pipeline for the MR's head (developer). Not idempotent: never repeated by the client. */
  createPipeline(project: ProjectRef, iid: number, signal?: AbortSignal): Promise<PipelineDetail> {
    return this.client.json('POST', `${projectPath(project)}/merge_requests/${iid}/pipelines`, { signal });
  }
}

/** The merge request a current pipeline belongs to, as shown beside it. */
export interface MergeRequestRef {
  iid: number;
  title: string;
  web_url: string;
}

export interface BranchPipeline {
  pipeline?: PipelineDetail;
  /** The branch's open merge request (the most recently updated), when it has one. */
  mergeRequest?: MergeRequestRef;
  /** Where `pipeline` came from; 'none' when nothing readable was found. */
  source: 'head-pipeline' | 'merge-request-pipelines' | 'branch' | 'none';
}

/**
 * A branch's current pipeline, found as GitLab's own extension does: its open merge request's head
 * pipeline (detached, merged results or merge train: they run on `refs/merge-requests/:iid/…`, which
 * `pipelines/latest?ref=<branch>` never returns); when that is null or not readable, the newest of the
 * MR's pipelines; with no MR, or none of its pipelines readable, the branch's newest pipeline.
 */
export async function findBranchPipeline(
  gitlab: { mergeRequests: MergeRequestsApi; pipelines: PipelinesApi },
  project: ProjectRef,
  branch: string,
  signal?: AbortSignal,
): Promise<BranchPipeline> {
  // Merge requests switched off for the project answer 403: the branch is all there is then.
  const [newest] = (await readable(gitlab.mergeRequests.openForBranch(project, branch, signal))) ?? [];
  if (newest) {
    const mergeRequest: MergeRequestRef = { iid: newest.iid, title: newest.title, web_url: newest.web_url };
    const head = await readable(gitlab.mergeRequests.get(project, newest.iid, signal).then((detail) => detail.head_pipeline ?? undefined));
    if (head) return { pipeline: head, mergeRequest, source: 'head-pipeline' };
    const listed = await readable(gitlab.mergeRequests.pipelines(project, newest.iid, { perPage: 1, signal }).then((page) => page.items[0]));
    const pipeline = listed && (await readable(gitlab.pipelines.get(project, listed.id, signal)));
    if (pipeline) return { pipeline, mergeRequest, source: 'merge-request-pipelines' };
    const latest = await gitlab.pipelines.latest(project, branch, signal);
    return { pipeline: latest, mergeRequest, source: latest ? 'branch' : 'none' };
  }
  const latest = await gitlab.pipelines.latest(project, branch, signal);
  return { pipeline: latest, source: latest ? 'branch' : 'none' };
}

/** A 403 or 404 (not allowed to read it, or gone meanwhile) means "not available"; any other failure stays one. */
async function readable<T>(request: Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof GitLabHttpError && (error.status === 403 || error.status === 404)) return undefined;
    throw error;
  }
}

export type MergeRequestRefKind = 'detached' | 'merged results' | 'merge train';

/** `refs/merge-requests/1/merge` → `{ iid: 1, kind: 'merged results' }`; undefined for a branch or tag. */
export function parseMergeRequestRef(ref: string): { iid: number; kind: MergeRequestRefKind } | undefined {
  const match = /^refs\/merge-requests\/(\d+)\/(head|merge|train)$/.exec(ref);
  if (!match) return undefined;
  const kinds: Record<string, MergeRequestRefKind> = { head: 'detached', merge: 'merged results', train: 'merge train' };
  return { iid: Number(match[1]), kind: kinds[match[2] ?? ''] ?? 'detached' };
}

/** A merge request's ref reads as `!1 merged results`; branches and tags stay as they are. */
export function refLabel(ref: string): string {
  const mergeRequestRef = parseMergeRequestRef(ref);
  return mergeRequestRef ? `!${mergeRequestRef.iid} ${mergeRequestRef.kind}` : ref;
}
