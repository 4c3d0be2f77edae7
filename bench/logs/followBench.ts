// What following a growing job log costs on the wire: our follower with GitLab's byte ranges, without them
// (ETag), and glab's way (the whole log on every poll), all at the same poll cadence over the same growth.
// Run: npm run compile-tests && node out/bench/logs/followBench.js
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, type Dispatcher, request } from 'undici';
import { GitLab } from '../../src/gitlab';
import { isFinished } from '../../src/gitlab/models';
import { TraceCapabilities } from '../../src/gitlab/trace/capabilities';
import { followTrace } from '../../src/gitlab/trace/follower';
import { type FakeGitLab, type Generation, generations, startFakeGitLab } from '../../test/fake-gitlab';
import { SimulatedRunner } from '../../test/fake-gitlab/simulated-runner';
import { syntheticLog } from './syntheticLog';

export interface FollowBenchOptions {
  /** Size the log grows to (default 4 MB, the runner's default limit). */
  logBytes?: number;
  /** Appends it grows in (default 1,000). */
  appends?: number;
  appendIntervalMs?: number;
  /** One cadence for every follower, so the comparison is fair. */
  pollIntervalMs?: number;
}

export interface FollowBenchRow {
  follower: string;
  requests: number;
  /** Response bodies: the log bytes and job JSON that crossed the network. */
  bodyBytes: number;
  /** Bodies plus status lines and headers. */
  wireBytes: number;
  finalLogBytes: number;
  /** The follower delivered the final log byte for byte. */
  exact: boolean;
}

const PROJECT = 'demo-group/demo-app';

/** Counts what a client receives, at the HTTP level: an undici interceptor around every response. */
class TrafficCounter {
  requests = 0;
  bodyBytes = 0;
  headerBytes = 0;
  readonly dispatcher: Dispatcher;

  constructor() {
    this.dispatcher = new Agent().compose((dispatch) => (options, handler) =>
      dispatch(options, {
        onRequestStart: (controller, context: unknown) => handler.onRequestStart?.(controller, context),
        onRequestUpgrade: (controller, status, headers, socket) => handler.onRequestUpgrade?.(controller, status, headers, socket),
        onResponseStart: (controller, status, headers, message) => {
          this.requests++;
          // `HTTP/1.1 200 OK\r\n`, each `name: value\r\n`, the blank line.
          this.headerBytes += `HTTP/1.1 ${status} ${message ?? ''}\r\n\r\n`.length;
          for (const [name, value] of Object.entries(headers)) {
            for (const one of Array.isArray(value) ? value : [value]) this.headerBytes += `${name}: ${one}\r\n`.length;
          }
          handler.onResponseStart?.(controller, status, headers, message);
        },
        onResponseData: (controller, chunk) => {
          this.bodyBytes += chunk.byteLength;
          handler.onResponseData?.(controller, chunk);
        },
        onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
        onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
      }),
    );
  }

  client(fake: FakeGitLab): GitLab {
    return new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer, dispatcher: this.dispatcher });
  }
}

/** A fake GitLab of one generation with one pending job, and the simulated runner that will grow its log. */
async function gitLabWithPendingJob(generation: Generation, log: Buffer, options: Required<FollowBenchOptions>) {
  const fake = await startFakeGitLab({ generation });
  // The seed leaves a pipeline waiting: cancel it, so the runner takes the bench's job.
  for (const pipeline of fake.state.pipelines.values()) fake.state.cancelPipeline(pipeline);
  const pipeline = fake.state.createPipelineForRef(PROJECT, 'main', { template: { stages: ['test'], jobs: [{ name: 'big-log', stage: 'test' }] } });
  const jobId = fake.state.pipelineJobs(pipeline.id)[0]?.id;
  if (jobId === undefined) throw new Error('the bench pipeline has no job');
  const runner = new SimulatedRunner({
    instanceUrl: fake.url,
    runnerToken: fake.tokens.runner,
    logs: [log],
    chunkBytes: Math.ceil(log.length / options.appends),
    chunkIntervalMs: options.appendIntervalMs,
  });
  return { fake, jobId, runner, finalLog: () => fake.state.requireJob(jobId).trace.toBuffer() };
}

/** Our follower at a fixed cadence (its adaptive range pinned to one interval); returns the bytes it delivered. */
async function followWithOurs(gitlab: GitLab, jobId: number, pollIntervalMs: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const events = followTrace(gitlab, PROJECT, jobId, {
    capabilities: new TraceCapabilities(),
    minIntervalMs: pollIntervalMs,
    maxIntervalMs: pollIntervalMs,
    statusIntervalMs: pollIntervalMs,
  });
  for await (const event of events) {
    if (event.type === 'bytes') chunks.push(event.bytes);
    if (event.type === 'restart') chunks.length = 0;
  }
  return Buffer.concat(chunks);
}

/** glab's `ci trace`: every poll, the job's status and the whole log, printing what is past the last offset. */
async function followLikeGlab(gitlab: GitLab, jobId: number, pollIntervalMs: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const job = await gitlab.jobs.get(PROJECT, jobId);
    const log = Buffer.from(await (await gitlab.jobs.trace(PROJECT, jobId)).body.arrayBuffer());
    if (log.length > offset) chunks.push(log.subarray(offset));
    offset = Math.max(offset, log.length);
    if (isFinished(job.status)) return Buffer.concat(chunks);
    await delay(pollIntervalMs);
  }
}

