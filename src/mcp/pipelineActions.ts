import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { pipelineSummary } from './schemas';
import { summarizePipeline } from './summaries';
import { DESTRUCTIVE, type ToolContext, WRITE, addTool, pipelineId, projectFor, projectId } from './tooling';

const variableKey = z.string().regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _ only').max(255);
const inputValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.array(z.string().max(10_000)).max(100)]);

/** Starting, re-running, stopping and removing pipelines. None of these requests is ever repeated on its own. */
export function registerPipelineActions(server: McpServer, context: ToolContext): void {
  addTool(server, context, {
    name: 'gitlab_create_pipeline',
    title: 'Run a pipeline',
    description:
      'Runs a new pipeline for a branch or tag, with CI/CD variables for this run and `inputs` for a configuration that declares spec:inputs (GitLab 18.1+). ' +
      'Not idempotent: each call starts another pipeline.',
    hints: WRITE,
    credentials: 'user',
    input: {
      project_id: projectId,
      ref: z.string().min(1).max(255).describe('Branch or tag to run the pipeline for.'),
      variables: z
        .array(z.strictObject({ key: variableKey, value: z.string().max(10_000), variable_type: z.enum(['env_var', 'file']).optional() }))
        .max(100)
        .default([])
        .describe('e.g. [{"key":"DEPLOY_ENV","value":"staging"}].'),
      inputs: z
        .record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'an input name').max(255), inputValue)
        .optional()
        .describe('Values for the spec:inputs of .gitlab-ci.yml, e.g. {"environment":"staging","replicas":3}.'),
    },
    output: { pipeline: pipelineSummary },
    errorHints: {
      'bad-request': 'GitLab refused to create the pipeline: its message says why (an unknown ref, invalid .gitlab-ci.yml, an input the configuration does not declare, or no job matched its rules).',
    },
    async run(args, { signal }) {
      const pipeline = await context.gitlab.pipelines.create(projectFor(context, args.project_id), args.ref, args.variables, signal, args.inputs);
      return { pipeline: summarizePipeline(pipeline) };
    },
  });

  addTool(server, context, {
    name: 'gitlab_retry_pipeline',
    title: 'Retry a pipeline',
    description: "Retries a pipeline's failed and canceled jobs (each as a NEW job). Not idempotent: each call starts more runs.",
    hints: WRITE,
    credentials: 'user',
    input: { project_id: projectId, pipeline_id: pipelineId },
    output: { pipeline: pipelineSummary },
    async run(args, { signal }) {
      return { pipeline: summarizePipeline(await context.gitlab.pipelines.retry(projectFor(context, args.project_id), args.pipeline_id, signal)) };
    },
  });

  addTool(server, context, {
    name: 'gitlab_cancel_pipeline',
    title: 'Cancel a pipeline',
    description: "Cancels a pipeline's pending and running jobs (and its child pipelines'). A finished pipeline stays as it is.",
    hints: DESTRUCTIVE,
    credentials: 'user',
    input: { project_id: projectId, pipeline_id: pipelineId },
    output: { pipeline: pipelineSummary },
    async run(args, { signal }) {
      return { pipeline: summarizePipeline(await context.gitlab.pipelines.cancel(projectFor(context, args.project_id), args.pipeline_id, signal)) };
    },
  });

  addTool(server, context, {
    name: 'gitlab_delete_pipeline',
    title: 'Delete a pipeline',
    description: 'Deletes a pipeline for good, with its jobs, logs and artifacts. GitLab allows it to project Owners only. Cannot be undone.',
    hints: DESTRUCTIVE,
    credentials: 'user',
    input: { project_id: projectId, pipeline_id: pipelineId },
    output: { deleted: z.boolean(), pipeline_id: z.number() },
    errorHints: { forbidden: 'Deleting a pipeline needs the Owner role on the project (Maintainer is not enough).' },
    async run(args, { signal }) {
      await context.gitlab.pipelines.delete(projectFor(context, args.project_id), args.pipeline_id, signal);
      return { deleted: true, pipeline_id: args.pipeline_id };
    },
  });
}
