import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerCommand } from './register';

/** "GitLab: Remove Account…": forgets the token (SecretStorage) and the account. */
export function registerRemoveAccount(services: Services): void {
  registerCommand(services, 'gitlabCiLens.removeAccount', 'Removing the account', async (instanceUrl?: unknown) => {
    const accounts = services.accounts.list();
    const url =
      typeof instanceUrl === 'string'
        ? instanceUrl
        : (await vscode.window.showQuickPick(accounts.map((account) => ({ label: account.instanceUrl, description: `@${account.username}` })), { placeHolder: vscode.l10n.t('Remove which account?') }))?.label;
    if (url) await services.accounts.remove(url);
  });
}
