import * as vscode from 'vscode';
import { formatDuration } from '../../gitlab/trace/renderer';
import type { LogDocumentModel, Section } from './logDocumentModel';

/** The runner's sections as the outline and breadcrumbs of a job-log document, nested, with their durations. */
export class JobLogOutline implements vscode.DocumentSymbolProvider {
  constructor(private readonly modelOf: (uri: vscode.Uri) => LogDocumentModel | undefined) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const sections = this.modelOf(document.uri)?.allSections() ?? [];
    const roots: vscode.DocumentSymbol[] = [];
    const open: { symbol: vscode.DocumentSymbol; end: number }[] = [];
    const lastLine = Math.max(0, document.lineCount - 1);
    for (const section of sections) {
      if (section.start > lastLine) break;
      const end = Math.min(section.end ?? lastLine, lastLine);
      const symbol = new vscode.DocumentSymbol(
        section.title || '(section)',
        describe(section),
        vscode.SymbolKind.Namespace,
        new vscode.Range(section.start, 0, end, document.lineAt(end).text.length),
        new vscode.Range(section.start, 0, section.start, document.lineAt(section.start).text.length),
      );
      while (open.length > 0 && (open[open.length - 1]?.end ?? 0) < section.start) open.pop();
      const parent = open[open.length - 1];
      if (parent) parent.symbol.children.push(symbol);
      else roots.push(symbol);
      open.push({ symbol, end });
    }
    return roots;
  }
}

function describe(section: Section): string {
  if (section.end === undefined) return 'running';
  return section.durationSeconds === undefined ? '' : formatDuration(section.durationSeconds);
}
