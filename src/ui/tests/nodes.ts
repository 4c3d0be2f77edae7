import * as vscode from 'vscode';
import { type Pipeline, isActive } from '../../gitlab/models';
import type { TestReportSummary } from '../../gitlab/pipelines';
import type { TestCase, TestStatus } from '../../gitlab/tests';
import { describeFailure } from '../failureMessages';
import type { ProjectContext } from '../services';
import type { ContributedNode } from '../tree/nodes';
import { caseTooltip } from './caseText';
import type { TestReportStore } from './store';

/** A group's cases beyond this are left out of the tree (with a row saying how many). */
const MAX_CASE_ROWS = 2_000;

type Summary = TestReportSummary;
type SuiteSummary = Summary['test_suites'][number];

/** The node under a pipeline with a test report, or nothing; never throws (a failure becomes a row). */
export async function testReportNodes(store: TestReportStore, project: ProjectContext, pipeline: Pipeline): Promise<ContributedNode[]> {
  try {
    const summary = await store.summary(project, pipeline);
    return summary ? [new TestsNode(store, project, pipeline, summary)] : [];
  } catch (error) {
    return [new TestInfoNode(`tests-error:${project.key}:${pipeline.id}`, describeFailure('Loading the test report', error).message, 'warning')];
  }
}

/** "Tests: 3 failed, 409 passed": the summary, expanding to suites. */
export class TestsNode implements ContributedNode {
  readonly kind = 'contributed';
  constructor(
    readonly store: TestReportStore,
    readonly project: ProjectContext,
    readonly pipeline: Pipeline,
    readonly summary: Summary,
  ) {}

  get id(): string {
    return `tests:${this.project.key}:${this.pipeline.id}`;
  }

  toTreeItem(): vscode.TreeItem {
    const { total } = this.summary;
    const item = new vscode.TreeItem(vscode.l10n.t('Tests: {0}', countsText(total.failed, total.error, total.success, total.skipped)), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = statusIcon(total.failed + total.error > 0 ? 'failed' : 'success');
    item.tooltip = isActive(this.pipeline.status)
      ? vscode.l10n.t('Test report of pipeline #{0}, from the JUnit files its jobs uploaded so far (GitLab may serve it up to 2 minutes old).', this.pipeline.id)
      : vscode.l10n.t('Test report of pipeline #{0}, from the JUnit files its jobs uploaded.', this.pipeline.id);
    item.contextValue = 'testReport';
    return item;
  }

  children(): Promise<ContributedNode[]> {
    return Promise.resolve(this.summary.test_suites.map((suite) => new TestSuiteNode(this, suite)));
  }
}

/** One suite (a job's JUnit files): its failed and errored cases, then passed and skipped ones behind a row each. */
export class TestSuiteNode implements ContributedNode {
  readonly kind = 'contributed';
  constructor(
    readonly parent: TestsNode,
    readonly suite: SuiteSummary,
  ) {}

  get id(): string {
    return `${this.parent.id}:suite:${this.suite.name}`;
  }

  toTreeItem(): vscode.TreeItem {
    const { suite } = this;
    const item = new vscode.TreeItem(suite.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = suite.suite_error ? vscode.l10n.t('report unreadable') : countsText(suite.failed_count, suite.error_count, suite.success_count, suite.skipped_count);
    item.iconPath = statusIcon(suite.suite_error || suite.failed_count + suite.error_count > 0 ? 'failed' : 'success');
    item.tooltip = suite.suite_error ? vscode.l10n.t('GitLab could not read this suite\'s JUnit file: {0}', suite.suite_error) : vscode.l10n.t('Suite {0}, from job {1}', suite.name, suite.build_ids.map((id) => `#${id}`).join(', '));
    item.contextValue = 'testSuite';
    return item;
  }

  async children(): Promise<ContributedNode[]> {
    if (this.suite.suite_error) return [new TestInfoNode(`${this.id}:error`, this.suite.suite_error.slice(0, 500), 'warning')];
    const { store, project, pipeline } = this.parent;
    let report;
    try {
      report = await store.report(project, pipeline);
    } catch (error) {
      return [new TestInfoNode(`${this.id}:error`, describeFailure('Loading the test report', error).message, 'warning')];
    }
    const suite = report.suites.find((candidate) => candidate.name === this.suite.name);
    if (!suite) return [new TestInfoNode(`${this.id}:missing`, vscode.l10n.t('Not in the full report yet (GitLab caches it up to 2 minutes)'), 'info')];
    const failed = suite.cases.filter((testCase) => testCase.status === 'failed' || testCase.status === 'error');
    const nodes: ContributedNode[] = caseRows(this, failed);
    for (const status of ['success', 'skipped'] as const) {
      const cases = suite.cases.filter((testCase) => testCase.status === status);
      if (cases.length) nodes.push(new CaseGroupNode(this, status, cases));
    }
    if (suite.casesOmitted > 0) nodes.push(new TestInfoNode(`${this.id}:omitted`, `${suite.casesOmitted} more cases not kept: the report is too large`, 'info'));
    return nodes;
  }
}

/** "Passed (409)" / "Skipped (3)": collapsed, so passes cost nothing until asked for. */
export class CaseGroupNode implements ContributedNode {
  readonly kind = 'contributed';
  constructor(
    readonly suite: TestSuiteNode,
    readonly status: 'success' | 'skipped',
    readonly cases: TestCase[],
  ) {}

