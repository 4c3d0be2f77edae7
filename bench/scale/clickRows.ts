// The "Click answered while refreshing" rows of the scale section (sections.ts), from the samples of
// clicks.ts: median and max from click to first job row, and the goal judged on the clicks that fell inside
// a refresh only (a click after the refresh settled proves nothing about a refresh).
import type { ResultRow } from '../report';
import { formatMs, median } from '../stats';
import type { ClickSample } from './contract';

/** Issue 15: a click on another row answered in ≤ 100 ms while the tree refreshes. */
export const CLICK_GOAL_MS = 100;

export interface ClickSummary {
  readonly clicks: number;
  /** Clicks whose first job row came (within the page's timeout). */
  readonly answered: number;
  /** Clicks that went down after the refresh was asked for and before it settled. */
  readonly duringRefresh: number;
  /** Clicks the extension host was asked about (getChildren of the stage): the others the workbench answered alone. */
  readonly askedHost: number;
  /** Click to first job row, over the answered clicks, ms. */
  readonly medianMs?: number;
  readonly maxMs?: number;
  /** The same over the answered clicks during a refresh. */
  readonly maxDuringRefreshMs?: number;
  /** Click to the host's getChildren call, and that call's own time, medians over the clicks that asked the host, ms. */
  readonly toHostMedianMs?: number;
  readonly inHostMedianMs?: number;
  /** At least one click during a refresh, each of those answered within the goal. */
  readonly met: boolean;
}

export function summarizeClicks(samples: readonly ClickSample[]): ClickSummary {
  const during = samples.filter(fellInsideRefresh);
  const latencies = (of: readonly ClickSample[]) => of.flatMap((sample) => (sample.answeredAt === undefined ? [] : [sample.answeredAt - sample.clickAt]));
  const all = latencies(samples);
  const duringLatencies = latencies(during);
  const asked = samples.filter((sample) => sample.hostCalls.length > 0);
  return {
    clicks: samples.length,
    answered: all.length,
    duringRefresh: during.length,
    askedHost: asked.length,
    medianMs: medianOf(all),
    maxMs: all.length > 0 ? Math.max(...all) : undefined,
    maxDuringRefreshMs: duringLatencies.length > 0 ? Math.max(...duringLatencies) : undefined,
    toHostMedianMs: medianOf(asked.map((sample) => sample.hostCalls[0].calledAt - sample.clickAt)),
    inHostMedianMs: medianOf(asked.map((sample) => sample.hostCalls[0].returnedAt - sample.hostCalls[0].calledAt)),
    met: during.length > 0 && duringLatencies.length === during.length && Math.max(...duringLatencies) <= CLICK_GOAL_MS,
  };
}

export function clickRow(label: string, samples: readonly ClickSample[] | undefined, error: string | undefined): ResultRow | undefined {
  const measure = `Click answered while refreshing, ${label}`;
  const baseline = 'not measured before';
  const goal = `≤ ${CLICK_GOAL_MS} ms`;
  if (error !== undefined) return { measure, ratio: 'n/a', ours: `not measured: ${error.split('\n')[0]}`, baseline, goal, met: false };
  if (!samples || samples.length === 0) return undefined;
  const summary = summarizeClicks(samples);
  const unanswered = summary.clicks - summary.answered;
  const details = [
    `${summary.clicks} clicks, ${summary.duringRefresh} during a refresh${summary.maxDuringRefreshMs === undefined ? '' : ` (max ${formatMs(summary.maxDuringRefreshMs)})`}`,
    unanswered > 0 ? `${unanswered} unanswered within 10 s` : undefined,
    `${summary.askedHost} asked the extension host${summary.toHostMedianMs === undefined ? '' : `, ${formatMs(summary.toHostMedianMs)} after the click, answered by getChildren in ${formatMs(summary.inHostMedianMs ?? 0)} (medians)`}`,
  ].filter(Boolean).join('; ');
  const figure = summary.medianMs === undefined ? 'no click answered' : `median ${formatMs(summary.medianMs)}, max ${formatMs(summary.maxMs ?? 0)}`;
  return {
    measure,
    ratio: summary.maxDuringRefreshMs === undefined ? 'n/a' : `${(summary.maxDuringRefreshMs / CLICK_GOAL_MS).toFixed(2)}× the goal`,
    ours: `${figure} (${details})`,
    baseline,
    goal,
    met: summary.met,
  };
}

/** One line per click, for the bench's log: where its time went (ms, times from the moment the refresh was asked for). */
export function describeClicks(samples: readonly ClickSample[]): string[] {
  return samples.map((sample) => {
    const since = (at: number | undefined) => (at === undefined ? 'pending' : `+${Math.round(at - sample.refreshStartedAt)}`);
    const call = sample.hostCalls[0];
    return [
      `${sample.stage}: ${sample.answeredAt === undefined ? 'unanswered' : formatMs(sample.answeredAt - sample.clickAt)}`,
      `click ${since(sample.clickAt)}, refresh settled ${since(sample.refreshSettledAt)}`,
      call ? `getChildren ${since(call.calledAt)} for ${formatMs(call.returnedAt - call.calledAt)}` : 'getChildren not called',
      `host event loop held up to ${formatMs(sample.hostLoopDelayMaxMs)}, page long tasks ${formatMs(sample.pageLongTasksMs ?? 0)}`,
    ].join(', ');
  });
}

/** The click went down after the refresh was asked for and before its promise settled. */
function fellInsideRefresh(sample: ClickSample): boolean {
  return sample.clickAt >= sample.refreshStartedAt && (sample.refreshSettledAt === undefined || sample.clickAt < sample.refreshSettledAt);
}

/** The median, undefined (not NaN) when there is nothing to take it of. */
function medianOf(values: readonly number[]): number | undefined {
  return values.length > 0 ? median(values) : undefined;
}
