import * as vscode from 'vscode';
import { toProjectRelative } from '../../gitlab/problems/paths';
import type { ProjectContext } from '../services';
import { JOB_LOG_SCHEME, parseJobLogUri } from './jobLogUri';

/** Lines longer than this are not searched for links, and a document gets at most so many: bounded on any log. */
const MAX_LINE_LENGTH = 4096;
const MAX_LINKS = 5000;
const MAX_PATHS_CHECKED = 500;

// `path:line[:col]`, `path(line,col)` (tsc); a path has a dot-extension and no spaces or quotes.
const FILE_POSITION = /(?<![\w./-])(?<path>(?:file:\/\/)?[\w./@+-]*[\w@+-]\.[A-Za-z][\w]{0,9})(?::(?<line>\d+)(?::(?<column>\d+))?|\((?<pline>\d+),(?<pcolumn>\d+)\))/g;
const URL_PATTERN = /\bhttps?:\/\/[^\s"'<>`()[\]{}]+[^\s"'<>`()[\]{}.,;:!?]/g;

/** Finds the workspace folder a log's project lives in. */
export type ProjectFolderFinder = (project: ProjectContext) => vscode.Uri | undefined;

/**
 * Links in a job-log document: `path:line:col` to the workspace file (only files that exist in the project's
 * folder; the log's own paths under `/builds/…` included) and http(s) URLs. Nothing else becomes a link: log
 * text is never a command.
 */
export class JobLogLinks implements vscode.DocumentLinkProvider {
  constructor(private readonly folderOf: ProjectFolderFinder) {}

  async provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const target = parseJobLogUri(document.uri);
    const folder = target && this.folderOf(target.project);
    const links: vscode.DocumentLink[] = [];
    const candidates: { range: vscode.Range; path: string; line: number; column: number }[] = [];
    for (let number = 0; number < document.lineCount && links.length + candidates.length < MAX_LINKS; number++) {
      if (token.isCancellationRequested) return [];
      const text = document.lineAt(number).text;
      if (text.length > MAX_LINE_LENGTH) continue;
      for (const match of text.matchAll(URL_PATTERN)) {
        const uri = safeWebUri(match[0]);
        if (uri) links.push(new vscode.DocumentLink(new vscode.Range(number, match.index, number, match.index + match[0].length), uri));
      }
      if (!folder || !target) continue;
      for (const match of text.matchAll(FILE_POSITION)) {
        const groups = match.groups ?? {};
        const path = groups.path && toProjectRelative(groups.path, { projectPath: target.project.projectPath });
        if (!path || text.slice(Math.max(0, match.index - 3), match.index).endsWith('://')) continue;
        candidates.push({
          range: new vscode.Range(number, match.index, number, match.index + match[0].length),
          path,
          line: Number(groups.line ?? groups.pline),
          column: Number(groups.column ?? groups.pcolumn ?? 1),
        });
      }
    }
    if (folder) links.push(...(await this.fileLinks(folder, candidates)));
    return links;
  }

  /** Only paths that are files of the workspace folder become links. */
  private async fileLinks(folder: vscode.Uri, candidates: { range: vscode.Range; path: string; line: number; column: number }[]): Promise<vscode.DocumentLink[]> {
    const paths = [...new Set(candidates.map((candidate) => candidate.path))].slice(0, MAX_PATHS_CHECKED);
    const files = new Set<string>();
    await Promise.all(
      paths.map(async (path) => {
        try {
          if ((await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, path))).type & vscode.FileType.File) files.add(path);
        } catch {
          // Not in the workspace (renamed, moved, generated in CI): no link.
        }
      }),
    );
    return candidates
      .filter((candidate) => files.has(candidate.path))
      .map((candidate) => {
        const link = new vscode.DocumentLink(candidate.range, vscode.Uri.joinPath(folder, candidate.path).with({ fragment: `L${candidate.line},${candidate.column}` }));
        link.tooltip = vscode.l10n.t('Open {0}:{1}:{2}', candidate.path, candidate.line, candidate.column);
        return link;
      });
  }
}

function safeWebUri(text: string): vscode.Uri | undefined {
  try {
    const uri = vscode.Uri.parse(text, true);
    return uri.scheme === 'http' || uri.scheme === 'https' ? uri : undefined;
  } catch {
    return undefined;
  }
}

export const JOB_LOG_SELECTOR: vscode.DocumentSelector = { scheme: JOB_LOG_SCHEME };