/**
 * GitLab Workflow's way: every poll the job and the whole log with `If-None-Match` (an unchanged log is a 304),
 * without asking for gzip, printing what is past the last offset.
 */
async function followLikeGitLabWorkflow(gitlab: GitLab, jobId: number, pollIntervalMs: number, access: { dispatcher: Dispatcher; token: string }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let offset = 0;
  let etag: string | undefined;
  const url = gitlab.client.url(`/projects/${encodeURIComponent(PROJECT)}/jobs/${jobId}/trace`);
  for (;;) {
    const job = await gitlab.jobs.get(PROJECT, jobId);
    const response = await request(url, { dispatcher: access.dispatcher, headers: { 'private-token': access.token, ...(etag ? { 'if-none-match': etag } : {}) } });
    const log = Buffer.from(await response.body.arrayBuffer());
    if (response.statusCode === 200) {
      etag = response.headers.etag as string | undefined;
      if (log.length > offset) chunks.push(log.subarray(offset));
      offset = Math.max(offset, log.length);
    }
    if (isFinished(job.status)) return Buffer.concat(chunks);
    await delay(pollIntervalMs);
  }
}

type Follow = (gitlab: GitLab, jobId: number, pollIntervalMs: number, access: { dispatcher: Dispatcher; token: string }) => Promise<Buffer>;

/**
 * Grows the same job log on a GitLab of each generation while our follower reads it, and GitLab Workflow's and
 * glab's ways read the 18.2 one, all at the same cadence; counts what each received on the wire.
 */
export async function runFollowBench(options: FollowBenchOptions = {}): Promise<FollowBenchRow[]> {
  const settings: Required<FollowBenchOptions> = { logBytes: 4 * 1024 * 1024, appends: 1000, appendIntervalMs: 10, pollIntervalMs: 100, ...options };
  const log = syntheticLog(settings.logBytes);
  const servers = new Map<Generation, Awaited<ReturnType<typeof gitLabWithPendingJob>>>();
  try {
    for (const generation of generations) servers.set(generation, await gitLabWithPendingJob(generation, log, settings));
    const oldest = servers.get(generations[0]);
    if (!oldest) throw new Error('no generation to measure');
    const plan: { follower: string; on: typeof oldest; follow: Follow }[] = [
      ...generations.map((generation) => ({ follower: `ours, GitLab ${generation}`, on: servers.get(generation) ?? oldest, follow: followWithOurs })),
      { follower: `baseline: GitLab Workflow's way (If-None-Match, no gzip), GitLab ${generations[0]}`, on: oldest, follow: followLikeGitLabWorkflow },
      { follower: `baseline: glab's way (whole log every poll, gzip as Go asks), GitLab ${generations[0]}`, on: oldest, follow: followLikeGlab },
    ];
    const followers = plan.map(({ follower, on, follow }) => {
      const counter = new TrafficCounter();
      const access = { dispatcher: counter.dispatcher, token: on.fake.tokens.maintainer };
      return { follower, on, counter, delivered: follow(counter.client(on.fake), on.jobId, settings.pollIntervalMs, access) };
    });
    await Promise.all([...servers.values()].map((server) => server.runner.runNextJob()));
    const rows: FollowBenchRow[] = [];
    for (const { follower, on, counter, delivered } of followers) {
      const exact = (await delivered).equals(on.finalLog()); // the follower has ended: its counts are final
      rows.push({
        follower,
        requests: counter.requests,
        bodyBytes: counter.bodyBytes,
        wireBytes: counter.bodyBytes + counter.headerBytes,
        finalLogBytes: on.finalLog().length,
        exact,
      });
    }
    return rows;
  } finally {
    await Promise.all([...servers.values()].map((server) => server.runner.stop()));
    await Promise.all([...servers.values()].map((server) => server.fake.close()));
  }
}

export function followBenchTable(rows: readonly FollowBenchRow[], options: FollowBenchOptions = {}): string {
  const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(2);
  const perLogByte = (bytes: number, row: FollowBenchRow) => (bytes / row.finalLogBytes).toFixed(3);
  const cadence = options.pollIntervalMs ?? 100;
  return [
    `Following a job log that grows to ${mb(rows[0]?.finalLogBytes ?? 0)} MB in ~${options.appends ?? 1000} appends, every follower polling every ${cadence} ms:`,
    '',
    '| Follower | Requests | MB received (bodies) | Bodies ÷ log bytes | With headers ÷ log bytes | Exact log |',
    '|---|---:|---:|---:|---:|:---:|',
    ...rows.map((row) => `| ${row.follower} | ${row.requests} | ${mb(row.bodyBytes)} | ${perLogByte(row.bodyBytes, row)} | ${perLogByte(row.wireBytes, row)} | ${row.exact ? 'yes' : 'NO'} |`),
  ].join('\n');
}

if (require.main === module) {
  const started = Date.now();
  runFollowBench().then(
    (rows) => {
      console.log(followBenchTable(rows));
      console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
