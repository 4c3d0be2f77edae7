/** The time and counts GitLab gives for a whole report and for each of its suites alike. */
export interface TestCountsResponse {
  total_time?: number;
  total_count?: number;
  success_count?: number;
  failed_count?: number;
  skipped_count?: number;
  error_count?: number;
}

/** What GitLab answers to `GET .../pipelines/:id/test_report` (FACTS.md). Any field may be missing or odd. */
export interface TestReportResponse extends TestCountsResponse {
  test_suites?: TestSuiteResponse[];
}

export interface TestSuiteResponse extends TestCountsResponse {
  name?: string;
  suite_error?: string | null;
  test_cases?: TestCaseResponse[];
}

export interface TestCaseResponse {
  status?: string;
  name?: string | null;
  classname?: string | null;
  file?: string | null;
  execution_time?: number | null;
  /** The failure's, error's or skip's text; an object of its attributes when the element had no text. */
  system_output?: unknown;
  stack_trace?: string | null;
}

export type TestStatus = 'success' | 'failed' | 'skipped' | 'error';

export interface TestCounts {
  total: number;
  success: number;
  failed: number;
  skipped: number;
  error: number;
}

/** One case, bounded: its output is cut to a size a tooltip, a document and an agent can take. */
export interface TestCase {
  suite: string;
  status: TestStatus;
  name: string;
  classname?: string;
  /** As the JUnit file gave it (relative to the repository, maybe with a `#L12` anchor). */
  file?: string;
  executionTime: number;
  /** The failure's text (message and stack trace), at most `MAX_OUTPUT_CHARS`. */
  output: string;
  /** How many characters of the output were left out (0: all of it is here). */
  outputOmitted: number;
}

export interface TestSuite {
  name: string;
  totalTime: number;
  counts: TestCounts;
  suiteError?: string;
  /** Failed and errored cases first, then skipped, then passed; at most the report's case budget. */
  cases: TestCase[];
  /** Cases GitLab sent that are not kept here (beyond the budget). */
  casesOmitted: number;
}

export interface TestReport {
  totalTime: number;
  counts: TestCounts;
  suites: TestSuite[];
  /** Whether any suite or case was cut: say so where the report is shown. */
  truncated: boolean;
}
