import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import type { Services } from '../services';
import type { CiLintDiagnostics } from './lintDiagnostics';
import { ciTarget } from './target';

/**
 * "Validate CI Configuration (Dry Run)…": the editor's root CI file linted as a pipeline on a chosen ref
 * would be created (rules and includes evaluated), the answer put on the file as diagnostics.
 * Automation: `(ref)`; returns GitLab's answer.
 */
export function registerDryRun(services: Services, diagnostics: CiLintDiagnostics): void {
  registerCommand(services, 'gitlabCiLens.dryRunCiConfig', 'Validate CI configuration', async (refArgument?: unknown) => {
    const target = await ciTarget(services);
    if (!target) return undefined;
    const ref = typeof refArgument === 'string' ? refArgument : await vscode.window.showInputBox({
      title: `Dry run of ${target.project.projectPath}'s CI configuration`,
      prompt: 'The branch or tag to simulate a pipeline on',
      value: target.project.branch ?? '',
      ignoreFocusOut: true,
    });
    if (!ref?.trim()) return undefined;
    const gitlab = await services.gitlabFor(target.project);
    const result = await gitlab.ciLint.lintContent(target.project.projectPath, target.text, { dryRun: true, ref: ref.trim(), includeJobs: true });
    diagnostics.show(target.uri, target.text, result, true);
    const summary = result.valid
      ? `Dry run on ${ref.trim()}: valid, ${result.jobs?.length ?? 0} jobs would run.${result.warnings.length ? ` ${result.warnings.length} warnings in Problems.` : ''}`
      : `Dry run on ${ref.trim()}: ${result.errors.length} errors, shown in Problems.`;
    void (result.valid ? vscode.window.showInformationMessage(summary) : vscode.window.showWarningMessage(summary));
    return result;
  });
}
