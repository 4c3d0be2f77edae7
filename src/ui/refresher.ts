import * as vscode from 'vscode';
import { GitLabHttpError } from '../gitlab/errors';
import type { Logger } from './log';
import type { Settings } from './settings';
import type { PipelinesModel } from './tree/model';
import type { ProjectContext } from './services';

/**
 * How soon the status bar sees a new or finished current pipeline while the view is hidden: one conditional
 * request a project. An unchanged answer (304) still costs about 330 bytes of headers: 12 s keeps a quiet
 * minute under 2 KB.
 */
export const CURRENT_PIPELINE_INTERVAL_MS = 12_000;

/**
 * The one place that polls, one request batch at a time (refreshes never overlap). While the view is
 * visible: everything, quick while something runs, slow once all is finished; that refresh covers the
 * current pipelines too. While it is hidden: the current pipelines alone (for the status bar), every 12 s.
 * Nothing while the window is unfocused (unless the setting says so). A 429 is answered by waiting as long
 * as GitLab asks.
 */
export class Refresher implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  /** The refresh or check under way; a full refresh is remembered apart, for callers to join. */
  private running: Promise<void> | undefined;
  private fullRunning: Promise<void> | undefined;
  private lastRefresh = 0;
  /** The last look at the current pipelines: a full refresh is one too. */
  private lastCurrentCheck = 0;
  private notBefore = 0;
  private readonly stopped = new AbortController();
  private readonly refreshed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.refreshed];
  /** After each successful refresh (not while GitLab asks to slow down): views that must not poll reload then. */
  readonly onDidRefresh = this.refreshed.event;

  constructor(
    private readonly model: PipelinesModel,
    private readonly settings: Settings,
    private readonly view: vscode.TreeView<unknown>,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      view.onDidChangeVisibility(() => this.wake()),
      vscode.window.onDidChangeWindowState(() => this.wake()),
      settings.onDidChange(() => this.schedule()),
    );
  }

  /** Whether polling is allowed at all now: the window is focused, or the setting says to poll anyway. */
  get polling(): boolean {
    return vscode.window.state.focused || this.settings.refreshWhenUnfocused;
  }

  /** Whether everything is polled: someone is looking at the view. */
  get watching(): boolean {
    return this.view.visible && this.polling;
  }

  /** Refreshes now (after an action, on demand). A full refresh under way is joined; anything else is waited for first. */
  refreshNow(project?: ProjectContext): Promise<void> {
    if (this.fullRunning && !project) return this.fullRunning;
    const full = this.after(() => this.runRefresh(project));
    if (!project) this.fullRunning = full;
    void full.finally(() => {
      if (this.fullRunning === full) this.fullRunning = undefined;
    });
    return full;
  }

  /** The projects changed (found at start-up, another remote or account): show their pipelines at once. */
  projectsChanged(): void {
    if (this.watching) void this.refreshNow();
    else if (this.polling) void this.after(() => this.checkCurrent());
  }

  /** Runs `work` once whatever is under way has settled, so two refreshes never overlap. */
  private after(work: () => Promise<void>): Promise<void> {
    const previous = (this.running ?? Promise.resolve()).catch(() => undefined);
    const next: Promise<void> = previous.then(work).finally(() => {
      if (this.running === next) this.running = undefined;
      this.schedule();
    });
    this.running = next;
    return next;
  }

  private async runRefresh(project?: ProjectContext): Promise<void> {
    this.lastRefresh = Date.now();
    if (!project) this.lastCurrentCheck = this.lastRefresh;
    await vscode.window.withProgress({ location: { viewId: 'gitlabCiLens.pipelines' } }, () =>
      this.slowDownWhenAsked(async () => {
        await this.model.refresh(project, this.stopped.signal);
        this.refreshed.fire();
      }),
    );
  }

  private checkCurrent(): Promise<void> {
    this.lastCurrentCheck = Date.now();
    return this.slowDownWhenAsked(() => this.model.refreshCurrent(this.stopped.signal));
  }

  /** Runs a refresh; when GitLab asks to slow down (the model throws only that), waits as long as it asks. */
  private async slowDownWhenAsked(refresh: () => Promise<void>): Promise<void> {
    if (this.stopped.signal.aborted) return;
    try {
      await refresh();
    } catch (error) {
      if (this.stopped.signal.aborted) return;
      const waitMs = error instanceof GitLabHttpError ? (error.retryAfterMs ?? 60_000) : 60_000;
      this.notBefore = Date.now() + waitMs;
      this.log.warn(`GitLab asked to slow down: next refresh in ${Math.round(waitMs / 1000)} s`);
    }
  }

  /** Became visible or focused: refresh at once what is older than its interval. */
  private wake(): void {
    const now = Date.now();
    if (this.running || now < this.notBefore) this.schedule();
    else if (this.watching && now - this.lastRefresh >= this.interval()) void this.refreshNow();
    else if (!this.watching && this.polling && now - this.lastCurrentCheck >= CURRENT_PIPELINE_INTERVAL_MS) void this.after(() => this.checkCurrent());
    else this.schedule();
  }

  private interval(): number {
    return this.model.hasActivePipelines() ? this.settings.activeRefreshMs : this.settings.idleRefreshMs;
  }

  /** Sets the next tick: a full refresh while watching, else a look at the current pipelines; none while unfocused or busy. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.polling || this.running || this.stopped.signal.aborted) return;
    const full = this.watching;
    const due = Math.max(full ? this.lastRefresh + this.interval() : this.lastCurrentCheck + CURRENT_PIPELINE_INTERVAL_MS, this.notBefore);
    this.timer = setTimeout(() => void (full ? this.refreshNow() : this.after(() => this.checkCurrent())), Math.max(0, due - Date.now()));
  }

  dispose(): void {
    this.stopped.abort();
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
