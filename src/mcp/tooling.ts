import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { FailureReason, GitLab, ProjectRef } from '../gitlab';
import type { TraceCapabilities } from '../gitlab/trace/capabilities';
import { toProjectRef } from './config';
import { type CredentialKind, ToolUsageError, errorResult, jsonResult, scrubResult } from './output';

/** What every tool works with: one client for the instance, the default project, the secrets to keep out of answers. */
export interface ToolContext {
  gitlab: GitLab;
  defaultProject?: ProjectRef;
  /** Removed from every answer, whatever a server or an error message echoes. */
  secrets: readonly string[];
  /** Where list-all-files-artifacts-archive keeps archives it had to download to list them. */
  cacheDirectory: string;
  /** Whether the instance serves log slices, learned once. */
  traceCapabilities: TraceCapabilities;
}

/** GitLab's own distinction: reads, idempotent writes, destructive ones. */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
}

export const READ_ONLY: ToolHints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true };
export const WRITE: ToolHints = { readOnlyHint: false, destructiveHint: false, idempotentHint: false };
export const IDEMPOTENT_WRITE: ToolHints = { readOnlyHint: false, destructiveHint: false, idempotentHint: true };
export const DESTRUCTIVE: ToolHints = { readOnlyHint: false, destructiveHint: true, idempotentHint: true };
/** Writes files on this machine (never into an existing non-empty folder unless asked): not a read. */
export const DOWNLOAD: ToolHints = { readOnlyHint: false, destructiveHint: false, idempotentHint: false };

/** A tool's structured answer, as its output schema describes it. */
export type Answer<Output extends z.ZodRawShape> = z.input<z.ZodObject<Output>>;

export interface ToolDefinition<Shape extends z.ZodRawShape, Output extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  hints: ToolHints;
  credentials: CredentialKind;
  input: Shape;
  /** Published as the tool's outputSchema; every answer is checked against it. */
  output: Output;
  /** Hints for failures this tool knows the real cause of, in place of the general ones. */
  errorHints?: Partial<Record<FailureReason, string>>;
  run(args: z.output<z.ZodObject<Shape>>, call: ToolCall): Promise<Answer<Output>>;
  /** The text blocks of the answer; default: the answer as compact JSON. */
  text?(answer: Answer<Output>): string[];
}

/** What a running tool may use of its call: the client's cancellation, and progress for long transfers. */
export interface ToolCall {
  signal: AbortSignal;
  /** Sent as MCP progress notifications when the client asked for them (a progress token); else dropped. */
  progress(done: number, total: number | undefined, message: string): void;
}

/**
 * Registers a tool whose arguments are checked strictly (an unknown or misspelt parameter is refused,
 * not ignored), whose failures come back as tool errors, and whose answers never carry a secret.
 */
export function addTool<Shape extends z.ZodRawShape, Output extends z.ZodRawShape>(server: McpServer, context: ToolContext, tool: ToolDefinition<Shape, Output>): void {
  type Args = z.output<z.ZodObject<Shape>>;
  // Explicit type arguments: the SDK's overloads cannot infer through a generic shape.
  const inputSchema: z.ZodType<Args> = z.strictObject(tool.input);
  const outputSchema = z.object(tool.output);
  server.registerTool<z.ZodType, z.ZodType<Args>>(
    tool.name,
    { title: tool.title, description: tool.description, inputSchema, outputSchema, annotations: { ...tool.hints, openWorldHint: true } },
    async (args: Args, extra) => {
      let result: CallToolResult;
      const progressToken = extra._meta?.progressToken;
      let reported = -Infinity;
      const progress: ToolCall['progress'] = (done, total, message) => {
        // MCP wants progress to grow with every notification: repeats are dropped.
        if (progressToken === undefined || done <= reported) return;
        reported = done;
        const params = { progressToken, progress: done, message, ...(total === undefined ? {} : { total }) };
        extra.sendNotification({ method: 'notifications/progress', params }).catch(() => undefined);
      };
      try {
        const answer = await tool.run(args, { signal: extra.signal, progress });
        result = jsonResult(answer, tool.text?.(answer));
      } catch (error) {
        result = errorResult(error, tool.credentials, tool.errorHints);
      }
      return scrubResult(result, context.secrets);
    },
  );
}

/** The project a call names, else the configured or detected one. */
export function projectFor(context: ToolContext, projectId: string | number | undefined): ProjectRef {
  if (projectId !== undefined) return toProjectRef(projectId);
  if (context.defaultProject !== undefined) return context.defaultProject;
  throw new ToolUsageError(
    'No project: pass project_id (a numeric id or a path like group/project), or start the server with GITLAB_PROJECT set, or in a git checkout whose remote is on this GitLab.',
  );
}

// Parameters shared by many tools, named as GitLab names them.

export const projectId = z
  .union([z.number().int().positive(), z.string().trim().min(1).max(255)])
  .optional()
  .describe('Project: numeric id or full path (group/subgroup/project). Defaults to the project of the server (GITLAB_PROJECT or the git remote).');

/** A GitLab id: a positive integer, also accepted as a string of digits ("5001"), as agents often send ids. */
export function idOf(description: string) {
  return z.union([z.number().int().positive(), z.string().trim().regex(/^[1-9]\d{0,15}$/, 'a positive integer').transform(Number)]).describe(description);
}

export const jobId = idOf('Job id (the number in .../-/jobs/<id>; a trigger job is not a job here).');

export const pipelineId = idOf('Pipeline id (the number in .../-/pipelines/<id>).');

export const page = z.number().int().min(1).max(100_000).default(1).describe('Page number, from 1.');

export const perPage = z.number().int().min(1).max(100).default(20).describe('Items per page, 1 to 100.');

export const jobToken = z.string().min(1).max(1024).describe('The job token (CI_JOB_TOKEN, or the `token` of a request-job answer).');

export const directory = z
  .string()
  .min(1)
  .max(4096)
  .optional()
  .describe('Local folder to write into (created if missing). Default: a new temporary folder, returned in the answer.');

export const extract = z
  .boolean()
  .default(true)
  .describe('Extract the zip safely into `directory` (default) or keep it as a .zip file there.');

export const overwrite = z
  .boolean()
  .default(false)
  .describe('Replace what `directory` already holds. Without it, a folder that is not empty is refused.');
