import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { JobRecord } from './model';

/** One case as GitLab's `TestCaseEntity` serves it. */
export interface FakeTestCase {
  status: 'success' | 'failed' | 'skipped' | 'error';
  name: string | null;
  classname: string | null;
  file: string | null;
  execution_time: number;
  system_output: unknown;
  stack_trace: null;
  recent_failures: null;
}

/** A job's suite: GitLab names it after the job and merges every junit file the job uploaded into it. */
export interface FakeTestSuite {
  name: string;
  buildIds: number[];
  totalTime: number;
  cases: FakeTestCase[];
  suiteError: string | null;
}

// GitLab's `TestCase::STATUS_TYPES` order: the order cases come out of a suite.
const STATUS_ORDER: FakeTestCase['status'][] = ['error', 'failed', 'success', 'skipped'];

// Hash.from_xml's shape: attributes and child elements side by side, an element's text as `__content__`.
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', textNodeName: '__content__', parseTagValue: false, parseAttributeValue: false });

/** Parsed once per stored file: reports do not change once uploaded. */
const parsedFiles = new Map<string, { cases: FakeTestCase[]; error: string | null }>();

/** The job's suite, or undefined when the job uploaded no junit report (GitLab leaves such jobs out). */
export function jobTestSuite(job: JobRecord): FakeTestSuite | undefined {
  const reports = job.artifacts.filter((artifact) => artifact.fileType === 'junit');
  if (job.kind !== 'build' || reports.length === 0) return undefined;
  const cases = new Map<string, FakeTestCase>();
  let suiteError: string | null = null;
  for (const report of reports) {
    let parsed = parsedFiles.get(report.filePath);
    if (!parsed) {
      parsed = parseJunit(gunzipSync(readFileSync(report.filePath)).toString('utf8'));
      parsedFiles.set(report.filePath, parsed);
    }
    suiteError ??= parsed.error;
    // GitLab keys a case by suite, class and name within its status: a repeated case counts once.
    for (const testCase of parsed.cases) cases.set(`${testCase.status}\u0000${testCase.classname}\u0000${testCase.name}`, testCase);
  }
  const all = [...cases.values()];
  return {
    name: job.name,
    buildIds: [job.id],
    totalTime: all.reduce((sum, testCase) => sum + testCase.execution_time, 0),
    cases: suiteError ? [] : STATUS_ORDER.flatMap((status) => all.filter((testCase) => testCase.status === status)),
    suiteError,
  };
}

/** `Gitlab::Ci::Parsers::Test::Junit`: one top-level `testsuites`, nested `testsuite`s, and their `testcase`s. */
export function parseJunit(xml: string): { cases: FakeTestCase[]; error: string | null } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { cases: [], error: `JUnit XML parsing failed: ${valid.err.msg}` };
  const cases: FakeTestCase[] = [];
  const visit = (node: unknown, parent: unknown) => {
    for (const element of asList(node)) {
      if (!isRecord(element)) continue;
      if (parent === undefined) visit(element.testsuites, element);
      if (parent !== undefined) for (const testCase of asList(element.testcase)) if (isRecord(testCase)) cases.push(toCase(testCase));
      visit(element.testsuite, element);
    }
  };
  visit(parser.parse(xml) as unknown, undefined);
  return { cases, error: null };
}

function toCase(data: Record<string, unknown>): FakeTestCase {
  const outcome = (['failure', 'error', 'skipped'] as const).find((key) => key in data);
  const status = outcome === 'failure' ? 'failed' : outcome === 'error' ? 'error' : outcome === 'skipped' ? 'skipped' : 'success';
  return {
    status,
    name: text(data.name),
    classname: text(data.classname),
    file: text(data.file),
    execution_time: Number(text(data.time) ?? 0) || 0,
    system_output: outcome === undefined ? null : fromXmlValue(data[outcome]),
    stack_trace: null,
    recent_failures: null,
  };
}

/** Hash.from_xml's typecast: an element's text when it has some, nothing when empty, else its attributes. */
function fromXmlValue(value: unknown): unknown {
  if (value === '' || value === undefined) return null;
  if (Array.isArray(value)) return fromXmlValue(value[0]);
  if (!isRecord(value)) return value;
  if ('__content__' in value) return value.__content__;
  return Object.keys(value).length === 0 ? null : value;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function asList(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
