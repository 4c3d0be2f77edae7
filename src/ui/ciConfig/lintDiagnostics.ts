import * as vscode from 'vscode';
import type { GitLab } from '../../gitlab';
import { CiSource, type CiLintResult, LintScheduler, locateLintMessage, rangeOfLintMessage, type SourceRange } from '../../gitlab/ciConfig';
import { GitLabHttpError } from '../../gitlab/errors';
import type { Logger } from '../log';
import type { ProjectContext } from '../services';
import { ROOT_CI_FILE, ciProjectOf, isRootCiFile, type ProjectsView } from './ciFiles';

const DEBOUNCE_MS = 800;

export interface CiLintDeps {
  projects: ProjectsView;
  /** The signed-in client for the project's instance, or undefined without an account there (then: no requests). */
  clientFor(project: ProjectContext): Promise<GitLab | undefined>;
  /** Fires when accounts change: a refused or signed-out file is linted again. */
  onDidChangeAccounts: vscode.Event<unknown>;
  log: Logger;
}

/**
 * GitLab's CI Lint as diagnostics on CI files: on open and save at once, while typing after a quiet
 * moment; syntax errors found locally without a request; included files (`include:local`) linted through
 * the root file, keeping the messages that name something in them. A 403 or 404 turns linting off for the
 * project until the accounts change, so a refusal never becomes a storm.
 */
