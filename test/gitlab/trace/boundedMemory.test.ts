import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { GitLab } from '../../../src/gitlab';
import { TraceCapabilities } from '../../../src/gitlab/trace/capabilities';
import { followTrace } from '../../../src/gitlab/trace/follower';
import { readLogRange, readLogTail } from '../../../src/mcp/jobLog';
import { generations, startFakeGitLab, type FakeGitLab, type Generation } from '../../fake-gitlab';
import { type RewritingProxy, startRangeIgnoringProxy } from '../rewritingProxy';

const PROJECT = 'demo-group/demo-app';
const MB = 1024 * 1024;
/** More memory held at once than before, allowed while 48 MB of log pass through: half the log. */
const HELD_ALLOWANCE = 24 * MB;
/** The largest buffer a delivered chunk may sit in: a slice (500 KB) with room to spare, far below the log. */
const CHUNK_BUFFER_ALLOWANCE = MB;
/** Lines of 60,000 characters: a tail of 5,000 lines held whole would be 300 MB. */
const LONG_LINE = `\u001b[32m${'x'.repeat(60_000)}\u001b[0m\n`;
/** About 48 MB of whole lines. */
const BIG_LOG_LENGTH = Math.ceil((48 * MB) / LONG_LINE.length) * LONG_LINE.length;
let bigLogSha256: string | undefined;

// A full collection on demand, so samples count what is held rather than garbage not yet collected.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** JavaScript heap and buffers still reachable after a full collection. */
function liveMemory(): number {
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * The most memory held at once while `run` runs, above what was held before. Sampled every 100 ms to 1 s:
 * less often when collections are slow (a big heap late in the suite), so they do not take over. What the
 * code under test would wrongly hold (a whole log, the lines of a tail) grows until it ends.
 */
async function peakHeldGrowth<T>(run: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = liveMemory();
  let peak = baseline;
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    const started = performance.now();
    peak = Math.max(peak, liveMemory());
    timer = setTimeout(sample, Math.min(1000, Math.max(100, 4 * (performance.now() - started))));
  };
  timer = setTimeout(sample, 100);
  try {
    const result = await run();
    return { result, growth: peak - baseline };
  } finally {
    clearTimeout(timer);
  }
}

/** Follows a finished job to its end: the sha256 and size of what was delivered, and the largest buffer behind a chunk. */
async function followToEnd(gitlab: GitLab, jobId: number): Promise<{ sha256: string; bytes: number; largestBuffer: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let largestBuffer = 0;
  for await (const event of followTrace(gitlab, PROJECT, jobId, { capabilities: new TraceCapabilities(), minIntervalMs: 1, maxIntervalMs: 10 })) {
    assert.notEqual(event.type, 'restart');
    if (event.type !== 'bytes') continue;
    hash.update(event.bytes);
    bytes += event.bytes.byteLength;
    largestBuffer = Math.max(largestBuffer, event.bytes.buffer.byteLength);
  }
  return { sha256: hash.digest('hex'), bytes, largestBuffer };
}

/** A fake GitLab whose job `jobId` has the 48 MB log; `close` also lets the log go (the suite goes on long after). */
async function bigLogGitLab(generation: Generation): Promise<{ fake: FakeGitLab; jobId: number; close: () => Promise<void> }> {
  const fake = await startFakeGitLab({ generation });
  const job = fake.state.findJobs({ projectId: 1, status: 'success', kind: 'build' })[0];
  assert.ok(job);
  const log = Buffer.from(LONG_LINE.repeat(BIG_LOG_LENGTH / LONG_LINE.length));
  bigLogSha256 ??= createHash('sha256').update(log).digest('hex');
  fake.state.setJobTrace(job.id, log).trace.toBuffer(); // the fake's own copy, made before anything is measured
  const close = async () => {
    fake.state.setJobTrace(job.id, '');
    await fake.close();
  };
  return { fake, jobId: job.id, close };
}

