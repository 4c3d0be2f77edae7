import { registerCommand } from '../commands/register';
import type { Services } from '../services';
import { registerPauseRunner } from './pauseRunner';
import { RunnersTree } from './provider';

/** The Runners section of the GitLab CI view and its commands; the tree is disposed with the extension. */
export function registerRunners(services: Services): RunnersTree {
  const runners = new RunnersTree(services);
  services.context.subscriptions.push(runners);
  registerCommand(services, 'gitlabCiLens.refreshRunners', 'Refreshing runners', () => runners.refresh());
  registerPauseRunner(services, runners);
  return runners;
}
