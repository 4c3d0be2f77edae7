import * as vscode from 'vscode';
import type { TestCase } from '../../gitlab/tests';
import { registerCommand } from '../commands/register';
import type { Services } from '../services';
import { caseDocumentText } from './caseText';
import type { TestCaseNode } from './nodes';

const SCHEME = 'gitlab-ci-test';
const MAX_DOCUMENTS = 50;

/** Read-only documents of test case outputs, held in memory (the last few opened). */
class CaseDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? vscode.l10n.t('This test output is no longer held: open it again from the GitLab CI view.');
  }

  add(testCase: TestCase, text: string): vscode.Uri {
    const key = String(++this.next);
    this.texts.set(key, text);
    if (this.texts.size > MAX_DOCUMENTS) this.texts.delete(this.texts.keys().next().value as string);
    const name = testCase.name.replace(/[^\w .-]+/g, '_').slice(0, 80) || 'test';
    return vscode.Uri.from({ scheme: SCHEME, path: `/${name}.log`, query: key });
  }
}

/** "Show Test Output" (a case row's click): the case's message and stack trace in a read-only document. */
export function registerOpenTestCase(services: Services): void {
  const documents = new CaseDocuments();
  services.context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents));
  registerCommand(services, 'gitlabCiLens.openTestCase', 'Show test output', async (node: unknown) => {
    const caseNode = node as TestCaseNode | undefined;
    if (!caseNode?.testCase) return undefined;
    const located = await caseNode.store.locate(caseNode.project, caseNode.testCase);
    const uri = documents.add(caseNode.testCase, caseDocumentText(caseNode.testCase, located?.location));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
    return uri;
  });
}
