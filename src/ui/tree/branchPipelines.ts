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

/** The checked-out branch's current pipeline (its MR's head pipeline first) and its MR's recent pipelines. */
export async function loadBranchPipelines(gitlab: GitLab, project: ProjectContext, filter: PipelineFilter, perPage: number, signal?: AbortSignal): Promise<BranchPipelines> {
  if (!project.branch) return { mergeRequestPipelines: [] };
  const { pipeline: current, mergeRequest } = await findBranchPipeline(gitlab, project.projectPath, project.branch, signal);
  if (!mergeRequest || !filterAdmitsMergeRequest(filter, project.branch, mergeRequest.iid)) return { current, mergeRequest, mergeRequestPipelines: [] };
  const page = await gitlab.mergeRequests.pipelines(project.projectPath, mergeRequest.iid, { perPage, signal });
  const mergeRequestPipelines = page.items.filter((pipeline) => (!filter.status || pipeline.status === filter.status) && (!filter.source || pipeline.source === filter.source));
  return { current, mergeRequest, mergeRequestPipelines };
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
