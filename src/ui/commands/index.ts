import type { Services } from '../services';
import { registerActionCommands } from './actions';
import { registerAddAccount } from './addAccount';
import { registerChooseProject } from './chooseProject';
import { registerFilterPipelines } from './filterPipelines';
import { registerRemoveAccount } from './removeAccount';
import { registerViewCommands } from './viewCommands';
import { registerLogCommands } from '../logs';
import { registerArtifactCommands } from '../artifacts';

export function registerCommands(services: Services): void {
  registerAddAccount(services);
  registerRemoveAccount(services);
  registerChooseProject(services);
  registerFilterPipelines(services);
  registerViewCommands(services);
  registerActionCommands(services);
  registerLogCommands(services);
  registerArtifactCommands(services);
}
