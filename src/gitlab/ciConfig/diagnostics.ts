import type { CiLintResult } from './lint';
import { rangeOfLintMessage } from './errorRanges';
import type { CiSource, SourceRange } from './source';

export interface LintDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  range: SourceRange;
}

/** GitLab's lint answer as diagnostics on the file it linted: each message placed by what it names. */
export function lintDiagnostics(source: CiSource, result: CiLintResult): LintDiagnostic[] {
  return [
    ...result.errors.map((message) => ({ severity: 'error' as const, message, range: rangeOfLintMessage(source, message) })),
    ...result.warnings.map((message) => ({ severity: 'warning' as const, message, range: rangeOfLintMessage(source, message) })),
  ];
}
