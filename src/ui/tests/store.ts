import * as vscode from 'vscode';
import type { GitLab } from '../../gitlab';
import { GitLabHttpError } from '../../gitlab/errors';
import { type Job, type Pipeline, isActive, isFinished } from '../../gitlab/models';
import type { TestReportSummary } from '../../gitlab/pipelines';
import { CaseLocator, type CaseLocation, type TestCase, type TestReport, fileReference } from '../../gitlab/tests';
import type { ProjectContext } from '../services';
import { rootOf, workspaceFiles } from './workspaceFiles';

const MAX_KEPT = 8;
/** How often an active pipeline's report is asked again whatever its jobs say: GitLab parses a report a moment after its job finished. */
const ACTIVE_RECHECK_MS = 30_000;
/** The artifact type of a JUnit report, in a job's `artifacts`: the only kind a test report is built from. */
const JUNIT_ARTIFACT = 'junit';

/** A pipeline's jobs as loaded by the refresher's model; undefined when they are not loaded. */
export type LoadedJobs = (project: ProjectContext, pipelineId: number) => readonly Job[] | undefined;

interface Entry<T> {
  version: string;
  value: Promise<T>;
}

/**
 * Test report summaries and reports as the tree and the Test Explorer read them, loaded when first shown.
 * No timer of its own: an active pipeline's entries are asked again when read after one of its jobs with a
 * JUnit report finished or was retried (the refresher's model keeps its jobs up to date), or every 30 s;
 * conditional requests make an unchanged report a 304. A finished pipeline's are kept. Bounded in entries.
 */
export class TestReportStore {
  private readonly summaries = new Map<string, Entry<TestReportSummary | undefined>>();
  private readonly reports = new Map<string, Entry<TestReport>>();
  private readonly locators = new Map<string, CaseLocator>();

  constructor(
    private readonly gitlabFor: (project: ProjectContext) => Promise<GitLab>,
    private readonly loadedJobs: LoadedJobs,
  ) {}

  /** The pipeline's summary; undefined when it has no test report (no job uploaded JUnit, or none visible). */
  summary(project: ProjectContext, pipeline: Pipeline): Promise<TestReportSummary | undefined> {
    return this.cached(this.summaries, project, pipeline, async (gitlab) => {
      try {
        const summary = await gitlab.pipelines.testReportSummary(project.projectPath, pipeline.id);
        return summary.test_suites.length > 0 ? summary : undefined;
      } catch (error) {
        if (error instanceof GitLabHttpError && (error.status === 403 || error.status === 404)) return undefined;
        throw error;
      }
    });
  }

  report(project: ProjectContext, pipeline: Pipeline): Promise<TestReport> {
    return this.cached(this.reports, project, pipeline, (gitlab) => {
      this.locators.delete(project.key); // files may have moved since: look again
      return gitlab.testReports.report(project.projectPath, pipeline.id);
    });
  }

  /** Where the case is in the project's workspace folder; no location when it has none there. */
  async locate(project: ProjectContext, testCase: TestCase): Promise<{ root: vscode.Uri; location: CaseLocation } | undefined> {
    const root = rootOf(project);
    if (!root) return undefined;
    return { root, location: await this.locatorFor(project, root).locate(testCase) };
  }

  private locatorFor(project: ProjectContext, root: vscode.Uri): CaseLocator {
    let locator = this.locators.get(project.key);
    if (!locator) {
      locator = new CaseLocator(workspaceFiles(root));
      this.locators.set(project.key, locator);
    }
    return locator;
  }

  /** A JUnit `file` attribute as a workspace file, without reading it. */
  async fileOf(project: ProjectContext, file: string | undefined): Promise<vscode.Uri | undefined> {
    const root = rootOf(project);
    if (!root || !file) return undefined;
    const path = await this.locatorFor(project, root).workspacePath(fileReference(file).path);
    return path === undefined ? undefined : vscode.Uri.joinPath(root, path);
  }

  /** Changes whenever a load would ask GitLab again. */
  versionOf(project: ProjectContext, pipeline: Pipeline): string {
    const settled = `${pipeline.status}|${pipeline.updated_at}`;
    if (!isActive(pipeline.status)) return settled;
    const reporting = this.loadedJobs(project, pipeline.id)?.flatMap((job) => (isFinished(job.status) && job.artifacts.some((artifact) => artifact.file_type === JUNIT_ARTIFACT) ? [job.id] : []));
    return `${settled}|${reporting?.join(',') ?? 'unknown'}|${Math.floor(Date.now() / ACTIVE_RECHECK_MS)}`;
  }

  private cached<T>(entries: Map<string, Entry<T>>, project: ProjectContext, pipeline: Pipeline, load: (gitlab: GitLab) => Promise<T>): Promise<T> {
    const key = `${project.key}|${pipeline.id}`;
    const version = this.versionOf(project, pipeline);
    const known = entries.get(key);
    if (known?.version === version) return known.value;
    const value = this.gitlabFor(project).then(load);
    // A failure is asked again next time, not kept.
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    entries.delete(key);
    entries.set(key, { version, value });
    if (entries.size > MAX_KEPT) entries.delete(entries.keys().next().value as string);
    return value;
  }
}
