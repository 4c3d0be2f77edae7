import type { Services } from '../../services';
import { registerCancelJob } from './cancelJob';
import { registerCopyJobId } from './copyJobId';
import { registerCopyJobUrl } from './copyJobUrl';
import { registerEraseJob } from './eraseJob';
import { registerOpenJobInBrowser } from './openJobInBrowser';
import { registerPlayJob } from './playJob';
import { registerRetryJob } from './retryJob';

/** Job and pipeline actions: retry, cancel, play, erase, run, open, copy. */
export function registerActionCommands(services: Services): void {
  registerRetryJob(services);
  registerCancelJob(services);
  registerPlayJob(services);
  registerEraseJob(services);
  registerOpenJobInBrowser(services);
  registerCopyJobUrl(services);
  registerCopyJobId(services);
}
