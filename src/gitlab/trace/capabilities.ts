import type { GitLab } from '../index';
import type { ProjectRef } from '../models';

/**
 * What each instance's trace endpoint can do, learned once. Newest GitLab serves slices
 * (`byte_offset`/`byte_limit`); older ones ignore both and send the whole log. A failed probe is not
 * remembered, so the next caller probes again.
 */
export class TraceCapabilities {
  private readonly sliceSupport = new Map<string, boolean>();

  async servesSlices(gitlab: GitLab, project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<boolean> {
    const instance = gitlab.client.instanceUrl.href;
    const known = this.sliceSupport.get(instance);
    if (known !== undefined) return known;
    const slices = await gitlab.jobs.servesTraceSlices(project, jobId, signal);
    this.sliceSupport.set(instance, slices);
    return slices;
  }

  /** The server failed or stopped honouring ranges (an upgrade rolled back, a proxy in between): probe again. */
  forget(gitlab: GitLab): void {
    this.sliceSupport.delete(gitlab.client.instanceUrl.href);
  }
}