  get id(): string {
    return `${this.suite.id}:${this.status}`;
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`${this.status === 'success' ? 'Passed' : 'Skipped'} (${this.cases.length})`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = statusIcon(this.status);
    item.contextValue = 'testCaseGroup';
    return item;
  }

  children(): Promise<ContributedNode[]> {
    return Promise.resolve(caseRows(this.suite, this.cases, this.id));
  }
}

/** A test case: its message and trace as tooltip, a read-only document on click, "Go to Test" inline. */
export class TestCaseNode implements ContributedNode {
  readonly kind = 'contributed';
  constructor(
    readonly suite: TestSuiteNode,
    readonly testCase: TestCase,
    readonly id: string,
  ) {}

  get project(): ProjectContext {
    return this.suite.parent.project;
  }

  get store(): TestReportStore {
    return this.suite.parent.store;
  }

  toTreeItem(): vscode.TreeItem {
    const { testCase } = this;
    const item = new vscode.TreeItem(testCase.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [testCase.classname, `${testCase.executionTime.toFixed(2)} s`].filter(Boolean).join(' · ');
    item.iconPath = statusIcon(testCase.status);
    item.tooltip = caseTooltip(testCase); // plain text: report text never becomes markup or a link
    item.contextValue = `testCase ${testCase.status}`;
    item.command = { command: 'gitlabCiLens.openTestCase', title: vscode.l10n.t('Show Test Output'), arguments: [this] };
    return item;
  }

  children(): Promise<ContributedNode[]> {
    return Promise.resolve([]);
  }
}

/** An inline state under the report: an error, a cut, a report not ready. */
export class TestInfoNode implements ContributedNode {
  readonly kind = 'contributed';
  constructor(
    readonly id: string,
    readonly text: string,
    readonly icon: string,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'message';
    return item;
  }

  children(): Promise<ContributedNode[]> {
    return Promise.resolve([]);
  }
}

function caseRows(suite: TestSuiteNode, cases: TestCase[], idPrefix = suite.id): ContributedNode[] {
  // Ids by position: two cases may share a name (GitLab keeps both when their statuses differ).
  const rows: ContributedNode[] = cases.slice(0, MAX_CASE_ROWS).map((testCase, index) => new TestCaseNode(suite, testCase, `${idPrefix}:case:${index}:${testCase.name}`));
  if (cases.length > MAX_CASE_ROWS) rows.push(new TestInfoNode(`${idPrefix}:more`, `${cases.length - MAX_CASE_ROWS} more not shown`, 'info'));
  return rows;
}

function countsText(failed: number, errors: number, passed: number, skipped: number): string {
  const parts = [
    failed ? vscode.l10n.t('{0} failed', failed) : '',
    errors ? vscode.l10n.t('{0} errors', errors) : '',
    vscode.l10n.t('{0} passed', passed),
    skipped ? vscode.l10n.t('{0} skipped', skipped) : '',
  ];
  return parts.filter(Boolean).join(', ');
}

function statusIcon(status: TestStatus): vscode.ThemeIcon {
  switch (status) {
    case 'failed':
    case 'error':
      return new vscode.ThemeIcon('testing-failed-icon', new vscode.ThemeColor('testing.iconFailed'));
    case 'skipped':
      return new vscode.ThemeIcon('testing-skipped-icon', new vscode.ThemeColor('testing.iconSkipped'));
    default:
      return new vscode.ThemeIcon('testing-passed-icon', new vscode.ThemeColor('testing.iconPassed'));
  }
}
