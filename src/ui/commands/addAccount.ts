import * as vscode from 'vscode';
import { normalizeInstanceUrl } from '../accounts';
import type { Services } from '../services';
import { registerCommand } from './register';

/**
 * "GitLab: Add Account…": instance URL (gitlab.com by default) and a token in a password box, checked
 * against the instance before it is stored in SecretStorage. Automation may pass `{ instanceUrl, token }`.
 */
export function registerAddAccount(services: Services): void {
  registerCommand(services, 'gitlabCiLens.addAccount', 'Adding the account', async (options?: unknown) => {
    const given = options as { instanceUrl?: string; token?: string } | undefined;
    const instanceUrl = given?.instanceUrl ?? (await askInstanceUrl());
    if (!instanceUrl) return undefined;
    const token = given?.token ?? (await askToken(instanceUrl));
    if (!token) return undefined;
    const account = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking the token with ${instanceUrl}…`, cancellable: true },
      (_progress, cancellation) => {
        const abort = new AbortController();
        cancellation.onCancellationRequested(() => abort.abort());
        return services.accounts.add(instanceUrl, token, abort.signal);
      },
    );
    const readOnly = account.canWrite ? '' : ' The token can only read (read_api): actions like retry will be refused.';
    void vscode.window.showInformationMessage(`Signed in to ${account.instanceUrl} as @${account.username}.${readOnly}`);
    return account;
  });
}

async function askInstanceUrl(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Add GitLab Account (1/2)',
    prompt: 'The GitLab instance',
    value: 'https://gitlab.com',
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        normalizeInstanceUrl(value);
        return undefined;
      } catch {
        return 'Enter an http(s) URL, e.g. https://gitlab.example.com';
      }
    },
  });
}

async function askToken(instanceUrl: string): Promise<string | undefined> {
  const tokensPage = `${normalizeInstanceUrl(instanceUrl)}/-/user_settings/personal_access_tokens?name=VS+Code+GitLab+CI+Lens&scopes=api`;
  return vscode.window.showInputBox({
    title: 'Add GitLab Account (2/2)',
    prompt: `A personal access token with the "api" scope ("read_api" to only watch). Create one at ${tokensPage}`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length < 8 ? 'That is too short to be a GitLab token' : undefined),
  });
}
