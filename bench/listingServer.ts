// The fake GitLab for the listing benchmark, served the way GitLab serves: from several worker processes
// (GitLab runs Puma workers), so that pages asked for at once are rendered at once. One fake process
// renders one page at a time, about 10 ms for 100 jobs, and that queue, not the client, would be measured.
// Forked by pipelineJobs.ts; this process is the cluster's primary and answers its questions over IPC.
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { startFakeGitLab } from '../test/fake-gitlab';

export interface ListingServerSetup {
  readonly jobCount: number;
  readonly latencyMs: number;
  readonly projectId: number;
}

export interface ListingServerReady {
  readonly url: string;
  readonly token: string;
  readonly pipelineId: number;
  readonly workers: number;
}

/** `mark` starts a count; `arrivals` answers when each request since the mark arrived (ms since the epoch). */
export type ListingServerQuestion = { readonly type: 'mark' } | { readonly type: 'arrivals' } | { readonly type: 'close' };

const WORKERS = Math.max(2, availableParallelism());

/** A worker: the same seeded fake in each (same ids, same tokens), on the port the cluster shares. */
async function serve(setup: ListingServerSetup): Promise<void> {
  const fake = await startFakeGitLab();
  const pipelineId = fake.state.seedBigPipeline({ projectId: setup.projectId, jobCount: setup.jobCount }).id;
  fake.faults.add({ route: /^\/api\/v4\//, origin: 'api', kind: 'latency', ms: setup.latencyMs, times: Infinity });
  let mark = 0;
  process.on('message', (question: ListingServerQuestion) => {
    if (question.type === 'mark') {
      mark = fake.requests.length;
      process.send?.('marked');
    } else if (question.type === 'arrivals') {
      process.send?.(fake.requests.slice(mark).map((request) => request.at));
    } else {
      void fake.close().then(() => process.exit(0));
    }
  });
  process.send?.({ url: fake.url, token: fake.tokens.developer, pipelineId, workers: WORKERS } satisfies ListingServerReady);
}

async function ask<T>(worker: Worker, message: ListingServerSetup | ListingServerQuestion): Promise<T> {
  const answer = once(worker, 'message');
  worker.send(message);
  return ((await answer) as [T])[0];
}

async function lead(setup: ListingServerSetup): Promise<void> {
  const workers = Array.from({ length: WORKERS }, () => cluster.fork());
  const ready = await Promise.all(workers.map((worker) => ask<ListingServerReady>(worker, setup)));
  if (new Set(ready.map((each) => `${each.url} ${each.pipelineId}`)).size !== 1) throw new Error('the workers do not serve the same fake');
  process.on('message', (question: ListingServerQuestion) => {
    if (question.type === 'close') {
      for (const worker of workers) worker.send(question);
      void Promise.all(workers.map((worker) => once(worker, 'exit'))).then(() => process.exit(0));
      return;
    }
    void Promise.all(workers.map((worker) => ask<number[] | 'marked'>(worker, question))).then((answers) =>
      process.send?.(question.type === 'arrivals' ? (answers as number[][]).flat() : 'marked'),
    );
  });
  process.send?.(ready[0]);
}

process.once('message', (setup: ListingServerSetup) => {
  (cluster.isPrimary ? lead(setup) : serve(setup)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