for (const generation of generations) {
  describe(`bounded memory over a 48 MB job log, fake GitLab ${generation}`, function () {
    this.timeout(120_000);
    let jobId: number;
    let gitlab: GitLab;
    let close: () => Promise<void>;

    before(async () => {
      let fake: FakeGitLab;
      ({ fake, jobId, close } = await bigLogGitLab(generation));
      gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer });
    });
    after(() => close());

    it('following delivers the whole log exactly, never holding more than a slice', async () => {
      const { result, growth } = await peakHeldGrowth(() => followToEnd(gitlab, jobId));
      assert.equal(result.bytes, BIG_LOG_LENGTH);
      assert.equal(result.sha256, bigLogSha256);
      assert.ok(result.largestBuffer <= CHUNK_BUFFER_ALLOWANCE, `a chunk sat in a buffer of ${result.largestBuffer} bytes`);
      assert.ok(growth <= HELD_ALLOWANCE, `memory held grew by ${(growth / MB).toFixed(1)} MB`);
    });

    it('the MCP tail read keeps only the lines it may return', async () => {
      const { result, growth } = await peakHeldGrowth(() => readLogTail(gitlab, PROJECT, jobId, { lines: 5000, maxBytes: 256 * 1024 }));
      assert.equal(result.total_bytes, BIG_LOG_LENGTH);
      assert.ok(Buffer.byteLength(result.text) <= 256 * 1024);
      assert.equal(result.truncated, true);
      assert.ok(/\nx{60000}$/.test(result.text), 'ends with the last line whole');
      assert.ok(growth <= HELD_ALLOWANCE, `memory held grew by ${(growth / MB).toFixed(1)} MB`);
    });

    it('an MCP range read near the end of the log holds only its window', async () => {
      const offset = BIG_LOG_LENGTH - 100_000;
      const { result, growth } = await peakHeldGrowth(() => readLogRange(gitlab, PROJECT, jobId, new TraceCapabilities(), { byteOffset: offset, maxBytes: 256 * 1024 }));
      assert.equal(result.next_offset, BIG_LOG_LENGTH);
      assert.equal(result.more_after, false);
      assert.ok(growth <= HELD_ALLOWANCE, `memory held grew by ${(growth / MB).toFixed(1)} MB`);
    });
  });
}

describe('bounded memory when newest GitLab answers a slice request with the whole 48 MB log (a proxy ignoring the range)', function () {
  this.timeout(120_000);
  let fake: FakeGitLab;
  let jobId: number;
  let close: () => Promise<void>;
  let proxy: RewritingProxy & { ignored: () => number };
  let gitlab: GitLab;

  before(async () => {
    ({ fake, jobId, close } = await bigLogGitLab('newest'));
    proxy = await startRangeIgnoringProxy(fake.url);
    gitlab = new GitLab({ instanceUrl: proxy.url, token: fake.tokens.maintainer });
  });
  after(async () => {
    await proxy.close();
    await close();
  });

  it('following goes on from that same answer as from an older GitLab, holding no more than a slice', async () => {
    const { result, growth } = await peakHeldGrowth(() => followToEnd(gitlab, jobId));
    assert.equal(proxy.ignored(), 1, 'one slice asked for, answered with the whole log, read to its end');
    assert.equal(result.bytes, BIG_LOG_LENGTH);
    assert.equal(result.sha256, bigLogSha256);
    assert.ok(result.largestBuffer <= CHUNK_BUFFER_ALLOWANCE, `a chunk sat in a buffer of ${result.largestBuffer} bytes`);
    assert.ok(growth <= HELD_ALLOWANCE, `memory held grew by ${(growth / MB).toFixed(1)} MB`);
  });

  it('an MCP range read takes its window from that same answer and probes again next time', async () => {
    const capabilities = new TraceCapabilities();
    const offset = BIG_LOG_LENGTH - 2 * LONG_LINE.length;
    const probesBefore = fake.requests.filter((request) => request.query.get('byte_limit') === '0').length;
    const { result, growth } = await peakHeldGrowth(() => readLogRange(gitlab, PROJECT, jobId, capabilities, { byteOffset: offset, maxBytes: 256 * 1024 }));
    assert.equal(result.next_offset, BIG_LOG_LENGTH);
    assert.equal(result.text, `${'x'.repeat(60_000)}\n${'x'.repeat(60_000)}`);
    assert.ok(growth <= HELD_ALLOWANCE, `memory held grew by ${(growth / MB).toFixed(1)} MB`);

    await readLogRange(gitlab, PROJECT, jobId, capabilities, { byteOffset: offset, maxBytes: 1024 });
    const probes = fake.requests.filter((request) => request.query.get('byte_limit') === '0').length - probesBefore;
    assert.equal(probes, 2, 'the capability was forgotten after the range was ignored');
  });
});
