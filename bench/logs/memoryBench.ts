// Peak memory while following, and while tail-reading, a finished 100 MB job log (GitLab's largest) on each
// GitLab generation: each in a fresh process, against an idle process that loads the same modules.
// Run: npm run compile-tests && node out/bench/logs/memoryBench.js
import { join } from 'node:path';
import { type Generation, generations, startFakeGitLab } from '../../test/fake-gitlab';
import { runMeasuredChild } from '../memory';
import type { ResultRow, Section } from '../report';
import { formatBytes } from '../stats';
import { syntheticLog } from './syntheticLog';
import type { MemoryJob, MemoryMode, MemoryReport } from './memoryChild';

const PROJECT = 'demo-group/demo-app';
const LOG_BYTES = 100 * 1024 * 1024;
const GOAL_BYTES = 40 * 1024 * 1024;

interface GenerationResult {
  generation: Generation;
  idle: number;
  measured: Record<Exclude<MemoryMode, 'idle'>, MemoryReport>;
}

async function measureGeneration(generation: Generation, log: Buffer): Promise<GenerationResult> {
  const fake = await startFakeGitLab({ generation });
  try {
    const jobId = fake.state.findJobs({ projectId: 1, name: 'build', status: 'success' })[0]?.id;
    if (jobId === undefined) throw new Error('the seed has no finished build job');
    fake.state.setJobTrace(jobId, log);
    const child = (mode: MemoryMode) =>
      runMeasuredChild<MemoryJob, MemoryReport>(join(__dirname, 'memoryChild.js'), { mode, instanceUrl: fake.url, token: fake.tokens.developer, project: PROJECT, jobId });
    const idle = (await child('idle')).peakRssBytes;
    const follow = await child('follow');
    if (follow.bytes !== log.length) throw new Error(`the follower delivered ${follow.bytes} of ${log.length} bytes`);
    return { generation, idle, measured: { follow, tail: await child('tail'), whole: await child('whole'), receive: await child('receive') } };
  } finally {
    await fake.close();
  }
}

export async function runLogMemoryBench(log: (line: string) => void): Promise<Section> {
  const logBytes = syntheticLog(LOG_BYTES);
  const results: GenerationResult[] = [];
  for (const generation of generations) {
    log(`log memory: GitLab ${generation}`);
    results.push(await measureGeneration(generation, logBytes));
  }
  const over = (result: GenerationResult, mode: Exclude<MemoryMode, 'idle'>) => result.measured[mode].peakRssBytes - result.idle;
  const rows = results.flatMap((result): ResultRow[] => {
    const whole = over(result, 'whole');
    const row = (measure: string, mode: 'follow' | 'tail'): ResultRow => ({
      measure: `${measure}, GitLab ${result.generation}`,
      ratio: `${(over(result, mode) / whole).toFixed(2)}×`,
      ours: `+${formatBytes(over(result, mode))}`,
      baseline: `+${formatBytes(whole)} reading the whole log into memory, as glab and GitLab Workflow do; the floor, streaming it and dropping every chunk: +${formatBytes(over(result, 'receive'))}`,
      goal: `≤ +${formatBytes(GOAL_BYTES)}`,
      met: over(result, mode) <= GOAL_BYTES,
    });
    return [row('Peak RSS following a 100 MB log to its end, rendered', 'follow'), row('Peak RSS reading the last 200 lines of a 100 MB log (MCP)', 'tail')];
  });
  return {
    title: 'Log memory',
    method: `A finished job whose log is ${formatBytes(LOG_BYTES)} of real runner output (bench/logs/memoryBench.ts), on the fake GitLab as each generation serves it (18.2 and 18.8: the whole log, gzipped; newest: 500 KB slices). Each read runs in a fresh process; the figure is its peak RSS (VmHWM) over an idle process that loads the same modules (idle: ${results.map((r) => `${r.generation} ${formatBytes(r.idle)}`).join(', ')}).`,
    rows,
    notes: [
      'The floor row explains the goal missed: a process that only receives the 100 MB stream and drops each chunk peaks about as high, because V8 frees socket and gunzip buffers in batches, not as each is dropped. What stays reachable is small: test/gitlab/trace/boundedMemory.test.ts holds memory reachable after garbage collection within +24 MB while following, tail-reading and range-reading a 48 MB log on every generation.',
    ],
  };
}

if (require.main === module) {
  runLogMemoryBench((line) => console.error(line)).then(
    (section) => console.log(JSON.stringify(section, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
