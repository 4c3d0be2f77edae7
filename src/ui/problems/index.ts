import * as vscode from 'vscode';
import { projectFolder } from '../logs';
import type { Services } from '../services';
import { CiProblems } from './ciProblems';

const ENABLED_SETTING = 'gitlabCiLens.problems.enabled';

/** Problems from the failed jobs of each project's current pipeline, while `gitlabCiLens.problems.enabled` is on. */
export function registerCiProblems(services: Services): CiProblems {
  const problems = new CiProblems({
    pipelines: services.model,
    gitlabFor: (project) => services.gitlabFor(project),
    folderOf: (project) => projectFolder(services, project.key),
    enabled: () => vscode.workspace.getConfiguration().get<boolean>(ENABLED_SETTING, true),
    log: services.log,
  });
  services.context.subscriptions.push(
    problems,
    services.accounts.onDidChange(() => problems.reset()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(ENABLED_SETTING)) problems.schedule();
    }),
  );
  return problems;
}