export class CiLintDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('gitlab-ci-lint');
  private readonly schedulers = new Map<string, LintScheduler>();
  /** Projects GitLab refused (403) or that have no lint API (404): what to say instead of linting. */
  private readonly refused = new Map<string, string>();
  private readonly hint = vscode.window.createStatusBarItem('gitlabCiLens.ciLintHint', vscode.StatusBarAlignment.Right, 10);
  private readonly disposables: vscode.Disposable[] = [this.collection, this.hint];

  constructor(private readonly deps: CiLintDeps) {
    this.hint.name = vscode.l10n.t('GitLab CI Lint');
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((document) => this.update(document, true)),
      vscode.workspace.onDidSaveTextDocument((document) => this.update(document, true)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length) this.update(event.document, false);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateHint()),
      deps.onDidChangeAccounts(() => this.relintAll()),
      deps.projects.onDidChange(() => this.relintAll()),
    );
    this.relintAll();
  }

  /** Lint requests each open file's scheduler sent (tests read it). */
  requestsFor(uri: vscode.Uri): number {
    return this.schedulers.get(uri.toString())?.stats.requests ?? 0;
  }

  private relintAll(): void {
    this.refused.clear();
    for (const scheduler of this.schedulers.values()) scheduler.reset();
    for (const document of vscode.workspace.textDocuments) this.update(document, true);
    this.updateHint();
  }

  private update(document: vscode.TextDocument, immediate: boolean): void {
    const project = ciProjectOf(this.deps.projects, document);
    if (!project) return;
    const key = document.uri.toString();
    let scheduler = this.schedulers.get(key);
    if (!scheduler) {
      scheduler = new LintScheduler({
        debounceMs: DEBOUNCE_MS,
        check: (text) => this.checkLocally(document.uri, text, project),
        lint: (text, signal) => this.lint(project, document, text, signal),
        onResult: (text, result) => this.show(document.uri, text, result, isRootCiFile(project, document)),
        onError: (_text, error) => this.failed(project, document.uri, error),
      });
      this.schedulers.set(key, scheduler);
    }
    scheduler.schedule(document.getText(), immediate);
  }

  /** Syntax errors and limits, found without GitLab; also where a refused or signed-out project stops. */
  private checkLocally(uri: vscode.Uri, text: string, project: ProjectContext): boolean {
    const refusal = this.refused.get(project.key);
    if (refusal) {
      this.collection.set(uri, [diagnostic(new CiSource('').lineRange(0), refusal, vscode.DiagnosticSeverity.Information)]);
      return false;
    }
    const source = new CiSource(text);
    if (!source.problems.length) return true;
    this.collection.set(uri, source.problems.map((problem) => diagnostic(problem.range, problem.message, vscode.DiagnosticSeverity.Error)));
    return false;
  }

  private async lint(project: ProjectContext, document: vscode.TextDocument, text: string, signal: AbortSignal): Promise<CiLintResult> {
    const gitlab = await this.deps.clientFor(project);
    if (!gitlab) throw new NotSignedIn();
    const content = isRootCiFile(project, document) ? text : await rootText(project);
    return gitlab.ciLint.lintContent(project.projectPath, content, { signal });
  }

  /** Puts a lint answer on the file it was made for (the dry-run command uses it too). */
  show(uri: vscode.Uri, text: string, result: CiLintResult, isRoot: boolean): void {
    const source = new CiSource(text);
    const place = (message: string): SourceRange | undefined => (isRoot ? rangeOfLintMessage(source, message) : locateLintMessage(source, message));
    const diagnostics = [
      ...result.errors.map((message) => [message, vscode.DiagnosticSeverity.Error] as const),
      ...result.warnings.map((message) => [message, vscode.DiagnosticSeverity.Warning] as const),
    ].flatMap(([message, severity]) => {
      const range = place(message);
      return range ? [diagnostic(range, message, severity)] : [];
    });
    this.collection.set(uri, diagnostics);
  }

  private failed(project: ProjectContext, uri: vscode.Uri, error: unknown): void {
    if (error instanceof NotSignedIn) {
      this.collection.delete(uri);
      this.updateHint();
      return;
    }
    if (error instanceof GitLabHttpError && (error.status === 403 || error.status === 404)) {
      const refusal = error.status === 403
        ? vscode.l10n.t('CI Lint was refused on {0}: it needs the Developer role and a token with the api scope. Lint is off for this project until the account changes.', project.projectPath)
        : vscode.l10n.t('{0} has no CI Lint API for {1} (404). Lint is off for this project until the account changes.', project.instanceUrl, project.projectPath);
      this.refused.set(project.key, refusal);
      this.collection.set(uri, [diagnostic(new CiSource('').lineRange(0), refusal, vscode.DiagnosticSeverity.Information)]);
      return;
    }
    // 429 is retried by the scheduler after GitLab's wait; anything else waits for the next edit or save.
    this.deps.log.warn(`CI Lint of ${project.projectPath} failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** A quiet hint when the active file is a CI file that cannot be linted: no account, or no GitLab project. */
  private updateHint(): void {
    const document = vscode.window.activeTextEditor?.document;
    const looksLikeCi = document?.uri.path.endsWith(`/${ROOT_CI_FILE}`) ?? false;
    if (!document || !looksLikeCi) {
      this.hint.hide();
      return;
    }
    const project = ciProjectOf(this.deps.projects, document);
    void (project ? this.deps.clientFor(project) : Promise.resolve(undefined)).then((gitlab) => {
      if (gitlab) {
        this.hint.hide();
        return;
      }
      this.hint.text = vscode.l10n.t('$(circle-slash) CI Lint');
      this.hint.tooltip = project ? vscode.l10n.t('Sign in to {0} (GitLab: Add Account…) to lint this file with GitLab.', project.instanceUrl) : vscode.l10n.t('No GitLab project for this folder (GitLab: Choose Project…): CI Lint is off.');
      this.hint.command = project ? 'gitlabCiLens.addAccount' : 'gitlabCiLens.chooseProject';
      this.hint.show();
    });
  }

  private forget(uri: vscode.Uri): void {
    this.schedulers.get(uri.toString())?.dispose();
    this.schedulers.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const scheduler of this.schedulers.values()) scheduler.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

class NotSignedIn extends Error {}

/** The root CI file's text: the open editor's when there is one, else the file on disk. */
async function rootText(project: ProjectContext): Promise<string> {
  if (!project.repositoryRoot) return '';
  const uri = vscode.Uri.joinPath(project.repositoryRoot, ROOT_CI_FILE);
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

function diagnostic(range: SourceRange, message: string, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const result = new vscode.Diagnostic(new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character), message, severity);
  result.source = 'GitLab CI Lint';
  return result;
}
