import * as vscode from 'vscode';
import type { GitLabError } from '../../gitlab/errors';
import type { Job } from '../../gitlab/models';
import type { RenderedLine } from '../../gitlab/trace/renderer';
import { describeFailure } from '../failureMessages';
import type { ProjectContext, Services } from '../services';
import { type FollowResult, type LogSink, feedOptions, LogFeed } from './feed';
import type { ActiveFollow } from './followedChannels';
import { JOB_LOG_SCHEME, jobKey, jobLogUri, parseJobLogUri } from './jobLogUri';
import { jobOutcomeLine, retryingLine, waitingLine, waitsToStart } from './jobSummary';
import { LogDocumentModel } from './logDocumentModel';
import { StyleDecorations } from './styleDecorations';

/**
 * How often a growing document is refreshed at most: VS Code re-reads the whole text each time, so a long
 * log waits longer (250 ms for a short one, about 1.5 s at 20,000 lines, 2 s at most).
 */
function refreshDelayMs(lineCount: number): number {
  return Math.min(2000, 250 + Math.round(lineCount / 16));
}
const FOLLOWING = '… Following the log as it grows';

/** What "Open Job Log" hands automation. */
export interface OpenedLog {
  uri: vscode.Uri;
  done: Promise<FollowResult>;
}

interface OpenLog {
  project: ProjectContext;
  jobId: number;
  label: string;
  model: LogDocumentModel;
  feed: LogFeed;
  result?: FollowResult;
  refresh?: NodeJS.Timeout;
  /** Collapsed sections already folded once: the user may unfold them. */
  folded: Set<number>;
  /** A failed job's log: put the cursor on its first error once the whole log is in. */
  revealFirstError?: boolean;
}

/**
 * Job logs as read-only documents (`gitlab-job-log:`), filled by a follow while the job runs; colours as
 * theme-aware decorations, sections as folding ranges. Closing the document ends its follow.
 */
