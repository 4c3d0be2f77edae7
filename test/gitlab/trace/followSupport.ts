// Following a job's log in tests: a follow recorded in the background, and a runner appending the log.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { GitLab } from '../../../src/gitlab';
import { RunnerApi, type RunnerJobPayload } from '../../../src/gitlab/runner';
import { type FollowEvent, type FollowOptions, followTrace } from '../../../src/gitlab/trace/follower';
import type { FakeGitLab } from '../../fake-gitlab';

export const PROJECT = 'demo-group/demo-app';

/** Resolves once `condition` holds; the suite's timeout bounds it. Polls the event loop, so short waits stay short. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await delay(2);
}

/** `bytes` cut into `count` pieces of uneven sizes (cuts land inside escapes and multi-byte characters too). */
export function pieces(bytes: Buffer, count: number): Buffer[] {
  const cuts = Array.from({ length: count - 1 }, (_, i) => Math.floor((bytes.length * (i + 1) * (i + 1)) / (count * count)));
  return [0, ...cuts].map((start, i) => bytes.subarray(start, i + 1 < count ? cuts[i] : bytes.length)).filter((piece) => piece.length > 0);
}

/** A follow running in the background, its events recorded as they come. */
export class Recording {
  readonly events: FollowEvent[] = [];
  readonly abort = new AbortController();
  readonly done: Promise<void>;
  /** Bytes delivered since the last restart. */
  private chunks: Uint8Array[] = [];
  private size = 0;

  constructor(gitlab: GitLab, jobId: number, options: FollowOptions) {
    this.done = this.consume(followTrace(gitlab, PROJECT, jobId, { ...options, signal: this.abort.signal }));
    this.done.catch(() => undefined); // a test that expects a failure awaits it later
  }

  get deliveredSize(): number {
    return this.size;
  }

  delivered(): Buffer {
    return Buffer.concat(this.chunks);
  }

  ofType<T extends FollowEvent['type']>(type: T): Extract<FollowEvent, { type: T }>[] {
    return this.events.filter((event): event is Extract<FollowEvent, { type: T }> => event.type === type);
  }

  get last(): FollowEvent | undefined {
    return this.events[this.events.length - 1];
  }

  private async consume(events: AsyncGenerator<FollowEvent>): Promise<void> {
    for await (const event of events) {
      this.events.push(event);
      if (event.type === 'restart') {
        this.chunks = [];
        this.size = 0;
      }
      if (event.type === 'bytes') {
        this.chunks.push(event.bytes);
        this.size += event.bytes.byteLength;
      }
    }
  }
}

/** A runner speaking the runner protocol through the client: takes the pending job, appends its log, finishes it. */
export class ScriptedRunner {
  private offset = 0;

  private constructor(
    private readonly gitlab: GitLab,
    readonly job: RunnerJobPayload,
  ) {}

  static async take(fake: FakeGitLab): Promise<ScriptedRunner> {
    const gitlab = new GitLab({ instanceUrl: fake.url });
    const job = await new RunnerApi(gitlab.client).requestJob(fake.tokens.runner);
    assert.ok(job, 'a pending job for the runner');
    return new ScriptedRunner(gitlab, job);
  }

  /** Appends at the end of the log; where GitLab holds another length (416), resends there, as gitlab-runner does. */
  async append(chunk: Buffer): Promise<void> {
    let result = await new RunnerApi(this.gitlab.client).appendTrace(this.job.id, this.job.token, chunk, this.offset);
    if (!result.accepted) {
      this.offset = result.serverSize;
      result = await new RunnerApi(this.gitlab.client).appendTrace(this.job.id, this.job.token, chunk, this.offset);
    }
    assert.ok(result.accepted, `append at ${this.offset} refused (server holds ${result.serverSize})`);
    this.offset += chunk.length;
  }

  async finish(state: 'success' | 'failed' = 'success'): Promise<void> {
    await new RunnerApi(this.gitlab.client).updateJob(this.job.id, this.job.token, { state, exitCode: state === 'success' ? 0 : 1 });
  }
}
