import type { Services } from '../services';
import { FollowedChannels } from './followedChannels';
import { registerFollowJobLog } from './followJobLog';
import { JobLogDocuments } from './logDocuments';
import { registerOpenJobLog } from './openJobLog';
import { registerSaveRawJobLog } from './saveRawJobLog';
import { registerStopFollowingJobLog } from './stopFollowingJobLog';

/**
 * Following, opening and saving job logs. Each followed log is a follower feeding a renderer feeding a sink
 * (an output channel or a document); all of them end with the extension (context.subscriptions).
 */
export function registerLogCommands(services: Services): void {
  const channels = new FollowedChannels(services);
  const documents = new JobLogDocuments(services);
  services.context.subscriptions.push(channels, documents);
  registerFollowJobLog(services, channels);
  registerOpenJobLog(services, documents);
  registerStopFollowingJobLog(services, [channels, documents]);
  registerSaveRawJobLog(services);
}
