import { GitLabError, GitLabHttpError } from '../errors';
import type { CiLintResult } from './lint';

export interface LintSchedulerOptions {
  /** Quiet time after the last keystroke before linting. */
  debounceMs: number;
  /** Checks the text locally first: false when it must not be sent (a syntax error already reported). */
  check?(text: string): boolean;
  lint(text: string, signal: AbortSignal): Promise<CiLintResult>;
  onResult(text: string, result: CiLintResult): void;
  /** Any failure but a cancellation; a 429 is also retried by itself once GitLab's wait is over. */
  onError(text: string, error: unknown): void;
}

/** Requests this scheduler sent, and the most it ever had in flight at once (benchmarks read it). */
export interface LintSchedulerStats {
  requests: number;
  skippedUnchanged: number;
  /** Texts with a local syntax error: reported without a request. */
  skippedLocal: number;
  /** Pending lints a newer text replaced before they were sent. */
  superseded: number;
  maxInFlight: number;
}

/**
 * Lints one document's text as it changes: after a quiet moment (a newer text cancels the pending one),
 * never twice for the same text, never more than one request in flight (a text typed meanwhile is sent
 * when the answer comes; an answer for an outdated text is dropped), and nothing before GitLab's
 * Retry-After has passed after a 429. Plain Node: the editor, the tests and the benchmark feed it texts.
 */
export class LintScheduler {
  readonly stats: LintSchedulerStats = { requests: 0, skippedUnchanged: 0, skippedLocal: 0, superseded: 0, maxInFlight: 0 };
  private timer: NodeJS.Timeout | undefined;
  private inFlight: AbortController | undefined;
  /** Due while a request is in flight: sent when it returns. */
  private queued: string | undefined;
  /** The text last sent (in flight or answered): the same text is not sent again. */
  private lastText: string | undefined;
  /** The newest text the editor has: only its answer is shown. */
  private latest: string | undefined;
  private notBefore = 0;
  private disposed = false;
  private active = 0;

  constructor(private readonly options: LintSchedulerOptions) {}

  /** A new text to lint: after the debounce (`immediate`: open and save, at once). */
  schedule(text: string, immediate = false): void {
    if (this.disposed) return;
    this.latest = text;
    if (this.timer) this.stats.superseded++;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (text === this.lastText) {
      this.stats.skippedUnchanged++;
      return;
    }
    const wait = Math.max(immediate ? 0 : this.options.debounceMs, this.notBefore - Date.now());
    this.timer = setTimeout(() => void this.run(text), wait);
  }

  /** Forgets the last text, so the next schedule lints even unchanged text (the account or project changed). */
  reset(): void {
    this.lastText = undefined;
  }

  /** Nothing pending, queued or in flight (tests and benchmarks wait for it). */
  get idle(): boolean {
    return this.timer === undefined && this.inFlight === undefined && this.queued === undefined;
  }

  private async run(text: string): Promise<void> {
    this.timer = undefined;
    if (this.options.check && !this.options.check(text)) {
      this.stats.skippedLocal++;
      return;
    }
    if (this.inFlight) {
      this.queued = text;
      return;
    }
    const controller = new AbortController();
    this.inFlight = controller;
    this.lastText = text;
    this.stats.requests++;
    this.active++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.active);
    try {
      const result = await this.options.lint(text, controller.signal);
      if (!this.disposed && text === this.latest) this.options.onResult(text, result);
    } catch (error) {
      if (this.disposed || (error instanceof GitLabError && error.reason === 'aborted')) return;
      this.lastText = undefined;
      if (error instanceof GitLabHttpError && error.status === 429) {
        this.notBefore = Date.now() + (error.retryAfterMs ?? 60_000);
        if (!this.timer && this.queued === undefined && this.latest !== undefined) this.schedule(this.latest);
      }
      this.options.onError(text, error);
    } finally {
      this.active--;
      this.inFlight = undefined;
      const next = this.queued;
      this.queued = undefined;
      // Through schedule(), so a 429's wait holds for it too; only if it is still the editor's text.
      if (next !== undefined && next === this.latest && !this.timer && !this.disposed) this.schedule(next, true);
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queued = undefined;
    this.inFlight?.abort();
  }
}
