import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerArtifactTools } from './artifactTools';
import { registerCiLintTools } from './ciLintTools';
import { registerJobTools } from './jobTools';
import { registerMergeRequestTools } from './mergeRequestTools';
import { registerPipelineActions } from './pipelineActions';
import { registerPipelineTools } from './pipelineTools';
import { registerProblemTools } from './problemTools';
import { registerRunnerTools } from './runnerTools';
import { registerTestReportTools } from './testReportTools';
import type { ToolContext } from './tooling';

export const SERVER_NAME = 'gitlab-ci-lens';
export const SERVER_VERSION = '0.1.0';

/** Every tool over one GitLab client; the transport is the caller's choice. */
export function createServer(context: ToolContext): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    {
      instructions:
        'GitLab CI/CD tools. Project-scoped tools default to the project the server was started for; pass project_id to act on another. ' +
        'To debug a failure: gitlab_list_pipelines (status failed) → gitlab_get_pipeline (jobs by stage, trigger jobs and their child pipelines, tests) → gitlab_read_job_log → gitlab_retry_job. ' +
        'Downloads land on disk; answers list paths, never whole archives.',
    },
  );
  registerPipelineTools(server, context);
  registerPipelineActions(server, context);
  registerMergeRequestTools(server, context);
  registerJobTools(server, context);
  registerArtifactTools(server, context);
  registerRunnerTools(server, context);
  registerProblemTools(server, context);
  registerTestReportTools(server, context);
  registerCiLintTools(server, context);
  return server;
}
