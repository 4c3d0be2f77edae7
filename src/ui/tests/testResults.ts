import * as vscode from 'vscode';
import type { Pipeline } from '../../gitlab/models';
import { type CaseLocation, type TestCase, type TestReport, comparisonOf } from '../../gitlab/tests';
import type { ProjectContext } from '../services';
import type { TestReportStore } from './store';

/** Passed and skipped cases published per suite beyond which the rest are left out (failures are all kept). */
const MAX_OTHER_ITEMS = 5_000;

/** What the results publisher needs of the extension: the current pipelines, and when they change. */
export interface CurrentPipelines {
  onDidChange: vscode.Event<unknown>;
  current(): { project: ProjectContext; pipeline: Pipeline }[];
}

/** A published result, as the integration tests read it back (VS Code gives no API to read test results). */
export interface PublishedResult {
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  message?: vscode.TestMessage;
}

/**
 * The "GitLab CI" test controller's results: the current branch's (or merge request's) pipeline report as a
 * test run, each suite an item with its cases, failures located in the workspace (red marks and peek views in
 * the test files themselves). Republished when the refresher's model shows the pipeline changed; nothing runs here.
 */
export class TestResultsPublisher implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('gitlabCiLens.tests', 'GitLab CI');
  /** "Run": retries suites in GitLab (set once registered; see retrySuites.ts). */
  retryProfile: vscode.TestRunProfile | undefined;
  private readonly publishedVersion = new Map<string, string>();
  private readonly shownReports = new Map<string, TestReport>();
  private readonly suitesOf = new Map<string, vscode.TestItem[]>();
  private readonly results = new Map<string, PublishedResult>();
  private queue: Promise<void> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [this.controller];

  constructor(
    private readonly pipelines: CurrentPipelines,
    private readonly store: TestReportStore,
    private readonly onError: (error: unknown) => void,
  ) {
    this.disposables.push(pipelines.onDidChange(() => void this.publishAll()));
  }

  /** Publishes every project's current pipeline whose report may have changed; one pass at a time. */
  publishAll(): Promise<void> {
    this.queue = this.queue.then(async () => {
      const current = this.pipelines.current();
      for (const key of [...this.publishedVersion.keys()]) if (!current.some(({ project }) => project.key === key)) this.clear(key);
      for (const { project, pipeline } of current) {
        try {
          await this.publish(project, pipeline);
        } catch (error) {
          this.onError(error);
        }
      }
    });
    return this.queue;
  }

  currentPipelines(): { project: ProjectContext; pipeline: Pipeline }[] {
    return this.pipelines.current();
  }

  /** The last result published for an item id. */
  resultOf(itemId: string): PublishedResult | undefined {
    return this.results.get(itemId);
  }

  /** The pipeline whose results an item shows, and its suite's name. */
  suiteOf(item: vscode.TestItem): { project: ProjectContext; pipeline: Pipeline; suite: string } | undefined {
    let suiteItem: vscode.TestItem | undefined = item;
    while (suiteItem?.parent) suiteItem = suiteItem.parent;
    const current = this.pipelines.current().find(({ project }) => suiteItem?.id.startsWith(`${project.key}|`));
    return current && suiteItem ? { ...current, suite: suiteItem.label } : undefined;
  }

  private async publish(project: ProjectContext, pipeline: Pipeline, force = false): Promise<void> {
    const version = `${pipeline.id}|${this.store.versionOf(project, pipeline)}`;
    if (!force && this.publishedVersion.get(project.key) === version) return;
    this.publishedVersion.set(project.key, version);
    const summary = await this.store.summary(project, pipeline);
    if (!summary) return this.clear(project.key);
    const report = await this.store.report(project, pipeline);
    if (this.shownReports.get(project.key) === report) return; // unchanged (GitLab answered 304): no new run
    await this.showReport(project, pipeline, report);
  }

  /** Replaces the project's items with the report's and records a run with each case's result. */
  async showReport(project: ProjectContext, pipeline: Pipeline, report: TestReport, run?: vscode.TestRun): Promise<void> {
    const suites: vscode.TestItem[] = [];
    const outcomes: [vscode.TestItem, TestCase, CaseLocation | undefined, vscode.Uri | undefined][] = [];
    for (const suite of report.suites) {
      const suiteItem = this.controller.createTestItem(`${project.key}|${suite.name}`, suite.name);
      suiteItem.description = vscode.l10n.t('pipeline #{0}', pipeline.id);
      let others = 0;
      for (const [index, testCase] of suite.cases.entries()) {
        const failure = testCase.status === 'failed' || testCase.status === 'error';
        if (!failure && ++others > MAX_OTHER_ITEMS) break;
        // Passed cases are placed by their `file` only: cheap for thousands, and they need no line.
        const located = failure ? await this.store.locate(project, testCase) : undefined;
        const target = located?.location.test;
        const uri = located && target ? vscode.Uri.joinPath(located.root, target.path) : failure ? undefined : await this.store.fileOf(project, testCase.file);
        const item = this.controller.createTestItem(`${suiteItem.id}|${testCase.classname ?? ''}|${testCase.name}|${index}`, testCase.name, uri);
        if (target) item.range = new vscode.Range(target.line - 1, 0, target.line - 1, 0);
        item.description = testCase.classname;
        suiteItem.children.add(item);
        outcomes.push([item, testCase, located?.location, located?.root]);
      }
      suites.push(suiteItem);
    }
    for (const old of this.suitesOf.get(project.key) ?? []) this.controller.items.delete(old.id);
    for (const suiteItem of suites) this.controller.items.add(suiteItem);
    this.suitesOf.set(project.key, suites);
    this.shownReports.set(project.key, report);

    const target = run ?? this.controller.createTestRun(new vscode.TestRunRequest(), vscode.l10n.t('GitLab CI: pipeline #{0}', pipeline.id), false);
    for (const [item, testCase, location, root] of outcomes) this.record(target, item, testCase, location, root);
    if (report.truncated) target.appendOutput(`${vscode.l10n.t('The report of pipeline #{0} was too large to keep whole: some cases or output were left out.', pipeline.id)}\r\n`);
    if (!run) target.end();
  }

  private record(run: vscode.TestRun, item: vscode.TestItem, testCase: TestCase, location: CaseLocation | undefined, root: vscode.Uri | undefined): void {
    const duration = testCase.executionTime * 1000;
    if (testCase.status === 'success') return this.mark(item, { state: 'passed' }, () => run.passed(item, duration));
    if (testCase.status === 'skipped') return this.mark(item, { state: 'skipped' }, () => run.skipped(item));
    const message = failureMessage(testCase, location, root);
    if (testCase.status === 'error') return this.mark(item, { state: 'errored', message }, () => run.errored(item, message, duration));
    this.mark(item, { state: 'failed', message }, () => run.failed(item, message, duration));
  }

  private mark(item: vscode.TestItem, result: PublishedResult, report: () => void): void {
    this.results.set(item.id, result);
    report();
  }

  private clear(projectKey: string): void {
    for (const old of this.suitesOf.get(projectKey) ?? []) this.controller.items.delete(old.id);
    this.suitesOf.delete(projectKey);
    this.publishedVersion.delete(projectKey);
    this.shownReports.delete(projectKey);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** The failure as VS Code shows it: message (expected/actual when the text says them), located, with the workspace frames. */
function failureMessage(testCase: TestCase, location: CaseLocation | undefined, root: vscode.Uri | undefined): vscode.TestMessage {
  const comparison = comparisonOf(testCase.output);
  const text = testCase.output || `${testCase.status}: the report gives no output for this case`;
  const message = comparison ? vscode.TestMessage.diff(text, comparison.expected, comparison.actual) : new vscode.TestMessage(text);
  if (root && location?.test) message.location = new vscode.Location(vscode.Uri.joinPath(root, location.test.path), new vscode.Position(location.test.line - 1, Math.max(0, (location.test.column ?? 1) - 1)));
  if (root && location?.frames.length) {
    message.stackTrace = location.frames.map((frame) => new vscode.TestMessageStackFrame(`${frame.path}:${frame.line}`, vscode.Uri.joinPath(root, frame.path), new vscode.Position(frame.line - 1, Math.max(0, (frame.column ?? 1) - 1))));
  }
  return message;
}
