import { type GitLabClient, projectPath } from '../client';
import type { ProjectRef } from '../models';
import type { TestCase, TestCaseResponse, TestCounts, TestCountsResponse, TestReport, TestReportResponse, TestStatus, TestSuite } from './types';

/** Characters of a case's output kept: the message and the top of its stack trace, where the cause is. */
export const MAX_OUTPUT_CHARS = 16 * 1024;
/** Cases kept per report, failed and errored ones first: 20,000-case reports fit, runaway ones are cut. */
export const MAX_KEPT_CASES = 50_000;
const MAX_SUITES = 1_000;
const MAX_NAME_CHARS = 1_000;

const STATUS_RANK: Record<TestStatus, number> = { error: 0, failed: 0, skipped: 1, success: 2 };

/** GitLab's pipeline test reports; the cheap summary is `PipelinesApi.testReportSummary`. */
export class TestReportsApi {
  /** An unchanged report (a 304 gives back the same answer) stays the same object: callers tell "unchanged" with `===`. */
  private readonly normalized = new WeakMap<TestReportResponse, TestReport>();

  constructor(private readonly client: GitLabClient) {}

  /**
   * Every suite with its cases, bounded (see `normalizeReport`). Partial while the pipeline runs; GitLab may
   * serve it from a cache up to 2 minutes old.
   */
  async report(project: ProjectRef, pipelineId: number, signal?: AbortSignal): Promise<TestReport> {
    const raw = await this.client.json<TestReportResponse>('GET', `${projectPath(project)}/pipelines/${pipelineId}/test_report`, { signal });
    const known = this.normalized.get(raw);
    if (known) return known;
    const report = normalizeReport(raw);
    this.normalized.set(raw, report);
    return report;
  }
}

/**
 * GitLab's answer as bounded, well-typed data: missing fields filled, each output cut to `MAX_OUTPUT_CHARS`,
 * at most `MAX_KEPT_CASES` cases (failed and errored ones kept first), and `truncated` saying when anything
 * was cut. Never throws on odd input.
 */
export function normalizeReport(raw: TestReportResponse | null | undefined): TestReport {
  const rawSuites = Array.isArray(raw?.test_suites) ? raw.test_suites.slice(0, MAX_SUITES) : [];
  let truncated = (raw?.test_suites?.length ?? 0) > rawSuites.length;
  // Failed cases first across the whole report, so a budget spent on passes never hides a failure.
  const budget = { left: MAX_KEPT_CASES };
  const rankedSuites = rawSuites.map((suite) => ({ suite, cases: validCases(Array.isArray(suite.test_cases) ? suite.test_cases : []) }));
  const keptBySuite = rankedSuites.map(() => [] as TestCase[]);
  for (const rank of [0, 1, 2]) {
    rankedSuites.forEach(({ suite, cases }, index) => {
      for (const testCase of cases) {
        if (STATUS_RANK[statusOf(testCase.status)] !== rank) continue;
        if (budget.left <= 0) return;
        budget.left--;
        keptBySuite[index].push(toCase(testCase, text(suite.name) ?? '(unnamed suite)'));
      }
    });
  }
  const suites: TestSuite[] = rankedSuites.map(({ suite, cases }, index) => {
    const kept = keptBySuite[index];
    if (kept.length < cases.length || kept.some((testCase) => testCase.outputOmitted > 0)) truncated = true;
    const suiteError = text(suite.suite_error);
    return {
      name: text(suite.name)?.slice(0, MAX_NAME_CHARS) ?? '(unnamed suite)',
      totalTime: count(suite.total_time),
      counts: countsOf(suite, cases),
      ...(suiteError ? { suiteError: suiteError.slice(0, MAX_OUTPUT_CHARS) } : {}),
      cases: kept,
      casesOmitted: cases.length - kept.length,
    };
  });
  const counts = suites.reduce((sum, suite) => addCounts(sum, suite.counts), emptyCounts());
  return { totalTime: count(raw?.total_time), counts, suites, truncated };
}

function validCases(cases: TestCaseResponse[]): TestCaseResponse[] {
  return cases.filter((testCase) => typeof testCase === 'object' && testCase !== null);
}

function toCase(raw: TestCaseResponse, suite: string): TestCase {
  const full = outputOf(raw);
  return {
    suite: suite.slice(0, MAX_NAME_CHARS),
    status: statusOf(raw.status),
    name: text(raw.name)?.slice(0, MAX_NAME_CHARS) || '(unnamed test)',
    ...optional('classname', text(raw.classname)?.slice(0, MAX_NAME_CHARS)),
    ...optional('file', text(raw.file)?.slice(0, MAX_NAME_CHARS)),
    executionTime: count(raw.execution_time),
    output: full.slice(0, MAX_OUTPUT_CHARS),
    outputOmitted: Math.max(0, full.length - MAX_OUTPUT_CHARS),
  };
}

/** The failure's text, and the stack trace when GitLab sends one apart (it mostly does not). */
function outputOf(raw: TestCaseResponse): string {
  const parts = [describeOutput(raw.system_output), text(raw.stack_trace)].filter((part): part is string => !!part);
  return parts.join('\n');
}

/** GitLab serves an element's attributes as an object when it had no text: `{ message: "..." }`. */
function describeOutput(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.entries(value as Record<string, unknown>)
    .slice(0, 20)
    .map(([key, field]) => `${key}: ${typeof field === 'string' ? field : JSON.stringify(field)?.slice(0, MAX_OUTPUT_CHARS)}`)
    .join('\n');
}

function statusOf(status: unknown): TestStatus {
  return status === 'failed' || status === 'error' || status === 'success' ? status : 'skipped';
}

function countsOf(suite: TestCountsResponse, cases: TestCaseResponse[]): TestCounts {
  // GitLab's own counts are the truth (the cases may be cut); the cases fill in when counts are missing.
  const fromCases = (status: TestStatus) => cases.filter((testCase) => statusOf(testCase.status) === status).length;
  const pick = (value: unknown, status: TestStatus) => (typeof value === 'number' ? count(value) : fromCases(status));
  const counts = {
    success: pick(suite.success_count, 'success'),
    failed: pick(suite.failed_count, 'failed'),
    skipped: pick(suite.skipped_count, 'skipped'),
    error: pick(suite.error_count, 'error'),
  };
  return { ...counts, total: counts.success + counts.failed + counts.skipped + counts.error };
}

export function emptyCounts(): TestCounts {
  return { total: 0, success: 0, failed: 0, skipped: 0, error: 0 };
}

function addCounts(a: TestCounts, b: TestCounts): TestCounts {
  return { total: a.total + b.total, success: a.success + b.success, failed: a.failed + b.failed, skipped: a.skipped + b.skipped, error: a.error + b.error };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
