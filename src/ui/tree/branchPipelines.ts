import type { GitLab } from '../../gitlab';
import { type MergeRequestRef, findBranchPipeline, parseMergeRequestRef } from '../../gitlab/mergeRequests';
import type { Pipeline, PipelineDetail } from '../../gitlab/models';
import type { ProjectContext } from '../services';
import type { PipelineFilter } from './model';

export interface BranchPipelines {
  current?: PipelineDetail;
  /** The checked-out branch's open merge request, when it has one. */
  mergeRequest?: MergeRequestRef;
  /** The MR's newest pipelines that pass the filter: `pipelines?ref=<branch>` never lists them. */
  mergeRequestPipelines: Pipeline[];
}

/**
 * The checked-out branch's current pipeline (its MR's head pipeline first) and its MR's recent pipelines.
 * Which merge request is open is looked up anew unless `known` says (see `checkCurrentPipeline`).
 */
export async function loadBranchPipelines(
  gitlab: GitLab, project: ProjectContext, filter: PipelineFilter, perPage: number, signal?: AbortSignal, known?: { mergeRequest?: MergeRequestRef },
): Promise<BranchPipelines> {
  if (!project.branch) return { mergeRequestPipelines: [] };
  const { current, mergeRequest } = known
    ? await checkCurrentPipeline(gitlab, project, known.mergeRequest, false, signal)
    : await findBranchPipeline(gitlab, project.projectPath, project.branch, signal).then(({ pipeline, mergeRequest }) => ({ current: pipeline, mergeRequest }));
  if (!mergeRequest || !filterAdmitsMergeRequest(filter, project.branch, mergeRequest.iid)) return { current, mergeRequest, mergeRequestPipelines: [] };
  const page = await gitlab.mergeRequests.pipelines(project.projectPath, mergeRequest.iid, { perPage, signal });
  const mergeRequestPipelines = page.items.filter((pipeline) => (!filter.status || pipeline.status === filter.status) && (!filter.source || pipeline.source === filter.source));
  return { current, mergeRequest, mergeRequestPipelines };
}

/**
 * Whether the project's pipeline list, as just fetched, shows that the branch's current pipeline is still the
 * one held: the list is unfiltered (or filtered on the branch alone, without a merge request), holds the
 * current pipeline with the same status and update time, and nothing newer on the branch or its merge request.
 * Then asking for the current pipeline again would only give it back. A pipeline that is not listed proves
 * nothing, so the caller asks.
 */
export function listShowsCurrentUnchanged(held: Omit<BranchPipelines, 'mergeRequestPipelines'>, listed: readonly Pipeline[], filter: PipelineFilter, branch: string): boolean {
  const { current, mergeRequest } = held;
  if (filter.status || filter.source || (filter.ref && (filter.ref !== branch || mergeRequest))) return false;
  const ofBranch = (pipeline: Pipeline) => pipeline.ref === branch || (mergeRequest !== undefined && parseMergeRequestRef(pipeline.ref)?.iid === mergeRequest.iid);
  const newestListed = listed.filter(ofBranch).reduce<Pipeline | undefined>((newest, pipeline) => (!newest || pipeline.id > newest.id ? pipeline : newest), undefined);
  if (!current) return newestListed === undefined;
  return newestListed?.id === current.id && newestListed.status === current.status && newestListed.updated_at === current.updated_at;
}

/** A filter on another ref leaves the MR's pipelines out; no ref, the branch, or one of the MR's refs lets them in. */
function filterAdmitsMergeRequest(filter: PipelineFilter, branch: string, iid: number): boolean {
  return !filter.ref || filter.ref === branch || parseMergeRequestRef(filter.ref)?.iid === iid;
}

/** Listed and MR pipelines together: newest first, each once, without the current one, at most `limit`. */
export function mergeRecent(listed: readonly Pipeline[], mergeRequestPipelines: readonly Pipeline[], currentId: number | undefined, limit: number): Pipeline[] {
  const byId = new Map<number, Pipeline>();
  for (const pipeline of [...listed, ...mergeRequestPipelines]) if (pipeline.id !== currentId && !byId.has(pipeline.id)) byId.set(pipeline.id, pipeline);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, limit);
}

/**
 * The status bar's cheap look at the current pipeline, one conditional request when nothing moved: the known
 * merge request's own page (its head pipeline), else the branch's latest pipeline. Which merge request is open
 * is looked up anew (`findBranchPipeline`) when `recheck` says so, or when the known one has no head pipeline
 * or is no longer open.
 */
export async function checkCurrentPipeline(gitlab: GitLab, project: ProjectContext, known: MergeRequestRef | undefined, recheck: boolean, signal?: AbortSignal): Promise<Omit<BranchPipelines, 'mergeRequestPipelines'>> {
  if (!project.branch) return {};
  if (!recheck && known) {
    const detail = await gitlab.mergeRequests.get(project.projectPath, known.iid, signal);
    if (detail.state === 'opened' && detail.head_pipeline) return { current: detail.head_pipeline, mergeRequest: known };
  } else if (!recheck) {
    return { current: await gitlab.pipelines.latest(project.projectPath, project.branch, signal) };
  }
  const { pipeline: current, mergeRequest } = await findBranchPipeline(gitlab, project.projectPath, project.branch, signal);
  return { current, mergeRequest };
}
