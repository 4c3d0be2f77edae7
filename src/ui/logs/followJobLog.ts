import * as vscode from 'vscode';
import type { Services } from '../services';
import { resolveJob } from '../commands/pick';
import { registerCommand } from '../commands/register';
import type { FollowedChannels, FollowHandle } from './followedChannels';
import { hasOrWillHaveLog } from './jobSummary';

/**
 * "Follow Job Log": the job's log in an output channel of its own, growing while the job runs. Automation:
 * `(project, job)` and gets `{ channelName, done }`, `done` settling when the follow ends.
 */
export function registerFollowJobLog(services: Services, channels: FollowedChannels): void {
  registerCommand(services, 'gitlabCiLens.followJobLog', 'Follow job log', async (...args: unknown[]): Promise<FollowHandle | undefined> => {
    const target = await resolveJob(services, args, hasOrWillHaveLog, vscode.l10n.t('Follow the log of which job?'));
    return target && channels.follow(target.project, target.job);
  });
}
