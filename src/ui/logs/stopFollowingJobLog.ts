import * as vscode from 'vscode';
import type { Services } from '../services';
import { resolveJob } from '../commands/pick';
import { registerCommand } from '../commands/register';
import type { ActiveFollow } from './followedChannels';
import { jobKey } from './jobLogUri';

/**
 * "Stop Following Job Log": ends the follows of a job (given by a node or `(project, job)`), or of one picked
 * among those followed now, in channels and documents alike. What was shown stays. Returns how many ended.
 */
export function registerStopFollowingJobLog(services: Services, sources: readonly { active(): ActiveFollow[] }[]): void {
  registerCommand(services, 'gitlabCiLens.stopFollowingJobLog', 'Stop following job log', async (...args: unknown[]): Promise<number> => {
    const follows = sources.flatMap((source) => source.active());
    if (follows.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No job log is being followed.'));
      return 0;
    }
    const target = args.length > 0 ? await resolveJob(services, args) : undefined;
    const chosen = target ? follows.filter((follow) => follow.key === jobKey(target.project, target.job.id)) : await pick(follows);
    for (const follow of chosen) follow.stop();
    return chosen.length;
  });
}

async function pick(follows: ActiveFollow[]): Promise<ActiveFollow[]> {
  const picked = await vscode.window.showQuickPick(
    follows.map((follow) => ({ label: follow.label, description: follow.description, follow })),
    { placeHolder: vscode.l10n.t('Stop following which job log?') },
  );
  return picked ? [picked.follow] : [];
}
