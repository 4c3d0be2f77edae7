import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerCommand } from './register';

/** "GitLab: Choose Project…": a project by its path, for folders without a GitLab remote. */
export function registerChooseProject(services: Services): void {
  registerCommand(services, 'gitlabCiLens.chooseProject', 'Choosing the project', async () => {
    const accounts = services.accounts.list();
    if (accounts.length === 0) {
      await vscode.commands.executeCommand('gitlabCiLens.addAccount');
      return;
    }
    const instanceUrl =
      accounts.length === 1
        ? accounts[0].instanceUrl
        : (await vscode.window.showQuickPick(accounts.map((account) => account.instanceUrl), { placeHolder: vscode.l10n.t('On which instance?') }));
    if (!instanceUrl) return;
    const path = await vscode.window.showInputBox({
      title: vscode.l10n.t('Choose GitLab Project'),
      prompt: vscode.l10n.t('The project\'s full path on {0}, e.g. group/subgroup/project', instanceUrl),
      ignoreFocusOut: true,
      validateInput: (value) => (/^[^/\s]+(\/[^/\s]+)+$/.test(value.trim().replace(/^\/|\/$/g, '')) ? undefined : vscode.l10n.t('A path like group/project')),
    });
    if (!path) return;
    const projectPath = path.trim().replace(/^\/|\/$/g, '');
    const gitlab = await services.accounts.gitlabFor(instanceUrl);
    if (gitlab) await gitlab.account.project(projectPath); // a clear "404 Project Not Found" now beats an empty tree later
    await services.projects.addManual(instanceUrl, projectPath);
  });
}
