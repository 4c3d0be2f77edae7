import assert from 'node:assert/strict';
import { describeClicks, summarizeClicks } from '../../../bench/scale/clickRows';
import type { ClickSample, ScaleReport } from '../../../bench/scale/contract';
import { scaleSections } from '../../../bench/scale/sections';

const START = 1_000_000;

/** A click `offset` ms after the refresh was asked for, answered `latency` ms later (undefined: never). */
function click(offset: number, latency: number | undefined, refreshMs: number | 'pending' = 500, hostCall?: { after: number; took: number }): ClickSample {
  const clickAt = START + offset;
  return {
    stage: 'build',
    refreshStartedAt: START,
    refreshSettledAt: refreshMs === 'pending' ? undefined : START + refreshMs,
    clickAt,
    answeredAt: latency === undefined ? undefined : clickAt + latency,
    hostCalls: hostCall ? [{ calledAt: clickAt + hostCall.after, returnedAt: clickAt + hostCall.after + hostCall.took }] : [],
    hostLoopDelayMaxMs: 12,
  };
}

function clickRowOf(clicks: readonly ClickSample[] | undefined, clickError?: string) {
  const report: ScaleReport = { viewOpenedAt: START, firstRows: {}, window: { start: START, end: START + 60_000 }, cpuPercent: 1, clicks, clickError };
  const [scale] = scaleSections([{ jobCount: 1_000, activeJobs: 100, followedJobId: 1, report, requests: [] }], { windowMs: 60_000, soakMinutes: 1, soakJobCount: 1_000, churnMs: 2_000, logBytesPerChurn: 2_048 });
  return scale.rows.find((row) => row.measure.startsWith('Click answered while refreshing'));
}

describe('bench: click answered while refreshing', () => {
  it('takes the median and max over answered clicks, and judges the goal on clicks during a refresh only', () => {
    // The slow click (400 ms) went down after the refresh settled: it counts in the max, not against the goal.
    const summary = summarizeClicks([click(10, 30), click(20, 50, 500, { after: 5, took: 2 }), click(30, 90), click(600, 400)]);
    assert.equal(summary.clicks, 4);
    assert.equal(summary.duringRefresh, 3);
    assert.equal(summary.medianMs, 70);
    assert.equal(summary.maxMs, 400);
    assert.equal(summary.maxDuringRefreshMs, 90);
    assert.equal(summary.askedHost, 1);
    assert.equal(summary.toHostMedianMs, 5);
    assert.equal(summary.inHostMedianMs, 2);
    assert.equal(summary.met, true);
  });

  it('fails the goal on one slow or unanswered click during a refresh, or when none fell inside one', () => {
    assert.equal(summarizeClicks([click(10, 30), click(20, 101)]).met, false);
    assert.equal(summarizeClicks([click(10, 30), click(20, undefined)]).met, false);
    assert.equal(summarizeClicks([click(600, 30), click(700, 40)]).met, false);
    // A refresh still pending when the report was made: the click fell inside it.
    assert.equal(summarizeClicks([click(1_000, 30, 'pending')]).duringRefresh, 1);
  });

  it('reports a row per size in the scale section, against the goal and with no baseline', () => {
    const row = clickRowOf([click(10, 30), click(20, 50), click(30, 120)]);
    assert.ok(row);
    assert.equal(row.measure, 'Click answered while refreshing, 1,000 jobs (100 active)');
    assert.match(row.ours, /^median 50 ms, max 120 ms \(3 clicks, 3 during a refresh \(max 120 ms\); 0 asked the extension host\)$/);
    assert.equal(row.ratio, '1.20× the goal');
    assert.equal(row.goal, '≤ 100 ms');
    assert.equal(row.baseline, 'not measured before');
    assert.equal(row.met, false);
    assert.equal(clickRowOf(undefined), undefined);
    assert.equal(clickRowOf(undefined, 'no row of the stage build is shown\nat …')?.ours, 'not measured: no row of the stage build is shown');
  });

  it('tells in the log where the time of each click went', () => {
    assert.deepEqual(describeClicks([click(10, 30, 500, { after: 5, took: 2 }), click(20, undefined, 'pending')]), [
      'build: 30 ms, click +10, refresh settled +500, getChildren +15 for 2 ms, host event loop held up to 12 ms, page long tasks 0 ms',
      'build: unanswered, click +20, refresh settled pending, getChildren not called, host event loop held up to 12 ms, page long tasks 0 ms',
    ]);
  });
});
