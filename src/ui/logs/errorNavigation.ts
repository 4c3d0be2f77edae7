import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerCommand } from '../commands/register';
import { JOB_LOG_SCHEME } from './jobLogUri';
import type { LogDocumentModel } from './logDocumentModel';

/**
 * "Next Error" / "Previous Error" in a job-log document: the lines a problem matcher matched and the lines the
 * log coloured red, wrapping around at the ends.
 */
export function registerErrorNavigation(services: Services, modelOf: (uri: vscode.Uri) => LogDocumentModel | undefined): void {
  const go = (direction: 1 | -1) => () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme !== JOB_LOG_SCHEME) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a job log first: Next and Previous Error move through its errors.'));
      return;
    }
    const lines = (modelOf(editor.document.uri)?.errorLines() ?? []).filter((line) => line < editor.document.lineCount);
    const current = editor.selection.active.line;
    const next = direction === 1 ? (lines.find((line) => line > current) ?? lines[0]) : ([...lines].reverse().find((line) => line < current) ?? lines[lines.length - 1]);
    if (next === undefined) {
      vscode.window.setStatusBarMessage(vscode.l10n.t('No errors in this log'), 3000);
      return;
    }
    const position = new vscode.Position(next, editor.document.lineAt(next).firstNonWhitespaceCharacterIndex);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  };
  registerCommand(services, 'gitlabCiLens.nextLogError', 'Go to the next error', go(1));
  registerCommand(services, 'gitlabCiLens.previousLogError', 'Go to the previous error', go(-1));
}
