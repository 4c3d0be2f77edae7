// What the scale bench (index.ts, in the bench's process) and its module in the extension host (host.ts)
// say to each other. No `vscode` here: both sides import it.

/** How long requests, bytes and CPU are measured with the view visible, in ms. */
export const SCALE_WINDOW_MS_VARIABLE = 'BENCH_SCALE_WINDOW_MS';
/** How long the soak lasts, in ms; 0 or unset: no soak in this window. */
export const SOAK_MS_VARIABLE = 'BENCH_SOAK_MS';
/** How often the soak samples the heap after garbage collection, in ms. */
export const SOAK_SAMPLE_MS_VARIABLE = 'BENCH_SOAK_SAMPLE_MS';
/** The job whose log the soak follows, by id (a running job of the measured pipeline). */
export const FOLLOWED_JOB_VARIABLE = 'BENCH_FOLLOWED_JOB';
/** The branch, then the stage names, comma-separated: how the page tells the tree's rows (rows.ts). */
export const ROW_NAMES_VARIABLE = 'BENCH_ROW_NAMES';
/** The stages the click measure opens, comma-separated (finished ones: they start collapsed). */
export const CLICK_STAGES_VARIABLE = 'BENCH_CLICK_STAGES';
/** How many clicks the click measure takes; 0 or unset: none. */
export const CLICK_SAMPLES_VARIABLE = 'BENCH_CLICK_SAMPLES';
/** The page action that starts watching the tree's rows (before the view opens). */
export const WATCH_ROWS_ACTION = 'watch-rows';
/** The page action that answers when the first rows appeared (FirstRows as JSON), waiting for a job row. */
export const FIRST_ROWS_ACTION = 'first-rows';
/** The page action that clicks a stage's row (argument: its name) and answers ClickAnswer as JSON (rows.ts). */
export const CLICK_ROW_ACTION = 'click-row';
/** The page action that collapses a stage opened by CLICK_ROW_ACTION again, so the next sample opens it anew. */
export const COLLAPSE_ROW_ACTION = 'collapse-row';
/** The host prints one line starting with this, followed by its ScaleReport as JSON. */
export const SCALE_REPORT_MARKER = 'BENCH_SCALE_REPORT=';

/** ms since the epoch, on the page's clock (the same machine's). */
export interface FirstRows {
  /** The current pipeline's row (labelled with the branch). */
  readonly pipelineRowAt?: number;
  readonly stageRowAt?: number;
  readonly jobRowAt?: number;
}

/** ms since the epoch, on the page's clock. */
export interface ClickAnswer {
  /** The mouse button went down on the stage's row. */
  readonly clickAt: number;
  /** The stage's first job row was in the DOM; missing when none came within the page action's timeout. */
  readonly answeredAt?: number;
  /** The page's long tasks (main thread busy ≥ 50 ms) between the click and the answer, ms in all. */
  readonly pageLongTasksMs?: number;
}

/** One click on a collapsed stage while a refresh was asked for just before it (ms since the epoch). */
export interface ClickSample extends ClickAnswer {
  readonly stage: string;
  /** When the host called `refreshNow()`, and when its promise settled (missing: still pending at the report). */
  readonly refreshStartedAt: number;
  readonly refreshSettledAt?: number;
  /**
   * The extension host's `getChildren` of that stage between the click and the answer: when VS Code asked and
   * when the answer was ready. Empty when the workbench answered from rows it already held.
   */
  readonly hostCalls: readonly { readonly calledAt: number; readonly returnedAt: number }[];
  /** The longest the extension host's event loop was held up during the sample (monitorEventLoopDelay), ms. */
  readonly hostLoopDelayMaxMs: number;
}

export interface HeapSample {
  /** ms since the epoch */
  readonly at: number;
  /** V8 heap in use right after a full garbage collection, bytes. */
  readonly heapAfterGcBytes: number;
  readonly rssBytes: number;
  /** Extension host CPU since the previous sample, % of one core. */
  readonly cpuPercent: number;
}

export interface ScaleReport {
  /** When the bench opened the view (ms since the epoch). */
  readonly viewOpenedAt: number;
  readonly firstRows: FirstRows;
  /** Requests and bytes are counted by the bench, on the fake GitLab, inside this window. */
  readonly window: { readonly start: number; readonly end: number };
  /** Extension host CPU (user + system) over the window, % of one core. */
  readonly cpuPercent: number;
  /** The clicks answered while refreshing, after the window and before the soak. */
  readonly clicks?: readonly ClickSample[];
  /** Why the clicks could not be measured, if they could not. */
  readonly clickError?: string;
  /** Set when this window soaked: when following the log began, then samples every SOAK_SAMPLE_MS. */
  readonly soak?: { readonly start: number; readonly end: number; readonly samples: readonly HeapSample[] };
  /** Why the heap could not be sampled, if it could not. */
  readonly soakError?: string;
}
