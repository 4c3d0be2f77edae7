// Runs in the extension host (host.ts): clicks on collapsed stages while a refresh is under way. For each
// sample the host asks for a refresh (not awaited) and at once asks the page to click a stage's row; the page
// times the click to its first job row. The tree's getChildren is timed too, to tell a busy extension host
// from a slow workbench when a click is slow.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/tree/nodes';
import { type ClickAnswer, type ClickSample, CLICK_ROW_ACTION, COLLAPSE_ROW_ACTION } from './contract';

/** Asks the page to run one of rows.ts's actions; the answer is its text. */
export type AskPage = (name: string, argument: string) => Promise<string>;

// Between samples: the collapse lands and the tree settles, so each click starts from a quiet page.
const PAUSE_MS = 1_000;

interface HostCall {
  readonly stage: string;
  readonly calledAt: number;
  readonly returnedAt: number;
}

/** `count` clicks, on `stages` in turn (each collapsed again after its sample). */
export async function clicksWhileRefreshing(api: ExtensionApi, askPage: AskPage, stages: readonly string[], count: number): Promise<ClickSample[]> {
  if (stages.length === 0) throw new Error('no stage to click');
  const { tree, refresher } = api.services;
  const calls: HostCall[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const getChildren = tree.getChildren.bind(tree);
  // VS Code calls the provider's getChildren by name on each expansion: timing it here costs nothing elsewhere.
  tree.getChildren = async (node?: TreeNode) => {
    const calledAt = Date.now();
    const children = await getChildren(node);
    if (node?.kind === 'stage') calls.push({ stage: node.name, calledAt, returnedAt: Date.now() });
    return children;
  };
  try {
    const samples: ClickSample[] = [];
    for (let index = 0; index < count; index++) {
      const stage = stages[index % stages.length];
      loopDelay.reset();
      const refreshStartedAt = Date.now();
      const settled: { at?: number } = {};
      const refresh = refresher.refreshNow().finally(() => (settled.at = Date.now()));
      const answer = JSON.parse(await askPage(CLICK_ROW_ACTION, stage)) as ClickAnswer;
      const hostLoopDelayMaxMs = loopDelay.max / 1e6;
      await refresh.catch(() => undefined);
      const end = answer.answeredAt ?? Number.POSITIVE_INFINITY;
      const hostCalls = calls
        .filter((call) => call.stage === stage && call.calledAt >= refreshStartedAt && call.calledAt <= end)
        .map(({ calledAt, returnedAt }) => ({ calledAt, returnedAt }));
      samples.push({ stage, ...answer, refreshStartedAt, refreshSettledAt: settled.at, hostCalls, hostLoopDelayMaxMs });
      await askPage(COLLAPSE_ROW_ACTION, stage);
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    return samples;
  } finally {
    loopDelay.disable();
    tree.getChildren = getChildren;
  }
}
