// What the bench's VS Code session (session.ts, in the bench's process) and the module it loads into the
// extension host (host.ts) say to each other. No `vscode` here: both sides import it.

/** Set in the extension host's environment: where to ask for the window to lose or regain focus. */
export const CONTROL_URL_VARIABLE = 'BENCH_CONTROL_URL';
/** How long each idle window lasts, in ms. */
export const WINDOW_MS_VARIABLE = 'BENCH_WINDOW_MS';
/** How long the window with nothing changing lasts, in ms: long enough for idle refreshes to happen. */
export const QUIET_WINDOW_MS_VARIABLE = 'BENCH_QUIET_WINDOW_MS';
/** The session action that finishes every running pipeline on the fake GitLab. */
export const FINISH_PIPELINES_ACTION = 'finish-pipelines';
/** The host prints one line starting with this, followed by its EconomyReport as JSON. */
export const REPORT_MARKER = 'BENCH_REPORT=';

/** A stretch of time, ms since the epoch (the fake GitLab stamps requests on the same clock). */
export interface Window {
  readonly start: number;
  readonly end: number;
}

export interface EconomyReport {
  readonly signedIn: boolean;
  readonly projectFound: boolean;
  /** Nothing opened the view before this moment. */
  readonly viewOpenedAt: number;
  readonly visible: Window;
  readonly hidden: Window;
  /** Missing when the window could not be made to lose focus; `unfocusedError` says why. */
  readonly unfocused?: Window;
  readonly unfocusedError?: string;
  /** View visible and focused, every pipeline finished: nothing changes. */
  readonly quiet: Window;
  /** Then the view hidden, the window focused: only the status bar's checks, and nothing changes. */
  readonly hiddenQuiet: Window;
}

/** The activation host prints one line starting with this, followed by its ActivationReport as JSON. */
export const ACTIVATION_MARKER = 'BENCH_ACTIVATION=';

export interface ActivationReport {
  /** Loading and evaluating the bundle (`require`), ms. */
  readonly requireMs: number;
  /** The extension's `activate(context)` call, ms. */
  readonly activateMs: number;
  /** `extension.activate()` as a caller sees it: require, VS Code building the context, activate. */
  readonly endToEndMs: number;
}
