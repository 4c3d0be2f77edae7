import * as vscode from 'vscode';
import type { Settings } from './settings';

/**
 * `gitlabCiLens.tls.ignoreCertificateErrors` turns off the check that the server is GitLab and not someone
 * in between who then holds the token: say so whenever it is on, with a way to turn it off.
 */
export function registerCertificateWarning(context: vscode.ExtensionContext, settings: Settings): void {
  const warnIfInsecure = async () => {
    if (!settings.ignoreCertificateErrors) return;
    const choice = await vscode.window.showWarningMessage(
      'GitLab CI Lens accepts any TLS certificate (gitlabCiLens.tls.ignoreCertificateErrors): anyone between you and GitLab could read your token. Prefer gitlabCiLens.tls.caFile for a private certificate authority.',
      'Turn Off',
      'Open Settings',
    );
    if (choice === 'Turn Off') await vscode.workspace.getConfiguration('gitlabCiLens').update('tls.ignoreCertificateErrors', undefined, vscode.ConfigurationTarget.Global);
    if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'gitlabCiLens.tls');
  };
  context.subscriptions.push(
    settings.onDidChange((event) => {
      if (event.affectsConfiguration('gitlabCiLens.tls.ignoreCertificateErrors')) void warnIfInsecure();
    }),
  );
  void warnIfInsecure();
}
