import { type GitLabClient, projectPath } from '../client';
import type { ProjectRef } from '../models';

/** One file GitLab pulled into the merged configuration. */
export interface CiLintInclude {
  type: string;
  location: string;
  blob: string | null;
  raw: string | null;
  extra: Record<string, unknown>;
  context_project: string | null;
  context_sha: string | null;
}

/** A job as a dry run (or `include_jobs`) describes it. */
export interface CiLintJob {
  name: string;
  stage: string;
  script?: string[];
  when?: string;
  allow_failure?: boolean;
  [key: string]: unknown;
}

/** `POST`/`GET /projects/:id/ci/lint`: always 200, even for invalid YAML (FACTS.md, audited). */
export interface CiLintResult {
  valid: boolean;
  errors: string[];
  warnings: string[];
  merged_yaml: string | null;
  includes: CiLintInclude[] | null;
  jobs?: CiLintJob[];
}

export interface CiLintOptions {
  /** Simulate pipeline creation on `ref` (checks rules and includes as a real push would). */
  dryRun?: boolean;
  /** The branch or tag a dry run simulates; GitLab's default branch when left out. */
  ref?: string;
  includeJobs?: boolean;
  signal?: AbortSignal;
}

/** GitLab's CI Lint. Both calls only read; POST needs the Developer role and an `api` token. */
export class CiLintApi {
  constructor(private readonly client: GitLabClient) {}

  /** Lints `content` (the editor's text) in the project's context, so its local includes resolve. */
  async lintContent(project: ProjectRef, content: string, options: CiLintOptions = {}): Promise<CiLintResult> {
    const body: Record<string, unknown> = { content };
    if (options.dryRun) body.dry_run = true;
    if (options.dryRun && options.ref) body.ref = options.ref;
    if (options.includeJobs) body.include_jobs = true;
    return normalize(await this.client.json<Partial<CiLintResult>>('POST', `${projectPath(project)}/ci/lint`, { json: body, signal: options.signal }));
  }

  /** Lints the repository's own CI file at `ref` (GitLab's default branch when left out). */
  async lintRepository(project: ProjectRef, options: CiLintOptions = {}): Promise<CiLintResult> {
    return normalize(await this.client.json<Partial<CiLintResult>>('GET', `${projectPath(project)}/ci/lint`, {
      query: {
        content_ref: options.ref,
        dry_run: options.dryRun || undefined,
        dry_run_ref: options.dryRun ? options.ref : undefined,
        include_jobs: options.includeJobs || undefined,
      },
      signal: options.signal,
    }));
  }
}

/** Tolerates fields an older or newer GitLab leaves out, so callers read one shape. */
function normalize(answer: Partial<CiLintResult>): CiLintResult {
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  return {
    valid: answer.valid === true,
    errors: strings(answer.errors),
    warnings: strings(answer.warnings),
    merged_yaml: typeof answer.merged_yaml === 'string' ? answer.merged_yaml : null,
    includes: Array.isArray(answer.includes) ? answer.includes : null,
    ...(Array.isArray(answer.jobs) ? { jobs: answer.jobs } : {}),
  };
}
