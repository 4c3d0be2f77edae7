import * as vscode from 'vscode';
import { GitLabHttpError } from '../gitlab/errors';
import type { Logger } from './log';
import type { Settings } from './settings';
import type { PipelinesModel } from './tree/model';
import type { ProjectContext } from './services';

/**
 * The one place that polls. Quick while something runs and the view is visible, slow once all is
 * finished, and not at all while the view is hidden or the window unfocused (unless the setting says
 * so). A 429 is answered by waiting as long as GitLab asks.
 */
export class Refresher implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastRefresh = 0;
  private notBefore = 0;
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

  /** Whether polling is allowed now: someone is looking at the view. (The status bar shows what it last saw.) */
  get watching(): boolean {
    return this.view.visible && (vscode.window.state.focused || this.settings.refreshWhenUnfocused);
  }

  /** Refreshes now (after an action, on demand); a refresh already running is joined, not doubled. */
  refreshNow(project?: ProjectContext): Promise<void> {
    if (this.inFlight && !project) return this.inFlight;
    const run: Promise<void> = this.runRefresh(project).finally(() => {
      if (this.inFlight === run) this.inFlight = undefined;
      this.schedule();
    });
    if (!project) this.inFlight = run;
    return run;
  }

  private async runRefresh(project?: ProjectContext): Promise<void> {
    this.lastRefresh = Date.now();
    await vscode.window.withProgress({ location: { viewId: 'gitlabCiLens.pipelines' } }, async () => {
      try {
        await this.model.refresh(project);
        this.refreshed.fire();
      } catch (error) {
        const waitMs = error instanceof GitLabHttpError ? (error.retryAfterMs ?? 60_000) : 60_000;
        this.notBefore = Date.now() + waitMs;
        this.log.warn(`GitLab asked to slow down: next refresh in ${Math.round(waitMs / 1000)} s`);
      }
    });
  }

  /** Became visible or focused: refresh at once when what is shown is older than the interval. */
  private wake(): void {
    if (this.watching && Date.now() - this.lastRefresh >= this.interval()) void this.refreshNow();
    else this.schedule();
  }

  private interval(): number {
    return this.model.hasActivePipelines() ? this.settings.activeRefreshMs : this.settings.idleRefreshMs;
  }

  /** Sets the next tick, or none while nobody is watching. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.watching) return;
    const due = Math.max(this.lastRefresh + this.interval(), this.notBefore) - Date.now();
    this.timer = setTimeout(() => void this.refreshNow(), Math.max(0, due));
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
