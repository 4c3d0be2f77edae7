// One measured process (forked by memoryBench.ts): idle, following a finished job's log to its end through the
// renderer (what the extension does), or the MCP server's tail read. Reports its peak resident memory.
import { GitLab } from '../../src/gitlab';
import { TraceCapabilities } from '../../src/gitlab/trace/capabilities';
import { followTrace } from '../../src/gitlab/trace/follower';
import { TraceRenderer } from '../../src/gitlab/trace/renderer';
import { readLogTail } from '../../src/mcp/jobLog';
import { peakRssTracker } from '../memory';

/**
 * `whole` reads the log into memory at once, as glab and GitLab Workflow do: the baseline. `receive` streams
 * it and drops every chunk: the floor any streaming reader pays (V8 frees socket and gunzip buffers lazily).
 */
export type MemoryMode = 'idle' | 'follow' | 'tail' | 'whole' | 'receive';

export interface MemoryJob {
  readonly mode: MemoryMode;
  readonly instanceUrl: string;
  readonly token: string;
  readonly project: string;
  readonly jobId: number;
}

export interface MemoryReport {
  readonly peakRssBytes: number;
  /** Log bytes the follower delivered, or rendered bytes a tail returned. */
  readonly bytes: number;
}

async function run(job: MemoryJob): Promise<MemoryReport> {
  const peakRss = peakRssTracker();
  const gitlab = new GitLab({ instanceUrl: job.instanceUrl, token: job.token });
  let bytes = 0;
  if (job.mode === 'follow') {
    const renderer = new TraceRenderer();
    const events = followTrace(gitlab, job.project, job.jobId, { capabilities: new TraceCapabilities(), minIntervalMs: 10, maxIntervalMs: 10 });
    for await (const event of events) {
      if (event.type !== 'bytes') continue;
      bytes += event.bytes.byteLength;
      renderer.push(event.bytes); // rendered lines are dropped, as a sink that has shown them would
    }
    renderer.end();
  } else if (job.mode === 'tail') {
    bytes = Buffer.byteLength((await readLogTail(gitlab, job.project, job.jobId, { lines: 200, maxBytes: 64 * 1024 })).text);
  } else if (job.mode === 'receive') {
    for await (const chunk of (await gitlab.jobs.trace(job.project, job.jobId)).body as AsyncIterable<Buffer>) bytes += chunk.byteLength;
  } else if (job.mode === 'whole') {
    bytes = (await (await gitlab.jobs.trace(job.project, job.jobId)).body.arrayBuffer()).byteLength;
  } else {
    // Load what the measured modes load, so the baseline differs only by the work.
    new TraceRenderer().end();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { peakRssBytes: peakRss(), bytes };
}

process.once('message', (job: MemoryJob) => {
  run(job).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
