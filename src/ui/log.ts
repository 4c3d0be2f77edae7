import * as vscode from 'vscode';
import { GitLabError } from '../gitlab/errors';
import { describeFailure } from './failureMessages';

/** The extension's own diagnostics (not job logs): a LogOutputChannel, so users pick the level. */
export class Logger implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('GitLab CI Lens', { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  debug(message: string): void {
    this.channel.debug(message);
  }

  error(message: string, error?: unknown): void {
    this.channel.error(error === undefined ? message : `${message}: ${errorDetail(error)}`);
  }

  show(): void {
    this.channel.show(true);
  }

  /**
   * A failed user action: the detail goes to the log, the user gets one short sentence saying what to do,
   * with "Sign In" when the token is the problem and "Open Log" always. Never rejects.
   */
  async reportFailure(action: string, error: unknown): Promise<void> {
    if (error instanceof GitLabError && error.reason === 'aborted') return;
    this.error(`${action} failed`, error);
    const failure = describeFailure(action, error);
    const openLog = vscode.l10n.t('Open Log');
    const signIn = vscode.l10n.t('Sign In');
    const choices = failure.signIn ? [signIn, openLog] : [openLog];
    const choice = await vscode.window.showErrorMessage(failure.message, ...choices);
    if (choice === openLog) this.show();
    if (choice === signIn) await vscode.commands.executeCommand('gitlabCiLens.addAccount');
  }

  dispose(): void {
    this.channel.dispose();
  }
}

function errorDetail(error: unknown): string {
  if (error instanceof Error) return error.stack && !(error instanceof GitLabError) ? error.stack : error.message;
  return String(error);
}
