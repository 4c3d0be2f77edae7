import * as vscode from 'vscode';
import type { GitLab } from '../../gitlab';
import type { Job } from '../../gitlab/models';
import { findJobProblems, type MappedProblem } from '../../gitlab/problems/jobProblems';
import type { Logger } from '../log';
import type { ProjectContext } from '../services';

/** What Problems reads of the pipelines model: the current pipelines and their (shared, cached) jobs. */
export interface CurrentPipelines {
  readonly onDidChange: vscode.Event<unknown>;
  projectStates(): readonly { project: ProjectContext; current?: { id: number } }[];
  jobsOf(project: ProjectContext, pipelineId: number): Promise<{ jobs: Job[] }>;
}

export interface CiProblemsOptions {
  pipelines: CurrentPipelines;
  gitlabFor(project: ProjectContext): Promise<GitLab>;
  folderOf(project: ProjectContext): vscode.Uri | undefined;
  enabled(): boolean;
  log: Logger;
}

/** Failed jobs whose logs are read per pipeline at most: a pipeline of hundreds of failures is cut here. */
const MAX_FAILED_JOBS = 20;

interface JobEntry {
  jobId: number;
  pipelineId: number;
  problems: MappedProblem[];
}

interface ProjectProblems {
  collection: vscode.DiagnosticCollection;
  /** By job name: the newest failed run's problems, until a later pipeline passes the job. */
  jobs: Map<string, JobEntry>;
}

/**
 * The Problems panel fed from the current branch's (or merge request's) pipeline: each failed job's log, read
 * once, goes through the problem matchers; what points at files of the project's workspace folder becomes a
 * diagnostic (source "GitLab CI: <job>"), one collection per project. A job's entries go when a later pipeline
 * passes it. It reads the pipelines model and polls nothing of its own.
 */
export class CiProblems implements vscode.Disposable {
  private readonly projects = new Map<string, ProjectProblems>();
  /** Failed jobs whose log was read (or is being read): each only once. */
  private readonly read = new Set<number>();
  private readonly subscriptions: vscode.Disposable[];
  private updating: Promise<void> = Promise.resolve();

  constructor(private readonly options: CiProblemsOptions) {
    this.subscriptions = [options.pipelines.onDidChange(() => this.schedule())];
    this.schedule();
  }

  /** Settles after the updates asked so far (tests). */
  settled(): Promise<void> {
    return this.updating;
  }

  /** Runs an update after the one running: updates never overlap. */
  schedule(): void {
    this.updating = this.updating.then(() => this.update()).catch((error: unknown) => this.options.log.warn(`Updating CI problems failed: ${String(error)}`));
  }

  /** Signed in or out: entries and the record of logs read belong to the session that is gone. */
  reset(): void {
    this.updating = this.updating.then(() => this.forgetAll());
    this.schedule();
  }

  private forgetAll(): void {
    for (const entry of this.projects.values()) entry.collection.dispose();
    this.projects.clear();
    this.read.clear();
  }

  private async update(): Promise<void> {
    if (!this.options.enabled()) return this.forgetAll();
    await Promise.all(this.options.pipelines.projectStates().map(({ project, current }) => (current ? this.updateProject(project, current.id) : Promise.resolve())));
  }

  private async updateProject(project: ProjectContext, pipelineId: number): Promise<void> {
    const folder = this.options.folderOf(project);
    if (!folder) return;
    const { jobs } = await this.options.pipelines.jobsOf(project, pipelineId);
    const entry = this.projectEntry(project);
    let changed = false;
    const latest = jobs.filter((job) => job.retried !== true);
    for (const job of latest) {
      const known = entry.jobs.get(job.name);
      if (job.status === 'success' && known && known.pipelineId < pipelineId) {
        entry.jobs.delete(job.name); // a later pipeline passed it
        changed = true;
      }
    }
    const failed = latest.filter((job) => job.status === 'failed' && !this.read.has(job.id)).slice(0, MAX_FAILED_JOBS);
    const results = await Promise.all(failed.map((job) => this.readJob(project, folder, job)));
    for (const [index, problems] of results.entries()) {
      const job = failed[index];
      if (!job || problems === undefined) continue;
      const known = entry.jobs.get(job.name);
      if (known && known.pipelineId > pipelineId) continue;
      entry.jobs.set(job.name, { jobId: job.id, pipelineId, problems });
      changed = true;
    }
    if (changed) this.publish(entry, folder);
  }

  private async readJob(project: ProjectContext, folder: vscode.Uri, job: Job): Promise<MappedProblem[] | undefined> {
    this.read.add(job.id);
    try {
      const gitlab = await this.options.gitlabFor(project);
      const found = await findJobProblems(gitlab, project.projectPath, project.projectPath, job.id, { exists: (path) => isFile(vscode.Uri.joinPath(folder, path)) });
      if (found.capped) this.options.log.warn(`${job.name} #${job.id}: the log has more problems than the ${found.problems.length} shown in Problems.`);
      if (found.dropped > 0) this.options.log.info(`${job.name} #${job.id}: ${found.dropped} problem(s) point outside the workspace or at files it does not have; left out of Problems.`);
      return found.problems;
    } catch (error) {
      this.read.delete(job.id); // try again on the next change
      this.options.log.warn(`Reading the log of ${job.name} #${job.id} for problems failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private projectEntry(project: ProjectContext): ProjectProblems {
    let entry = this.projects.get(project.key);
    if (!entry) {
      entry = { collection: vscode.languages.createDiagnosticCollection(`GitLab CI: ${project.projectPath}`), jobs: new Map() };
      this.projects.set(project.key, entry);
    }
    return entry;
  }

  private publish(entry: ProjectProblems, folder: vscode.Uri): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const [name, job] of entry.jobs) {
      for (const problem of job.problems) {
        const diagnostics = byFile.get(problem.path) ?? [];
        diagnostics.push(toDiagnostic(name, problem));
        byFile.set(problem.path, diagnostics);
      }
    }
    entry.collection.clear();
    entry.collection.set([...byFile].map(([path, diagnostics]) => [vscode.Uri.joinPath(folder, path), diagnostics]));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const entry of this.projects.values()) entry.collection.dispose();
    this.projects.clear();
  }
}

function toDiagnostic(jobName: string, problem: MappedProblem): vscode.Diagnostic {
  const position = new vscode.Position(problem.line - 1, Math.max(0, (problem.column ?? 1) - 1));
  const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : problem.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const diagnostic = new vscode.Diagnostic(new vscode.Range(position, position), problem.message, severity);
  diagnostic.source = `GitLab CI: ${jobName}`;
  if (problem.code) diagnostic.code = problem.code;
  return diagnostic;
}

async function isFile(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}