export class JobLogDocuments implements vscode.TextDocumentContentProvider, vscode.FoldingRangeProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  private readonly logs = new Map<string, OpenLog>();
  private readonly decorations = new StyleDecorations();
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly services: Services) {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(JOB_LOG_SCHEME, this),
      vscode.languages.registerFoldingRangeProvider({ scheme: JOB_LOG_SCHEME }, this),
      vscode.window.tabGroups.onDidChangeTabs((event) => this.tabsClosed(event.closed)),
      vscode.workspace.onDidOpenTextDocument((document) => this.opened(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.close(document.uri)),
      vscode.workspace.onDidChangeTextDocument((event) => this.shown(event)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) if (editor.document.uri.scheme === JOB_LOG_SCHEME) this.decorate(editor.document, true);
      }),
    ];
  }

  /** Opens (or reveals) a job's log document; its follow starts, or starts again if it was stopped or failed. */
  async open(project: ProjectContext, job: Job): Promise<OpenedLog> {
    const uri = jobLogUri(project, job);
    const existing = this.logs.get(uri.toString());
    // A finished log is shown again as it was, unless the job changed since (erased, or another GitLab answers at that address).
    const finished = existing?.result?.outcome === 'finished' && existing.result.job.status === job.status && existing.result.job.finished_at === job.finished_at;
    const log = existing && (existing.feed.active || finished) ? existing : this.follow(uri, project, job.id);
    log.model.setJob(job);
    log.revealFirstError = job.status === 'failed';
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    this.decorate(document, true);
    this.revealFirstError(document, log);
    return { uri, done: log.feed.done };
  }

  /** What an open log document shows (its sections and error lines), for navigation. */
  modelOf(uri: vscode.Uri): LogDocumentModel | undefined {
    return this.logs.get(uri.toString())?.model;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = uri.toString();
    let log = this.logs.get(key);
    if (!log) {
      // An address opened some other way (a reloaded window restoring its editors): follow it from scratch.
      const target = parseJobLogUri(uri);
      if (!target) return `Not a GitLab job log address: ${key}`;
      log = this.follow(uri, target.project, target.jobId);
    }
    return log.model.text();
  }

  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const log = this.logs.get(document.uri.toString());
    if (!log) return [];
    const ranges = log.model.foldingRanges(document.lineCount);
    this.foldCollapsed(document, log, ranges);
    return ranges;
  }

  active(): ActiveFollow[] {
    return [...this.logs.values()]
      .filter((log) => log.feed.active)
      .map((log) => ({ key: jobKey(log.project, log.jobId), label: log.label, description: vscode.l10n.t('document · {0}', log.project.projectPath), stop: () => log.feed.stop() }));
  }

  dispose(): void {
    for (const uri of [...this.logs.keys()]) this.close(vscode.Uri.parse(uri));
    for (const registration of this.registrations) registration.dispose();
    this.decorations.dispose();
    this.changes.dispose();
  }

  /** Starts following into the document at `uri`: a new one, or one whose follow ended, shown again from the start. */
  private follow(uri: vscode.Uri, project: ProjectContext, jobId: number): OpenLog {
    const known = this.logs.get(uri.toString());
    known?.feed.stop();
    const model = known?.model ?? new LogDocumentModel(jobId);
    model.clear();
    model.setStatus('… Connecting to GitLab');
    const log: OpenLog = {
      project,
      jobId,
      label: known?.label ?? vscode.l10n.t('Job #{0}', jobId),
      model,
      folded: new Set(),
      feed: new LogFeed(
        () => this.services.gitlabFor(project),
        project.projectPath,
        jobId,
        feedOptions(this.services.settings, this.services.traceCapabilities),
        new DocumentSink(model, (job) => (log.label = `${job.name} #${job.id}`), () => this.scheduleRefresh(uri, log)),
      ),
    };
    this.logs.set(uri.toString(), log);
    void log.feed.done.then((result) => this.ended(uri, log, result));
    if (known) this.refreshNow(uri, known); // the old text goes at once, its decorations with it
    return log;
  }

  private ended(uri: vscode.Uri, log: OpenLog, result: FollowResult): void {
    log.result = result;
    if (this.logs.get(uri.toString()) !== log) return; // closed, or followed anew, meanwhile
    if (result.outcome === 'finished') {
      log.model.setJob(result.job);
      log.model.setStatus(jobOutcomeLine(result.job));
    } else if (result.outcome === 'stopped') {
      log.model.setStatus('… Stopped following.');
    } else {
      log.model.setStatus(vscode.l10n.t('… Stopped following: {0}', describeFailure('Following the log', result.error).message));
      void this.services.log.reportFailure(`Follow the log of ${log.label}`, result.error);
    }
    this.refreshNow(uri, log);
  }

  private scheduleRefresh(uri: vscode.Uri, log: OpenLog): void {
    log.refresh ??= setTimeout(() => this.refreshNow(uri, log), refreshDelayMs(log.model.lineCount));
  }

  private refreshNow(uri: vscode.Uri, log: OpenLog): void {
    clearTimeout(log.refresh);
    log.refresh = undefined;
    this.changes.fire(uri);
  }

  /**
   * VS Code drops change events for a document it has not finished opening, and a big log can grow a lot
   * while it opens: ask it to read the text again once the document exists.
   */
  private opened(document: vscode.TextDocument): void {
    const log = this.logs.get(document.uri.toString());
    if (log) this.refreshNow(document.uri, log);
  }

  /**
   * The document took new text: decorate what it now holds. Past 100,000 characters VS Code swaps the whole
   * text (from line 0) instead of appending, which drops every decoration: then all are given again.
   */
  private shown({ document, contentChanges }: vscode.TextDocumentChangeEvent): void {
    if (document.uri.scheme !== JOB_LOG_SCHEME) return;
    this.decorate(document, contentChanges.some((change) => change.range.start.line === 0));
    const log = this.logs.get(document.uri.toString());
    if (log) this.revealFirstError(document, log);
  }

  /** Once a failed job's whole log is in the document, its editor's cursor goes to the first error, not the top. */
  private revealFirstError(document: vscode.TextDocument, log: OpenLog): void {
    const line = log.model.firstErrorLine();
    if (!log.revealFirstError || log.result?.outcome !== 'finished' || line === undefined || line >= document.lineCount) return;
    const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document === document);
    if (!editor) return;
    log.revealFirstError = false;
    const position = new vscode.Position(line, document.lineAt(line).firstNonWhitespaceCharacterIndex);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }

  /**
   * Folds, once, the sections the runner marked `collapsed=true`, as GitLab shows them. Asked while VS Code
   * computes the folding ranges, so the fold (a command on the active editor) waits for those very ranges.
   */
  private foldCollapsed(document: vscode.TextDocument, log: OpenLog, ranges: readonly vscode.FoldingRange[]): void {
    if (vscode.window.activeTextEditor?.document !== document) return;
    const starts = new Set(ranges.map((range) => range.start));
    const lines = log.model.collapsedSections().filter((line) => starts.has(line) && !log.folded.has(line));
    if (lines.length === 0) return;
    for (const line of lines) log.folded.add(line);
    setTimeout(() => void vscode.commands.executeCommand('editor.fold', { selectionLines: lines, levels: 1 }), 0);
  }

  /**
   * Gives the editors showing `document` the style ranges it holds now (the model may be ahead of it). Only
   * classes whose ranges changed are sent again, unless an editor just appeared (`all`).
   */
  private decorate(document: vscode.TextDocument, all: boolean): void {
    const log = this.logs.get(document.uri.toString());
    const editors = vscode.window.visibleTextEditors.filter((editor) => editor.document === document);
    if (!log || editors.length === 0) return;
    for (const [styleClass, styled] of log.model.styles) {
      const count = countBefore(styled.ranges, document.lineCount);
      if (!all && count === styled.shown) continue;
      const type = this.decorations.typeFor(styleClass);
      if (type) for (const editor of editors) editor.setDecorations(type, styled.ranges.slice(0, count));
      styled.shown = count;
    }
  }

  /**
   * A log's last tab closed: its follow ends now. (VS Code keeps the document a few minutes longer, so its
   * close event would come late; the text stays until then, and opening the log again follows it again.)
   */
  private tabsClosed(tabs: readonly vscode.Tab[]): void {
    const shown = new Set(vscode.window.tabGroups.all.flatMap((group) => group.tabs).map(tabUri).filter((uri) => uri !== undefined));
    for (const uri of tabs.map(tabUri)) {
      if (uri !== undefined && !shown.has(uri)) this.logs.get(uri)?.feed.stop();
    }
  }

  private close(uri: vscode.Uri): void {
    const key = uri.toString();
    const log = this.logs.get(key);
    if (log) this.forget(key, log);
  }

  private forget(key: string, log: OpenLog): void {
    log.feed.stop();
    clearTimeout(log.refresh);
    this.logs.delete(key);
  }
}

function tabUri(tab: vscode.Tab): string | undefined {
  return tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === JOB_LOG_SCHEME ? tab.input.uri.toString() : undefined;
}

/** How many of `ranges` (in line order) start before `lineCount`. */
function countBefore(ranges: readonly vscode.Range[], lineCount: number): number {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ranges[middle].start.line < lineCount) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Fills the document's model; the document itself is refreshed a little later, in one go. */
class DocumentSink implements LogSink {
  constructor(
    private readonly model: LogDocumentModel,
    private readonly named: (job: Job) => void,
    private readonly changed: () => void,
  ) {}

  job(job: Job): void {
    this.named(job);
    this.model.setJob(job);
    this.model.setStatus(waitsToStart(job) ? waitingLine(job) : FOLLOWING);
    this.changed();
  }

  lines(lines: RenderedLine[]): void {
    this.model.add(lines);
    this.model.setStatus(FOLLOWING); // output flows again after a failure, if one was shown
    this.changed();
  }

  retrying(error: GitLabError, retryInMs: number): void {
    this.model.setStatus(retryingLine(error, retryInMs));
    this.changed();
  }

  restart(reason: string): void {
    this.model.restart(reason);
    this.changed();
  }
}
