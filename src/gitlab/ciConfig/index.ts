export { CiLintApi, type CiLintInclude, type CiLintJob, type CiLintOptions, type CiLintResult } from './lint';
export { CiSource, MAX_CI_FILE_BYTES, type SourcePosition, type SourceProblem, type SourceRange } from './source';
export { rangeOfLintMessage } from './errorRanges';
export { formatInputValue, inputSpecOf, inputsToSend, parseInputSpecs, parseInputValue, type InputSpec, type InputType, type InputValue } from './inputs';
export { jobKeysOf, type JobKey } from './jobKeys';
export { lintDiagnostics, type LintDiagnostic } from './diagnostics';
