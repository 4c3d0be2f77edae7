import * as vscode from 'vscode';
import type { Settings } from './settings';

/**
 * `gitlabCiLens.tls.ignoreCertificateErrors` turns off the check that the server is GitLab and not someone
 * in between who then holds the token: say so whenever it is on, with a way to turn it off.
 */
export function registerCertificateWarning(context: vscode.ExtensionContext, settings: Settings): void {
  const warnIfInsecure = async () => {
    if (!settings.ignoreCertificateErrors) return;
    const turnOff = vscode.l10n.t('Turn Off');
    const openSettings = vscode.l10n.t('Open Settings');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('GitLab CI Lens accepts any TLS certificate (gitlabCiLens.tls.ignoreCertificateErrors): anyone between you and GitLab could read your token. Prefer gitlabCiLens.tls.caFile for a private certificate authority.'),
      turnOff,
      openSettings,
    );
    if (choice === turnOff) await vscode.workspace.getConfiguration('gitlabCiLens').update('tls.ignoreCertificateErrors', undefined, vscode.ConfigurationTarget.Global);
    if (choice === openSettings) await vscode.commands.executeCommand('workbench.action.openSettings', 'gitlabCiLens.tls');
  };
  context.subscriptions.push(
    settings.onDidChange((event) => {
      if (event.affectsConfiguration('gitlabCiLens.tls.ignoreCertificateErrors')) void warnIfInsecure();
    }),
  );
  void warnIfInsecure();
}
