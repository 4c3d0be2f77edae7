import type { GitLab } from '../../gitlab';
import type { GitLabError } from '../../gitlab/errors';
import type { Job, ProjectRef } from '../../gitlab/models';
import type { TraceCapabilities } from '../../gitlab/trace/capabilities';
import { followTrace } from '../../gitlab/trace/follower';
import { type RenderedLine, TraceRenderer } from '../../gitlab/trace/renderer';
import type { Settings } from '../settings';

/** Where a followed log goes: an output channel or a log document. */
export interface LogSink {
  /** The job as last seen: first, then whenever its status changes. */
  job(job: Job): void;
  /** Lines the renderer completed, in order. */
  lines(lines: RenderedLine[]): void;
  /** A passing failure; following goes on after `retryInMs`. */
  retrying(error: GitLabError, retryInMs: number): void;
  /** The log shrank or was rewritten: what the sink shows is void, lines start again. */
  restart(reason: string): void;
}

/** How a follow ended. */
export type FollowResult =
  | { outcome: 'finished'; job: Job }
  | { outcome: 'stopped' }
  | { outcome: 'failed'; error: unknown };

export interface FeedOptions {
  capabilities: TraceCapabilities;
  timestamps: 'hide' | 'show';
  minIntervalMs: number;
  maxIntervalMs: number;
}

/**
 * A followed log: the follower's bytes through a renderer into a sink, until the job ends or `stop()`.
 * Never rejects: how it ended (a failure to connect included) is in `done`.
 */
export class LogFeed {
  readonly done: Promise<FollowResult>;
  private readonly abort = new AbortController();

  constructor(connect: () => Promise<GitLab>, project: ProjectRef, jobId: number, options: FeedOptions, sink: LogSink) {
    this.done = this.run(connect, project, jobId, options, sink);
  }

  get active(): boolean {
    return !this.abort.signal.aborted;
  }

  /** Ends the follow; the sink gets no further call. */
  stop(): void {
    this.abort.abort();
  }

  private async run(connect: () => Promise<GitLab>, project: ProjectRef, jobId: number, options: FeedOptions, sink: LogSink): Promise<FollowResult> {
    const newRenderer = () => new TraceRenderer({ timestamps: options.timestamps === 'show' ? 'show' : 'strip' });
    let renderer = newRenderer();
    try {
      const gitlab = await connect();
      if (this.abort.signal.aborted) return { outcome: 'stopped' };
      const events = followTrace(gitlab, project, jobId, {
        signal: this.abort.signal,
        capabilities: options.capabilities,
        minIntervalMs: options.minIntervalMs,
        maxIntervalMs: options.maxIntervalMs,
      });
      for await (const event of events) {
        if (this.abort.signal.aborted) break; // after stop(), the sink hears nothing more
        switch (event.type) {
          case 'job':
            sink.job(event.job);
            break;
          case 'bytes': {
            const lines = renderer.push(event.bytes);
            if (lines.length > 0) sink.lines(lines);
            break;
          }
          case 'retrying':
            sink.retrying(event.error, event.retryInMs);
            break;
          case 'restart':
            renderer = newRenderer();
            sink.restart(event.reason);
            break;
          case 'end': {
            const rest = renderer.end();
            if (rest.length > 0) sink.lines(rest);
            return { outcome: 'finished', job: event.job };
          }
        }
      }
      return { outcome: 'stopped' };
    } catch (error) {
      return { outcome: 'failed', error };
    } finally {
      this.abort.abort(); // `active` says no more once it ended, whichever way
    }
  }
}

/** The follow settings as they are now: a follow keeps the ones it started with. */
export function feedOptions(settings: Pick<Settings, 'logTimestamps' | 'logPollMinMs' | 'logPollMaxMs'>, capabilities: TraceCapabilities): FeedOptions {
  return {
    capabilities,
    timestamps: settings.logTimestamps,
    minIntervalMs: settings.logPollMinMs,
    maxIntervalMs: Math.max(settings.logPollMinMs, settings.logPollMaxMs),
  };
}
