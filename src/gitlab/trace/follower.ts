import type { GitLab } from '../index';
import { projectPath, toGitLabError } from '../client';
import { GitLabError, GitLabHttpError } from '../errors';
import { MAX_TRACE_SLICE } from '../jobs';
import { type Job, type ProjectRef, isFinished } from '../models';
import { sleep } from '../retry';
import { TraceCapabilities } from './capabilities';
import { readSlice } from './slices';

export type FollowEvent =
  /** New log bytes, in order, never repeated. */
  | { type: 'bytes'; bytes: Uint8Array }
  /** The job as last seen (first, and whenever its status changes). */
  | { type: 'job'; job: Job }
  /** The log shrank (erased or restarted): what was delivered is void; bytes start again from 0. */
  | { type: 'restart'; reason: string }
  /** A passing failure (network, 5xx, 429); following goes on after `retryInMs`. */
  | { type: 'retrying'; error: GitLabError; retryInMs: number }
  /** The job finished and every byte was delivered. */
  | { type: 'end'; job: Job };

export interface FollowOptions {
  signal?: AbortSignal;
  /** Shared per instance, so the slice probe happens once. */
  capabilities?: TraceCapabilities;
  /** Poll interval while output flows. */
  minIntervalMs?: number;
  /** Longest wait between polls while the log is quiet (and while a job waits to start). */
  maxIntervalMs?: number;
  /** How often the job's status is checked while its log is quiet. */
  statusIntervalMs?: number;
  /** Largest slice asked for at once when the server serves byte ranges (GitLab allows 500 KB). */
  sliceBytes?: number;
}

const WAITING_TO_START = new Set(['created', 'pending', 'waiting_for_resource', 'preparing', 'scheduled', 'manual']);

/**
 * Follows a job's log: yields only bytes not yet delivered, until the job ends. Where GitLab serves slices
 * (`byte_offset`/`byte_limit`, newest), only new bytes cross the network; elsewhere the whole log is
 * fetched with `If-None-Match`, so an unchanged log costs a 304, and streamed past what was delivered.
 * Whatever the server sends, at most one slice (500 KB) is held at a time. Stops quietly when `signal` aborts.
 */
export async function* followTrace(gitlab: GitLab, project: ProjectRef, jobId: number, options: FollowOptions = {}): AsyncGenerator<FollowEvent> {
  const follower = new TraceFollower(gitlab, project, jobId, options);
  try {
    yield* follower.run();
  } catch (error) {
    if (options.signal?.aborted) return;
    throw error;
  }
}

class TraceFollower {
  private delivered = 0;
  /** The last byte delivered: a ranged read starts one byte early to check the log still holds it. */
  private lastByte: number | undefined;
  private etag: string | undefined;
  private job: Job | undefined;
  private interval: number;
  private lastStatusCheck = 0;
  private readonly capabilities: TraceCapabilities;
  private readonly minInterval: number;
  private readonly maxInterval: number;
  private readonly statusInterval: number;
  private readonly sliceBytes: number;

  constructor(
    private readonly gitlab: GitLab,
    private readonly project: ProjectRef,
    private readonly jobId: number,
    private readonly options: FollowOptions,
  ) {
    this.capabilities = options.capabilities ?? new TraceCapabilities();
    this.minInterval = options.minIntervalMs ?? 1_000;
    this.maxInterval = options.maxIntervalMs ?? 15_000;
    this.statusInterval = options.statusIntervalMs ?? 5_000;
    // Two bytes at least: each slice repeats the last byte delivered.
    this.sliceBytes = Math.max(2, Math.min(options.sliceBytes ?? MAX_TRACE_SLICE, MAX_TRACE_SLICE));
    this.interval = this.minInterval;
  }

  async *run(): AsyncGenerator<FollowEvent> {
    yield* this.refreshJob();
    for (;;) {
      const job = this.job as Job;
      const finished = isFinished(job.status);
      let received = 0;
      try {
        // A finished job gets one last fetch: its final lines land after the status flips.
        if (finished || !WAITING_TO_START.has(job.status)) {
          for await (const event of this.fetchNewBytes()) {
            if (event.type === 'bytes') received += event.bytes.byteLength;
            yield event;
          }
        }
        if (finished) {
          yield { type: 'end', job };
          return;
        }
        this.interval = received > 0 ? this.minInterval : Math.min(this.maxInterval, Math.round(this.interval * 1.5));
        await sleep(this.interval, this.options.signal);
        if (received === 0 && Date.now() - this.lastStatusCheck >= Math.min(this.statusInterval, this.interval)) {
          yield* this.refreshJob();
        }
      } catch (error) {
        const retry = this.transientRetry(error);
        yield retry;
        await sleep(retry.retryInMs, this.options.signal);
      }
    }
  }

