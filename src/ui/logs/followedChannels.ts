import * as vscode from 'vscode';
import type { GitLabError } from '../../gitlab/errors';
import type { Job } from '../../gitlab/models';
import { lineToPlainText, type RenderedLine } from '../../gitlab/trace/renderer';
import { describeFailure } from '../failureMessages';
import type { ProjectContext, Services } from '../services';
import { type FollowResult, type LogSink, feedOptions, LogFeed } from './feed';
import { jobKey } from './jobLogUri';
import { jobOutcomeLine, jobTitleLine, restartLine, retryingLine, RULE, waitingLine, waitsToStart } from './jobSummary';

/** What "Follow Job Log" hands automation: the channel's name, and how (and when) the follow ended. */
export interface FollowHandle {
  channelName: string;
  done: Promise<FollowResult>;
}

/** A job followed somewhere (an output channel or a document), as "Stop Following" lists it. */
export interface ActiveFollow {
  /** `jobKey(project, jobId)`. */
  key: string;
  label: string;
  description: string;
  stop(): void;
}

interface ChannelFollow {
  project: ProjectContext;
  job: Job;
  channel: vscode.OutputChannel;
  feed: LogFeed;
  result?: FollowResult;
}

/** An output channel per followed job: header, the rendered log as it arrives, and a footer saying how it ended. */
export class FollowedChannels implements vscode.Disposable {
  private readonly follows = new Map<string, ChannelFollow>();

  constructor(private readonly services: Services) {}

  /**
   * Follows a job's log in its own channel. A job followed already, or whose whole log is shown, is only
   * revealed; one whose follow was stopped or failed is followed again in the same channel.
   */
  follow(project: ProjectContext, job: Job): FollowHandle {
    const key = jobKey(project, job.id);
    const existing = this.follows.get(key);
    if (existing && (existing.feed.active || existing.result?.outcome === 'finished')) {
      existing.channel.show(true);
      return { channelName: existing.channel.name, done: existing.feed.done };
    }
    const channel = existing?.channel ?? vscode.window.createOutputChannel(`GitLab: ${job.name} #${job.id}`);
    channel.clear();
    writeHeader(channel, job);
    channel.show(true);
    const feed = new LogFeed(
      () => this.services.gitlabFor(project),
      project.projectPath,
      job.id,
      feedOptions(this.services.settings, this.services.traceCapabilities),
      new ChannelSink(channel, job),
    );
    const follow: ChannelFollow = { project, job, channel, feed };
    this.follows.set(key, follow);
    void feed.done.then((result) => this.ended(follow, result));
    return { channelName: channel.name, done: feed.done };
  }

  active(): ActiveFollow[] {
    return [...this.follows.entries()]
      .filter(([, follow]) => follow.feed.active)
      .map(([key, follow]) => ({
        key,
        label: `${follow.job.name} #${follow.job.id}`,
        description: vscode.l10n.t('output channel · {0}', follow.project.projectPath),
        stop: () => follow.feed.stop(),
      }));
  }

  dispose(): void {
    for (const follow of this.follows.values()) {
      follow.feed.stop();
      follow.channel.dispose();
    }
    this.follows.clear();
  }

  private ended(follow: ChannelFollow, result: FollowResult): void {
    follow.result = result;
    if (this.follows.get(jobKey(follow.project, follow.job.id)) !== follow) return; // disposed meanwhile
    const { channel } = follow;
    channel.appendLine(RULE);
    if (result.outcome === 'finished') {
      channel.appendLine(jobOutcomeLine(result.job));
    } else if (result.outcome === 'stopped') {
      channel.appendLine('… Stopped following.');
    } else {
      channel.appendLine(vscode.l10n.t('… Stopped following: {0}', describeFailure('Following the log', result.error).message));
      void this.services.log.reportFailure(`Follow the log of ${follow.job.name} #${follow.job.id}`, result.error);
    }
  }
}

function writeHeader(channel: vscode.OutputChannel, job: Job): void {
  channel.appendLine(jobTitleLine(job));
  channel.appendLine(job.web_url);
  channel.appendLine(RULE);
}

/** Appends as text arrives: output channels batch appends themselves, so no throttling here. */
class ChannelSink implements LogSink {
  constructor(
    private readonly channel: vscode.OutputChannel,
    private latestJob: Job,
  ) {}

  job(job: Job): void {
    this.latestJob = job;
    if (waitsToStart(job)) this.channel.appendLine(waitingLine(job));
  }

  lines(lines: RenderedLine[]): void {
    this.channel.append(lines.map(lineToPlainText).join('\n') + '\n');
  }

  retrying(error: GitLabError, retryInMs: number): void {
    this.channel.appendLine(retryingLine(error, retryInMs));
  }

  restart(reason: string): void {
    this.channel.clear();
    writeHeader(this.channel, this.latestJob);
    this.channel.appendLine(restartLine(reason));
  }
}
