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
      title: vscode.l10n.t('Dry run of {0}\'s CI configuration', target.project.projectPath),
      prompt: vscode.l10n.t('The branch or tag to simulate a pipeline on'),
      value: target.project.branch ?? '',
      ignoreFocusOut: true,
    });
    if (!ref?.trim()) return undefined;
    const gitlab = await services.gitlabFor(target.project);
    const result = await gitlab.ciLint.lintContent(target.project.projectPath, target.text, { dryRun: true, ref: ref.trim(), includeJobs: true });
    diagnostics.show(target.uri, target.text, result, true);
    const summary = result.valid
      ? result.warnings.length
        ? vscode.l10n.t('Dry run on {0}: valid, {1} jobs would run. {2} warnings in Problems.', ref.trim(), result.jobs?.length ?? 0, result.warnings.length)
        : vscode.l10n.t('Dry run on {0}: valid, {1} jobs would run.', ref.trim(), result.jobs?.length ?? 0)
      : vscode.l10n.t('Dry run on {0}: {1} errors, shown in Problems.', ref.trim(), result.errors.length);
    void (result.valid ? vscode.window.showInformationMessage(summary) : vscode.window.showWarningMessage(summary));
    return result;
  });
}
