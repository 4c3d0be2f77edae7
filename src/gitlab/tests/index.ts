export { comparisonOf, messageOf, type Comparison } from './assertions';
export { fileReference, stackFrames, type SourceReference } from './frames';
export { CaseLocator, candidatePaths, type CaseLocation, type WorkspaceFiles, type WorkspaceLocation } from './locate';
export { MAX_KEPT_CASES, MAX_OUTPUT_CHARS, TestReportsApi, normalizeReport } from './report';
export type { TestCase, TestCounts, TestReport, TestStatus, TestSuite } from './types';
