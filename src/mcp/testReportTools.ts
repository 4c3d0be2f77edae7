import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { type TestCase, messageOf } from '../gitlab/tests';
import { pageShape } from './schemas';
import { READ_ONLY, type ToolContext, addTool, page, pipelineId, projectFor, projectId } from './tooling';

const MAX_TRACE_CHARS = 4 * 1024;
const MAX_TRACE_LINE_CHARS = 300;

const counts = { total_count: z.number(), success_count: z.number(), failed_count: z.number(), skipped_count: z.number(), error_count: z.number() };
const failedCase = z.object({
  suite: z.string().describe('The suite: the name of the job that uploaded the JUnit report.'),
  name: z.string(),
  classname: z.string().nullable(),
  file: z.string().nullable().describe('The test file as the JUnit report names it (relative to the repository), when it does.'),
  status: z.enum(['failed', 'error']),
  execution_time: z.number(),
  message: z.string(),
  stack_trace: z.string().describe('The top of the failure text, lines and length cut.'),
  stack_trace_lines_omitted: z.number(),
});

/** Test reports for agents: the failed cases of a pipeline, with the top of their stack traces. */
export function registerTestReportTools(server: McpServer, context: ToolContext): void {
  addTool(server, context, {
    name: 'gitlab_get_test_report',
    title: 'Get the failed tests of a pipeline',
    description:
      "A pipeline's test report (built by GitLab from the JUnit files its jobs upload): counts per suite, then the failed and errored cases " +
      'with their suite, file, message and the top of their stack trace (trace_lines, default 20), a page at a time. Partial while the ' +
      'pipeline runs; GitLab may serve it up to 2 minutes stale. Retry a suite with gitlab_retry_job on its job.',
    hints: READ_ONLY,
    credentials: 'user',
    input: {
      project_id: projectId,
      pipeline_id: pipelineId,
      suite: z.string().min(1).max(255).optional().describe('Only this suite (job name).'),
      trace_lines: z.number().int().min(0).max(200).default(20).describe('Stack trace lines kept per case, 0 to 200.'),
      page,
      per_page: z.number().int().min(1).max(50).default(10).describe('Failed cases per page, 1 to 50.'),
    },
    output: {
      pipeline_id: z.number(),
      counts: z.object(counts).describe('The whole report (every suite).'),
      suites: z.array(z.object({ name: z.string(), ...counts, suite_error: z.string().nullable() })),
      failed_cases: z.array(failedCase),
      truncated: z.boolean().describe('Whether the report was too large to keep whole (GitLab sent more cases or longer traces than kept).'),
      ...pageShape,
    },
    async run(args, { signal }) {
      const report = await context.gitlab.testReports.report(projectFor(context, args.project_id), args.pipeline_id, signal);
      const suites = report.suites.filter((suite) => args.suite === undefined || suite.name === args.suite);
      const failures = suites.flatMap((suite) => suite.cases.filter((testCase) => testCase.status === 'failed' || testCase.status === 'error'));
      const start = (args.page - 1) * args.per_page;
      const shown = failures.slice(start, start + args.per_page);
      return {
        pipeline_id: args.pipeline_id,
        counts: countFields(report.counts),
        suites: suites.map((suite) => ({ name: suite.name, ...countFields(suite.counts), suite_error: suite.suiteError ?? null })),
        failed_cases: shown.map((testCase) => describeFailure(testCase, args.trace_lines)),
        truncated: report.truncated,
        page: args.page,
        per_page: args.per_page,
        next_page: start + args.per_page < failures.length ? args.page + 1 : null,
        total: failures.length,
        total_pages: Math.max(1, Math.ceil(failures.length / args.per_page)),
      };
    },
  });
}

function countFields(source: { total: number; success: number; failed: number; skipped: number; error: number }) {
  return { total_count: source.total, success_count: source.success, failed_count: source.failed, skipped_count: source.skipped, error_count: source.error };
}

function describeFailure(testCase: TestCase, traceLines: number): z.input<typeof failedCase> {
  const lines = testCase.output.split('\n');
  const kept = lines.slice(0, traceLines).map((line) => (line.length > MAX_TRACE_LINE_CHARS ? `${line.slice(0, MAX_TRACE_LINE_CHARS)}…` : line));
  const trace = kept.join('\n').slice(0, MAX_TRACE_CHARS);
  return {
    suite: testCase.suite,
    name: testCase.name,
    classname: testCase.classname ?? null,
    file: testCase.file ?? null,
    status: testCase.status === 'error' ? 'error' : 'failed',
    execution_time: testCase.executionTime,
    message: messageOf(testCase.output, testCase.status === 'error' ? 'error' : 'failed'),
    stack_trace: trace,
    stack_trace_lines_omitted: lines.length - kept.length,
  };
}
