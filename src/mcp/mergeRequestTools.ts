import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { pageShape, pipelineSummary } from './schemas';
import { pageInfo, summarizePipeline } from './summaries';
import { GitLabHttpError, type MergeRequest, type ProjectRef } from '../gitlab';
import { ToolUsageError } from './output';
import { READ_ONLY, type ToolContext, addTool, idOf, page, perPage, projectFor, projectId } from './tooling';

const mergeRequestRef = z.object({ iid: z.number(), title: z.string().optional(), web_url: z.string().optional() });

/** Merge request pipelines run on refs/merge-requests/…: a branch's pipelines alone miss them. */
export function registerMergeRequestTools(server: McpServer, context: ToolContext): void {
  addTool(server, context, {
    name: 'gitlab_list_merge_request_pipelines',
    title: 'List the pipelines of a merge request or branch',
    description:
      'Lists the pipelines of a merge request (merge_request_iid), or of a branch (branch): through its open merge request when it has one, ' +
      'so detached, merged-results and merge-train pipelines (refs/merge-requests/<iid>/…) are included, else the branch\'s own. Newest first.',
    hints: READ_ONLY,
    credentials: 'user',
    input: {
      project_id: projectId,
      merge_request_iid: idOf('The merge request iid (the number in .../-/merge_requests/<iid>).').optional(),
      branch: z.string().min(1).max(255).optional().describe('A source branch: its open merge request\'s pipelines, else its own.'),
      page,
      per_page: perPage,
    },
    output: {
      merge_request: mergeRequestRef.nullable(),
      branch: z.string().optional(),
      pipelines: z.array(pipelineSummary),
      ...pageShape,
    },
    async run(args, { signal }) {
      if ((args.merge_request_iid === undefined) === (args.branch === undefined)) throw new ToolUsageError('Pass either merge_request_iid or branch, not both and not neither.');
      const project = projectFor(context, args.project_id);
      const { mergeRequests, pipelines } = context.gitlab;
      const pageOptions = { page: args.page, perPage: args.per_page, signal };
      if (args.merge_request_iid !== undefined) {
        const listed = await mergeRequests.pipelines(project, args.merge_request_iid, pageOptions);
        return { merge_request: { iid: args.merge_request_iid }, pipelines: listed.items.map(summarizePipeline), ...pageInfo(listed) };
      }
      const branch = args.branch ?? '';
      const [open] = await openMergeRequests(context, project, branch, signal);
      if (open) {
        const listed = await mergeRequests.pipelines(project, open.iid, pageOptions);
        const mergeRequest = { iid: open.iid, title: open.title, web_url: open.web_url };
        return { merge_request: mergeRequest, branch, pipelines: listed.items.map(summarizePipeline), ...pageInfo(listed) };
      }
      const listed = await pipelines.list(project, { ref: branch }, pageOptions);
      return { merge_request: null, branch, pipelines: listed.items.map(summarizePipeline), ...pageInfo(listed) };
    },
  });
}

/** The branch's open merge requests; none where merge requests are switched off (GitLab answers 403 then). */
async function openMergeRequests(context: ToolContext, project: ProjectRef, branch: string, signal: AbortSignal): Promise<MergeRequest[]> {
  try {
    return await context.gitlab.mergeRequests.openForBranch(project, branch, signal);
  } catch (error) {
    if (error instanceof GitLabHttpError && error.status === 403) return [];
    throw error;
  }
}
