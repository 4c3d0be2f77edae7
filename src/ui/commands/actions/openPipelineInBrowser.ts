import type { Services } from '../../services';
import { resolvePipeline } from '../pick';
import { registerCommand } from '../register';
import { openWebUrl } from './shared';

/** "Open Pipeline in Browser". Automation: `(project, pipeline)`; returns whether the browser was asked to open it. */
export function registerOpenPipelineInBrowser(services: Services): void {
  registerCommand(services, 'gitlabCiLens.openPipelineInBrowser', 'Open pipeline in browser', async (...args: unknown[]): Promise<boolean> => {
    const target = await resolvePipeline(services, args);
    return target ? openWebUrl(target.pipeline.web_url) : false;
  });
}
