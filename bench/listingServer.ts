// The fake GitLab for the listing benchmark, in a process of its own as a real server would be: in the
// benchmark's process its page rendering would take turns with the client's work on one thread.
// Forked by pipelineJobs.ts; answers its questions over IPC.
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
}

/** `arrivals`: when each request since the `from`-th arrived (ms since the epoch). */
export type ListingServerQuestion = { readonly type: 'arrivals'; readonly from: number } | { readonly type: 'count' } | { readonly type: 'close' };

async function serve(setup: ListingServerSetup): Promise<void> {
  const fake = await startFakeGitLab();
  const pipelineId = fake.state.seedBigPipeline({ projectId: setup.projectId, jobCount: setup.jobCount }).id;
  fake.faults.add({ route: /^\/api\/v4\//, origin: 'api', kind: 'latency', ms: setup.latencyMs, times: Infinity });
  process.on('message', (question: ListingServerQuestion) => {
    if (question.type === 'arrivals') process.send?.(fake.requests.slice(question.from).map((request) => request.at));
    else if (question.type === 'count') process.send?.(fake.requests.length);
    else void fake.close().then(() => process.exit(0));
  });
  const ready: ListingServerReady = { url: fake.url, token: fake.tokens.developer, pipelineId };
  process.send?.(ready);
}

process.once('message', (setup: ListingServerSetup) => {
  serve(setup).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
