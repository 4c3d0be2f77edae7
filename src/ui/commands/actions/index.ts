import type { Services } from '../../services';
import { registerCancelJob } from './cancelJob';
import { registerCancelPipeline } from './cancelPipeline';
import { registerCopyJobId } from './copyJobId';
import { registerCopyJobUrl } from './copyJobUrl';
import { registerEraseJob } from './eraseJob';
import { registerOpenJobInBrowser } from './openJobInBrowser';
import { registerOpenPipelineInBrowser } from './openPipelineInBrowser';
import { registerPipelineActions } from './pipelineActions';
import { registerPlayJob } from './playJob';
import { registerRetryJob } from './retryJob';
import { registerRetryPipeline } from './retryPipeline';
import { registerRunPipeline } from './runPipeline';

/** Job and pipeline actions: retry, cancel, play, erase, run, open, copy. */
export function registerActionCommands(services: Services): void {
  registerRetryJob(services);
  registerCancelJob(services);
  registerPlayJob(services);
  registerEraseJob(services);
  registerOpenJobInBrowser(services);
  registerCopyJobUrl(services);
  registerCopyJobId(services);
  registerRetryPipeline(services);
  registerCancelPipeline(services);
  registerRunPipeline(services);
  registerOpenPipelineInBrowser(services);
  registerPipelineActions(services);
}
