import * as vscode from 'vscode';
import type { GitLab } from './gitlab';
import { GitLabError } from './gitlab/errors';
import { TraceCapabilities } from './gitlab/trace/capabilities';
import { Accounts } from './ui/accounts';
import { registerCertificateWarning } from './ui/certificateWarning';
import { registerCiConfig } from './ui/ciConfig';
import type { CiLintDiagnostics } from './ui/ciConfig/lintDiagnostics';
import { registerCommands } from './ui/commands';
import { importAccountFromEnvironment } from './ui/environmentAccount';
import { Logger } from './ui/log';
import { registerMcpServerProvider } from './ui/mcpServerProvider';
import { registerCiProblems } from './ui/problems';
import { Projects } from './ui/projects';
import { Refresher } from './ui/refresher';
import { registerRunners } from './ui/runners';
import { registerTestReports } from './ui/tests';
import type { TestResultsPublisher } from './ui/tests/testResults';
import type { RunnersTree } from './ui/runners/provider';
import type { ProjectContext, Services } from './ui/services';
import { Settings } from './ui/settings';
import { PipelineStatusBar } from './ui/statusBar';
import { PipelinesModel } from './ui/tree/model';
import { PipelinesTree } from './ui/tree/provider';

/** What `activate` returns: the services, for the integration tests to look at what a user sees. */
export interface ExtensionApi {
  services: Services;
  statusBar: PipelineStatusBar;
  runners: RunnersTree;
  testResults: TestResultsPublisher;
  ciLint: CiLintDiagnostics;
}

/** Builds the services and registers views and commands. No network here: that waits for a project to be found. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = new Logger();
  const settings = new Settings();
  const accounts = new Accounts(context, settings, log);
  const projects = new Projects(context, accounts, settings, log);
  const gitlabFor = async (project: ProjectContext): Promise<GitLab> => {
    const gitlab = await accounts.gitlabFor(project.instanceUrl);
    if (!gitlab) throw new GitLabError('unauthorized', `sign in to ${project.instanceUrl}`, `Not signed in to ${project.instanceUrl}: add an account.`);
    return gitlab;
  };
  const model = new PipelinesModel(projects, gitlabFor, settings, log);
  const tree = new PipelinesTree(model);
  const refresher = new Refresher(model, settings, tree.view, log);
  const statusBar = new PipelineStatusBar(model, projects, settings, log);
  context.subscriptions.push(log, accounts, projects, model, tree, refresher, statusBar, accounts.onDidChange(() => model.forgetHeld()));

  const services: Services = { context, log, settings, accounts, projects, model, tree, refresher, traceCapabilities: new TraceCapabilities(), gitlabFor };
  registerCommands(services);
  const runners = registerRunners(services);
  const testResults = registerTestReports(services);
  registerCertificateWarning(context, settings);
  registerCiProblems(services);
  const ciLint = registerCiConfig(services);

  const updateContextKeys = () => {
    void vscode.commands.executeCommand('setContext', 'gitlabCiLens.signedIn', accounts.list().length > 0);
    void vscode.commands.executeCommand('setContext', 'gitlabCiLens.hasProject', projects.list().length > 0);
    void vscode.commands.executeCommand('setContext', 'gitlabCiLens.offline', model.offline);
  };
  context.subscriptions.push(
    accounts.onDidChange(updateContextKeys),
    model.onDidChange(updateContextKeys),
    projects.onDidChange(() => {
      updateContextKeys();
      refresher.projectsChanged();
    }),
  );
  updateContextKeys();

  // Chat agents get the GitLab tools of the signed-in account with no set-up (VS Code 1.101+).
  registerMcpServerProvider(context, () => accounts.firstAccountCredentials(), accounts.onDidChange);

  void projects.start();
  void importAccountFromEnvironment(accounts, log);
  return { services, statusBar, runners, testResults, ciLint };
}

export function deactivate(): void {}
