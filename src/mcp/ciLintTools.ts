import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { CiSource, lintDiagnostics } from '../gitlab/ciConfig';
import { ToolUsageError } from './output';
import { READ_ONLY, type ToolContext, addTool, projectFor, projectId } from './tooling';

const problem = z.object({
  message: z.string().describe("GitLab's own words."),
  line: z.number().describe('1-based line in `content` the message names (1 when it names nothing found, and always 1 when the repository file was linted, whose text the tool does not have).'),
  column: z.number().describe('1-based column.'),
});

/** GitLab's CI Lint for agents: a text or the repository's file, errors placed on lines, merged YAML when asked. */
export function registerCiLintTools(server: McpServer, context: ToolContext): void {
  addTool(server, context, {
    name: 'gitlab_lint_ci_config',
    title: 'Lint a GitLab CI configuration',
    description:
      "Validates a .gitlab-ci.yml with GitLab's CI Lint: pass `content` (the file's text; its local includes resolve in the project), or leave it out to lint the repository's file at `ref`. " +
      '`dry_run` simulates creating a pipeline on `ref` (rules and includes evaluated) and lists the jobs it would run. Answers valid, errors and warnings with the line each names, and the merged YAML when `include_merged_yaml` is true. Needs the Developer role and an api token for `content`.',
    hints: READ_ONLY,
    credentials: 'user',
    input: {
      project_id: projectId,
      content: z.string().max(2 * 1024 * 1024).optional().describe('The CI configuration to lint (at most 2 MB, GitLab\'s limit).'),
      ref: z.string().min(1).max(255).optional().describe('Branch or tag: the file to lint without `content`, and the ref a dry run simulates. Default: the default branch.'),
      dry_run: z.boolean().optional(),
      include_merged_yaml: z.boolean().optional(),
    },
    output: {
      valid: z.boolean(),
      errors: z.array(problem),
      warnings: z.array(problem),
      includes: z.array(z.object({ type: z.string(), location: z.string() })),
      jobs: z.array(z.object({ name: z.string(), stage: z.string() })).optional().describe('With dry_run: the jobs the pipeline would have.'),
      merged_yaml: z.string().nullable().optional(),
    },
    async run(args, { signal }) {
      const project = projectFor(context, args.project_id);
      const options = { dryRun: args.dry_run, ref: args.ref, includeJobs: args.dry_run, signal };
      if (args.content !== undefined && args.content.trim() === '') throw new ToolUsageError('content is empty: pass the CI file\'s text, or leave content out to lint the repository\'s file.');
      const result = args.content === undefined
        ? await context.gitlab.ciLint.lintRepository(project, options)
        : await context.gitlab.ciLint.lintContent(project, args.content, options);
      const placed = lintDiagnostics(new CiSource(args.content ?? ''), result).map((diagnostic) => ({
        severity: diagnostic.severity,
        message: diagnostic.message,
        line: diagnostic.range.start.line + 1,
        column: diagnostic.range.start.character + 1,
      }));
      const strip = ({ message, line, column }: (typeof placed)[number]) => ({ message, line, column });
      return {
        valid: result.valid,
        errors: placed.filter((item) => item.severity === 'error').map(strip),
        warnings: placed.filter((item) => item.severity === 'warning').map(strip),
        includes: (result.includes ?? []).map((include) => ({ type: include.type, location: include.location })),
        ...(args.dry_run && result.jobs ? { jobs: result.jobs.map((job) => ({ name: job.name, stage: job.stage })) } : {}),
        ...(args.include_merged_yaml ? { merged_yaml: result.merged_yaml } : {}),
      };
    },
  });
}
