import { existsSync } from 'node:fs';
import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { DEFAULT_SCAN_LIMITS, findJobProblems } from '../gitlab/problems/jobProblems';
import { READ_ONLY, type ToolContext, addTool, jobId, projectFor, projectId } from './tooling';

/** What an agent reads of a failed job: the compiler, linter and test failures its log reports, at their files. */
export function registerProblemTools(server: McpServer, context: ToolContext): void {
  addTool(server, context, {
    name: 'gitlab_get_job_problems',
    title: "Find the problems a job's log reports",
    description:
      "Runs problem matchers (tsc, ESLint, GCC/Clang, Go, Rust, Python tracebacks, pytest, javac/Maven/Gradle, generic `path:line: error`) over a job's log " +
      'and returns each problem with its path relative to the project root (paths under the job\'s checkout, e.g. /builds/<project>/..., are mapped; ' +
      'paths outside it are dropped and counted). exists_locally says whether the file is in this server\'s working directory. ' +
      'Capped at max_problems; `capped` says when the log had more.',
    hints: READ_ONLY,
    credentials: 'user',
    input: {
      project_id: projectId,
      job_id: jobId,
      max_problems: z.number().int().min(1).max(DEFAULT_SCAN_LIMITS.maxProblems).default(200).describe(`Most problems returned (1 to ${DEFAULT_SCAN_LIMITS.maxProblems}).`),
    },
    output: {
      job_id: z.number(),
      problems: z.array(
        z.object({
          tool: z.string(),
          path: z.string(),
          line: z.number(),
          column: z.number().optional(),
          severity: z.enum(['error', 'warning', 'info']),
          message: z.string(),
          code: z.string().optional(),
          log_line: z.number().describe('0-based line of the rendered log (as gitlab_read_job_log renders it) that reported it.'),
          exists_locally: z.boolean(),
        }),
      ),
      dropped: z.number().describe('Problems whose path was outside the checkout or not a path at all.'),
      capped: z.boolean(),
      long_lines: z.number().describe('Log lines too long to match (over 4 KB).'),
      project_dir: z.string().optional().describe('The checkout directory the log showed (CI_PROJECT_DIR).'),
      log_bytes: z.number(),
    },
    async run(args, { signal }) {
      const project = projectFor(context, args.project_id);
      const projectPath = typeof project === 'string' ? project : (await context.gitlab.account.project(project, signal)).path_with_namespace;
      const found = await findJobProblems(context.gitlab, project, projectPath, args.job_id, { limits: { ...DEFAULT_SCAN_LIMITS, maxProblems: args.max_problems }, signal });
      const root = process.cwd();
      return {
        job_id: args.job_id,
        problems: found.problems.map(({ tool, path: relative, line, column, severity, message, code, logLine }) => ({
          tool,
          path: relative,
          line,
          ...(column === undefined ? {} : { column }),
          severity,
          message,
          ...(code === undefined ? {} : { code }),
          log_line: logLine,
          // The path was checked to stay inside the project: this only asks whether it exists here.
          exists_locally: existsSync(path.join(root, relative)),
        })),
        dropped: found.dropped,
        capped: found.capped,
        long_lines: found.longLines,
        ...(found.projectDir === undefined ? {} : { project_dir: found.projectDir }),
        log_bytes: found.logBytes,
      };
    },
  });
}
