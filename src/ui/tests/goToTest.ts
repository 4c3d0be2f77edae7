import * as vscode from 'vscode';
import type { WorkspaceLocation } from '../../gitlab/tests';
import { registerCommand } from '../commands/register';
import { notify } from '../commands/actions/shared';
import type { Services } from '../services';
import type { TestCaseNode } from './nodes';

/** "Go to Test": the case's file at its failing line, found from its `file`, `classname` or stack frames. */
export function registerGoToTest(services: Services): void {
  registerCommand(services, 'gitlabCiLens.goToTest', 'Go to test', async (node: unknown) => {
    const caseNode = node as TestCaseNode | undefined;
    if (!caseNode?.testCase) return undefined;
    const located = await caseNode.store.locate(caseNode.project, caseNode.testCase);
    const target = located?.location.test;
    if (!located || !target) {
      notify(services, 'warning', vscode.l10n.t('No file of this workspace matches test "{0}": its report names no file, class or stack frame found here.', caseNode.testCase.name.slice(0, 100)), {
        title: vscode.l10n.t('Show Test Output'),
        run: () => vscode.commands.executeCommand('gitlabCiLens.openTestCase', caseNode),
      });
      return undefined;
    }
    return showLocation(located.root, target);
  });
}

/** Opens the file with the cursor on the line (clamped to the file as it is now, which may have changed). */
export async function showLocation(root: vscode.Uri, location: WorkspaceLocation): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, location.path));
  const line = Math.min(Math.max(0, location.line - 1), document.lineCount - 1);
  const column = Math.max(0, (location.column ?? 1) - 1);
  const position = document.lineAt(line).range.start.translate(0, Math.min(column, document.lineAt(line).text.length));
  return vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: true });
}
