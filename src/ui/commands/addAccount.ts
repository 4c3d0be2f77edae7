import * as vscode from 'vscode';
import { tokenPageUrl } from '../../gitlab/users';
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
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the token with {0}…', instanceUrl), cancellable: true },
      (_progress, cancellation) => {
        const abort = new AbortController();
        cancellation.onCancellationRequested(() => abort.abort());
        return services.accounts.add(instanceUrl, token, abort.signal);
      },
    );
    const message = account.canWrite
      ? vscode.l10n.t('Signed in to {0} as @{1}.', account.instanceUrl, account.username)
      : vscode.l10n.t('Signed in to {0} as @{1}. The token can only read (read_api): actions like retry will be refused.', account.instanceUrl, account.username);
    void vscode.window.showInformationMessage(message);
    return account;
  });
}

async function askInstanceUrl(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Add GitLab Account (1/2)'),
    prompt: vscode.l10n.t('The GitLab instance'),
    value: 'https://gitlab.com',
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        normalizeInstanceUrl(value);
        return undefined;
      } catch {
        return vscode.l10n.t('Enter an http(s) URL, e.g. https://gitlab.example.com');
      }
    },
  });
}

/** A password box whose title bar has a button opening the instance's token page, name and scope filled in. */
async function askToken(instanceUrl: string): Promise<string | undefined> {
  const tokensPage = vscode.Uri.parse(tokenPageUrl(normalizeInstanceUrl(instanceUrl)), true);
  const input = vscode.window.createInputBox();
  input.title = vscode.l10n.t('Add GitLab Account (2/2)');
  input.prompt = vscode.l10n.t('A personal access token with the "api" scope ("read_api" to only watch). No token yet? Click the key button above to create one.');
  input.password = true;
  input.ignoreFocusOut = true;
  input.buttons = [{ iconPath: new vscode.ThemeIcon('key'), tooltip: vscode.l10n.t('Create a token on {0} (opens the browser)', tokensPage.authority) }];
  try {
    return await new Promise<string | undefined>((resolve) => {
      input.onDidTriggerButton(() => void vscode.env.openExternal(tokensPage));
      input.onDidChangeValue((value) => (input.validationMessage = value.trim().length < 8 && value !== '' ? vscode.l10n.t('That is too short to be a GitLab token') : undefined));
      input.onDidAccept(() => {
        if (input.value.trim().length >= 8) resolve(input.value);
      });
      input.onDidHide(() => resolve(undefined));
      input.show();
    });
  } finally {
    input.dispose();
  }
}
