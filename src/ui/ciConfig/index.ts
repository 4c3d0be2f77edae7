import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerDryRun } from './dryRun';
import { JobLensProvider } from './jobLenses';
import { CiLintDiagnostics } from './lintDiagnostics';
import { registerMergedPreview } from './mergedPreview';

/** The CI file in the editor: lint diagnostics, the dry-run command, the merged YAML preview and job lenses. */
export function registerCiConfig(services: Services): CiLintDiagnostics {
  const diagnostics = new CiLintDiagnostics({
    projects: services.projects,
    clientFor: (project) => services.accounts.gitlabFor(project.instanceUrl),
    onDidChangeAccounts: services.accounts.onDidChange,
    log: services.log,
  });
  services.context.subscriptions.push(diagnostics);
  registerDryRun(services, diagnostics);
  registerMergedPreview(services);
  const lenses = new JobLensProvider(services.projects, services.model);
  services.context.subscriptions.push(lenses, vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/*.{yml,yaml}' }, lenses));
  return diagnostics;
}
