import * as vscode from 'vscode';
import type { Pipeline } from '../../gitlab/models';
import { describeFailure } from '../failureMessages';
import type { ProjectContext } from '../services';
import type { TestReportStore } from './store';
import type { TestResultsPublisher } from './testResults';

/** What "Run" needs of the extension: the client, the write check, and the refresher to wait on. */
export interface RetryServices {
  gitlabFor(project: ProjectContext): Promise<{ jobs: { retry(project: string, jobId: number): Promise<unknown> } }>;
  canWrite(project: ProjectContext): boolean;
  /** Asks GitLab again now (the refresher's own refresh). */
  refreshNow(project: ProjectContext): Promise<void>;
  onDidRefresh: vscode.Event<void>;
}

/** How long a run waits for retried jobs to report before it gives up (the jobs go on in GitLab). */
const MAX_WAIT_MS = 60 * 60 * 1000;

interface Retried {
  project: ProjectContext;
  pipelineId: number;
  suite: string;
  oldJobIds: number[];
}

/**
 * "Run" in the Test Explorer: nothing runs locally. The jobs that produced each chosen suite (`build_ids`)
 * are retried in GitLab, once each (a retry is never repeated), then the run waits — on the refresher's
 * refreshes, no polling of its own — until the suite comes from the new jobs, and shows their results.
 */
export function createRetryProfile(publisher: TestResultsPublisher, store: TestReportStore, services: RetryServices): vscode.TestRunProfile {
  const { controller } = publisher;
  return controller.createRunProfile(vscode.l10n.t('Retry in GitLab CI'), vscode.TestRunProfileKind.Run, async (request, token) => {
    const run = controller.createTestRun(request, vscode.l10n.t('Retry in GitLab CI'), false);
    try {
      const retried = await retryChosenSuites(request, run, publisher, store, services);
      for (const suite of retried) {
        const pipeline = await waitForNewResults(suite, publisher, store, services, token);
        if (!pipeline) {
          run.appendOutput(`${vscode.l10n.t('Stopped waiting for suite {0}; its jobs go on in GitLab.', suite.suite)}\r\n`);
          continue;
        }
        await publisher.showReport(suite.project, pipeline, await store.report(suite.project, pipeline), run);
      }
    } catch (error) {
      run.appendOutput(`${describeFailure('Retrying the tests', error).message}\r\n`);
    } finally {
      run.end();
    }
  }, true);
}

async function retryChosenSuites(request: vscode.TestRunRequest, run: vscode.TestRun, publisher: TestResultsPublisher, store: TestReportStore, services: RetryServices): Promise<Retried[]> {
  const chosen = request.include ?? [...publisher.controller.items].map(([, item]) => item);
  const suites = new Map<string, { project: ProjectContext; pipeline: Pipeline; suite: string; items: vscode.TestItem[] }>();
  for (const item of chosen) {
    const found = publisher.suiteOf(item);
    if (!found) continue;
    const key = `${found.project.key}|${found.pipeline.id}|${found.suite}`;
    suites.set(key, { ...found, items: [...(suites.get(key)?.items ?? []), item] });
  }
  const retried: Retried[] = [];
  for (const { project, pipeline, suite, items } of suites.values()) {
    const summary = (await store.summary(project, pipeline))?.test_suites.find((candidate) => candidate.name === suite);
    if (!summary || summary.build_ids.length === 0) {
      run.appendOutput(`${vscode.l10n.t('Suite {0} is no longer in pipeline #{1}\'s report.', suite, pipeline.id)}\r\n`);
      continue;
    }
    if (!services.canWrite(project)) break;
    const gitlab = await services.gitlabFor(project);
    for (const jobId of summary.build_ids) await gitlab.jobs.retry(project.projectPath, jobId);
    const jobIds = summary.build_ids.map((id) => `#${id}`).join(', ');
    const retrying = summary.build_ids.length > 1 ? vscode.l10n.t('Retrying jobs {0} of suite {1} in pipeline #{2}…', jobIds, suite, pipeline.id) : vscode.l10n.t('Retrying job {0} of suite {1} in pipeline #{2}…', jobIds, suite, pipeline.id);
    run.appendOutput(`${retrying}\r\n`);
    for (const item of items) run.enqueued(item);
    retried.push({ project, pipelineId: pipeline.id, suite, oldJobIds: summary.build_ids });
  }
  for (const project of new Set(retried.map((suite) => suite.project))) await services.refreshNow(project);
  return retried;
}

/** The pipeline once its report shows the suite from jobs other than the retried ones; undefined when cancelled or too long. */
async function waitForNewResults(suite: Retried, publisher: TestResultsPublisher, store: TestReportStore, services: RetryServices, token: vscode.CancellationToken): Promise<Pipeline | undefined> {
  const deadline = Date.now() + MAX_WAIT_MS;
  while (!token.isCancellationRequested && Date.now() < deadline) {
    const pipeline = publisher.currentPipelines().find(({ project, pipeline: candidate }) => project.key === suite.project.key && candidate.id === suite.pipelineId)?.pipeline;
    if (pipeline) {
      const summary = (await store.summary(suite.project, pipeline))?.test_suites.find((candidate) => candidate.name === suite.suite);
      if (summary && summary.build_ids.length > 0 && summary.build_ids.every((id) => !suite.oldJobIds.includes(id))) return pipeline;
    }
    await nextRefresh(services.onDidRefresh, token, deadline - Date.now());
  }
  return undefined;
}

function nextRefresh(onDidRefresh: vscode.Event<void>, token: vscode.CancellationToken, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      refreshed.dispose();
      cancelled.dispose();
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, timeoutMs));
    const refreshed = onDidRefresh(done);
    const cancelled = token.onCancellationRequested(done);
  });
}