  private async *refreshJob(): AsyncGenerator<FollowEvent> {
    const previous = this.job;
    this.job = await this.gitlab.jobs.get(this.project, this.jobId, this.options.signal);
    this.lastStatusCheck = Date.now();
    if (previous?.erased_at == null && this.job.erased_at != null && this.delivered > 0) {
      yield* this.restart('the job was erased');
    }
    if (previous?.status !== this.job.status) yield { type: 'job', job: this.job };
  }

  private async *fetchNewBytes(): AsyncGenerator<FollowEvent> {
    if (!(await this.capabilities.servesSlices(this.gitlab, this.project, this.jobId, this.options.signal))) {
      yield* this.fetchWhole();
      return;
    }
    try {
      yield* this.fetchSlices();
    } catch (error) {
      // A ranged read that fails may mean the server changed under us: the next poll probes again.
      this.capabilities.forget(this.gitlab);
      throw error;
    }
  }

  /**
   * Newest GitLab: ask for the bytes from `delivered` on, slice by slice until a short one says we caught up.
   * Each slice starts at the last delivered byte: an empty answer or another byte there means the log shrank or
   * was rewritten, which a read from `delivered` alone would miss (it gets nothing, as for a quiet log).
   */
  private async *fetchSlices(): AsyncGenerator<FollowEvent> {
    for (;;) {
      const resumes = this.delivered > 0;
      const response = await this.gitlab.jobs.trace(this.project, this.jobId, {
        byteOffset: resumes ? this.delivered - 1 : 0,
        byteLimit: this.sliceBytes,
        signal: this.options.signal,
      });
      const answer = await readSlice(response.body, this.sliceBytes);
      if (answer.kind === 'whole-log') {
        // The server ignored the range (a rollback, a proxy): go on from that stream as from an older GitLab.
        this.capabilities.forget(this.gitlab);
        yield* this.deliverPastDelivered(answer.log, response.etag);
        return;
      }
      const slice = answer.bytes;
      if (resumes && (slice.byteLength === 0 || slice[0] !== this.lastByte)) {
        yield* this.restart(`the log changed: it no longer holds the ${this.delivered} bytes shown`);
        return;
      }
      const fresh = resumes ? slice.subarray(1) : slice;
      if (fresh.byteLength > 0) yield this.deliver(fresh);
      if (slice.byteLength < this.sliceBytes) return;
    }
  }

  /** Older GitLab: the whole log, unless it is unchanged since our copy (304). */
  private async *fetchWhole(): AsyncGenerator<FollowEvent> {
    const response = await this.gitlab.jobs.trace(this.project, this.jobId, { etag: this.etag, signal: this.options.signal });
    if (response.status === 304) return;
    yield* this.deliverPastDelivered(response.body as AsyncIterable<Buffer>, response.etag);
  }

  /** A whole log, streamed: the bytes already delivered are skipped as they pass, never held. */
  private async *deliverPastDelivered(log: AsyncIterable<Buffer>, etag: string | undefined): AsyncGenerator<FollowEvent> {
    let position = 0;
    for await (const chunk of log) {
      const start = Math.max(0, this.delivered - position);
      position += chunk.byteLength;
      if (start < chunk.byteLength) yield this.deliver(chunk.subarray(start));
    }
    // Only a log read to its end may be skipped next time: after a cut, a 304 would hide its rest.
    this.etag = etag;
    if (position < this.delivered) yield* this.restart(`the log shrank from ${this.delivered} to ${position} bytes`);
  }

  private deliver(bytes: Uint8Array): FollowEvent {
    this.delivered += bytes.byteLength;
    this.lastByte = bytes[bytes.byteLength - 1];
    return { type: 'bytes', bytes };
  }

  private async *restart(reason: string): AsyncGenerator<FollowEvent> {
    this.delivered = 0;
    this.lastByte = undefined;
    this.etag = undefined;
    yield { type: 'restart', reason };
    yield* this.fetchNewBytes();
  }

  /** Passing failures wait and go on (no hung poller: they are reported); anything else ends the follow. */
  private transientRetry(cause: unknown): { type: 'retrying'; error: GitLabError; retryInMs: number } {
    // A body cut off while read fails with the socket's error, not the client's: type it the same way.
    const error = toGitLabError(cause, `GET ${projectPath(this.project)}/jobs/${this.jobId}/trace`, this.options.signal);
    const passing = error.transient || error.reason === 'rate-limited' || error.reason === 'server-error';
    if (!passing) throw cause;
    const requested = error instanceof GitLabHttpError ? error.retryAfterMs : undefined;
    this.interval = Math.min(this.maxInterval, this.interval * 2);
    return { type: 'retrying', error, retryInMs: requested ?? this.interval };
  }
}
