export { CiLintApi, type CiLintInclude, type CiLintJob, type CiLintOptions, type CiLintResult } from './lint';
export { CiSource, MAX_CI_FILE_BYTES, type SourcePosition, type SourceProblem, type SourceRange } from './source';
export { locateLintMessage, rangeOfLintMessage } from './errorRanges';
export { formatInputValue, inputSpecOf, inputsToSend, parseInputSpecs, parseInputValue, type InputSpec, type InputType, type InputValue } from './inputs';
export { jobKeysOf, type JobKey } from './jobKeys';
export { LintScheduler, type LintSchedulerOptions, type LintSchedulerStats } from './lintScheduler';
export { lintDiagnostics, type LintDiagnostic } from './diagnostics';
export { pipelineInputsSupport } from './inputsSupport';
export { jobLensTitle, latestJobsByName } from './jobLens';
