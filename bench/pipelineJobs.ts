// Listing a pipeline of 1,000 jobs (10 pages of 100) with 50 ms added to every API answer: our client, which
// fetches the remaining pages in parallel once the first page tells the total, against python-gitlab's CLI
// and a page-after-page loop over the same client.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GitLab } from '../src/gitlab';
import type { Job } from '../src/gitlab/models';
import { type Page, getPage } from '../src/gitlab/pagination';
import type { ListingServerQuestion, ListingServerReady, ListingServerSetup } from './listingServer';
import { pythonGitlab } from './pythonGitlab';
import type { ResultRow, Section } from './report';
import { formatMs, median, ratio } from './stats';

const JOB_COUNT = 1000;
const PER_PAGE = 100;
const LATENCY_MS = 50;
const ROUNDS = 7;
const CLI_ROUNDS = 3;
const ROUND_TRIP_GOAL = 3;
const SPEEDUP_GOAL = 3;
const PROJECT_ID = 1;

interface Listing {
  readonly ms: number;
  readonly requests: number;
  /** Round trips of latency on the critical path: bursts of requests at least one latency apart. */
  readonly roundTrips: number;
}

export async function runPipelineListingBench(log: (line: string) => void): Promise<Section> {
  const fake = await ListingServer.start({ jobCount: JOB_COUNT, latencyMs: LATENCY_MS, projectId: PROJECT_ID });
  const scratch = await mkdtemp(join(tmpdir(), 'bench-listing-'));
  try {
    const { pipelineId } = fake.ready;
    const path = `/projects/${PROJECT_ID}/pipelines/${pipelineId}/jobs`;
    // A new client (so new connections) for every listing, as each CLI run has.
    const client = () => new GitLab({ instanceUrl: fake.ready.url, token: fake.ready.token });

    const listOurs = () => measure(fake, async () => count(await client().pipelines.jobs(PROJECT_ID, pipelineId)));
    const listPageAfterPage = () =>
      measure(fake, async () => {
        const gitlab = client();
        const jobs: Job[] = [];
        for (let page: number | undefined = 1; page !== undefined && page <= JOB_COUNT / PER_PAGE + 1; ) {
          const result: Page<Job> = await getPage<Job>(gitlab.client, path, {}, { page, perPage: PER_PAGE });
          jobs.push(...result.items);
          page = result.nextPage;
        }
        return count(jobs);
      });
    // A first listing of each loads undici and warms up both processes; then the two take turns, so that
    // whatever else the machine does falls on both alike.
    log('listing: our client (pages in parallel) and page after page, in turns');
    await listOurs();
    await listPageAfterPage();
    const ours: Listing[] = [];
    const sequential: Listing[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await listOurs());
      sequential.push(await listPageAfterPage());
    }

    const cli = await pythonGitlab(fake.ready.url, fake.ready.token, scratch);
    let python: Listing[] = [];
    let cliStartupMs: number | undefined;
    if (cli) {
      log(`listing: ${cli.version}`);
      const outFile = join(scratch, 'jobs.json');
      cliStartupMs = median(await repeat(CLI_ROUNDS, async () => (await cli.run(['--version'], outFile)).ms));
      python = await repeat(CLI_ROUNDS, () =>
        measure(fake, async () => {
          await cli.run(['-o', 'json', 'project-pipeline-job', 'list', '--project-id', String(PROJECT_ID), '--pipeline-id', String(pipelineId), '--per-page', String(PER_PAGE), '--get-all'], outFile);
          return count(JSON.parse(await readFile(outFile, 'utf8')) as unknown[]);
        }),
      );
    }

    const oursMs = median(ours.map((run) => run.ms));
    const sequentialMs = median(sequential.map((run) => run.ms));
    const pythonMs = python.length ? median(python.map((run) => run.ms)) : undefined;
    const roundTrips = Math.max(...ours.map((run) => run.roundTrips));
    const rows: ResultRow[] = [
      {
        measure: 'Round trips of latency, 1,000 jobs',
        ratio: ratio(roundTrips, sequential[0].roundTrips),
        ours: `${roundTrips} (${ours[0].requests} requests)`,
        baseline: `${sequential[0].roundTrips} (${sequential[0].requests} requests, page after page)`,
        goal: `≤ ${ROUND_TRIP_GOAL} round trips`,
        met: roundTrips <= ROUND_TRIP_GOAL,
      },
      {
        measure: `Wall time vs page after page (median of ${ROUNDS})`,
        ratio: `${ratio(oursMs, sequentialMs)} (${(sequentialMs / oursMs).toFixed(1)}× faster)`,
        ours: formatMs(oursMs),
        baseline: formatMs(sequentialMs),
        goal: `≥ ${SPEEDUP_GOAL}× faster`,
        met: sequentialMs / oursMs >= SPEEDUP_GOAL,
      },
      {
        measure: `Wall time vs python-gitlab CLI (median of ${CLI_ROUNDS})`,
        ratio: pythonMs === undefined ? 'n/a' : `${ratio(oursMs, pythonMs)} (${(pythonMs / oursMs).toFixed(1)}× faster)`,
        ours: `${formatMs(oursMs)}, ${ours[0].requests} requests`,
        baseline: cli && pythonMs !== undefined && cliStartupMs !== undefined
          ? `${formatMs(pythonMs)}, ${python[0].requests} requests, ${python[0].roundTrips} round trips (${cli.version}; ${formatMs(cliStartupMs)} of it is start-up)`
          : 'not installed',
        goal: '',
      },
    ];
    return {
      title: 'Listing a pipeline of 1,000 jobs',
      method: `A pipeline of ${JOB_COUNT.toLocaleString('en')} jobs on the fake GitLab (${fake.ready.workers} worker processes, as GitLab's Puma has several), ${JOB_COUNT / PER_PAGE} pages of ${PER_PAGE}, ${LATENCY_MS} ms added before every API answer. Ours: \`PipelinesApi.jobs\` (first page, then the rest in parallel once \`X-Total-Pages\` is known); page after page: the same client's \`getPage\` following \`X-Next-Page\`; python-gitlab: \`project-pipeline-job list --get-all\`, a new process each time (its start-up is included and shown). Round trips are bursts of requests at least ${LATENCY_MS} ms apart in the fake's log.`,
      rows,
      notes: cli ? undefined : ['python-gitlab is not installed (apt-get install gitlab-cli), so its row is empty.'],
    };
  } finally {
    await fake.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

function count(items: readonly unknown[]): number {
  if (items.length !== JOB_COUNT) throw new Error(`listed ${items.length} jobs, not ${JOB_COUNT}`);
  return items.length;
}

async function measure(fake: ListingServer, list: () => Promise<number>): Promise<Listing> {
  await fake.ask({ type: 'mark' });
  const started = performance.now();
  await list();
  const ms = performance.now() - started;
  const arrivals = (await fake.ask<number[]>({ type: 'arrivals' })).sort((a, b) => a - b);
  let roundTrips = 0;
  let burstStart = -Infinity;
  for (const at of arrivals) {
    if (at - burstStart >= LATENCY_MS) {
      roundTrips++;
      burstStart = at;
    }
  }
  return { ms, requests: arrivals.length, roundTrips };
}

async function repeat<T>(rounds: number, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let round = 0; round < rounds; round++) results.push(await run());
  return results;
}

/** The forked listingServer.js, asked one question at a time. */
class ListingServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: ListingServerReady,
  ) {}

  static async start(setup: ListingServerSetup): Promise<ListingServer> {
    const child = fork(join(__dirname, 'listingServer.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send(setup);
    const [ready] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => Promise.reject(new Error('the listing server exited')))])) as [ListingServerReady];
    return new ListingServer(child, ready);
  }

  async ask<T = unknown>(question: ListingServerQuestion): Promise<T> {
    const answer = once(this.child, 'message');
    this.child.send(question);
    return ((await answer) as [T])[0];
  }

  async close(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'close' } satisfies ListingServerQuestion);
    await exited;
  }
}
