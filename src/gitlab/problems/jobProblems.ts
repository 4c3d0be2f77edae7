import type { GitLab } from '../index';
import type { ProjectRef } from '../models';
import { TraceRenderer } from '../trace/renderer';
import { toProjectRelative } from './paths';
import { DEFAULT_SCAN_LIMITS, type LogProblem, ProblemScanner, type ScanLimits } from './scanner';

export type { LogProblem, ScanLimits } from './scanner';
export { DEFAULT_SCAN_LIMITS, ProblemScanner, scanLogText } from './scanner';
export { toProjectRelative } from './paths';

/** A problem whose file is one of the project's: `path` is relative to the project's root, `/`-separated. */
export interface MappedProblem extends LogProblem {
  path: string;
}

export interface JobProblems {
  problems: MappedProblem[];
  /** Problems whose path was outside the checkout (or nonsense), or not a file of the workspace. */
  dropped: number;
  /** The scan stopped at the cap: the log holds more problems than these. */
  capped: boolean;
  /** Log lines too long to match. */
  longLines: number;
  projectDir?: string;
  logBytes: number;
}

export interface JobProblemsOptions {
  limits?: ScanLimits;
  /** Whether a project-relative path is a file in the workspace; paths that are not are dropped. Default: all kept. */
  exists?: (relativePath: string) => Promise<boolean>;
  signal?: AbortSignal;
}

/** A job's log streamed through the renderer and the matchers (never held whole), its paths mapped into the project. */
export async function findJobProblems(gitlab: GitLab, project: ProjectRef, projectPath: string, jobId: number, options: JobProblemsOptions = {}): Promise<JobProblems> {
  const response = await gitlab.jobs.trace(project, jobId, { signal: options.signal });
  const renderer = new TraceRenderer();
  const scanner = new ProblemScanner(options.limits ?? DEFAULT_SCAN_LIMITS);
  let logBytes = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    logBytes += chunk.byteLength;
    for (const line of renderer.push(chunk)) scanner.push(line.text);
  }
  for (const line of renderer.end()) scanner.push(line.text);
  return { ...(await mapProblems(scanner.result(), projectPath, options.exists)), logBytes };
}

/** Maps scanned problems into the project, dropping those that cannot be its files. */
export async function mapProblems(
  scan: ReturnType<ProblemScanner['result']>,
  projectPath: string,
  exists: (relativePath: string) => Promise<boolean> = () => Promise.resolve(true),
): Promise<Omit<JobProblems, 'logBytes'>> {
  const problems: MappedProblem[] = [];
  const known = new Map<string, Promise<boolean>>();
  let dropped = 0;
  for (const problem of scan.problems) {
    const path = toProjectRelative(problem.file, { projectPath, ...(scan.projectDir ? { projectDir: scan.projectDir } : {}) });
    let found = path === undefined ? undefined : known.get(path);
    if (path !== undefined && found === undefined) {
      found = exists(path).catch(() => false);
      known.set(path, found);
    }
    if (path === undefined || !(await found)) dropped++;
    else problems.push({ ...problem, path });
  }
  return { problems, dropped, capped: scan.capped, longLines: scan.longLines, ...(scan.projectDir ? { projectDir: scan.projectDir } : {}) };
}
