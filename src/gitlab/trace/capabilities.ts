import type { GitLab } from '../index';
import type { ProjectRef } from '../models';

/**
 * What each instance's trace endpoint can do, learned once. Newest GitLab serves `byte_offset`/`byte_limit`;
 * older ones ignore both and send the whole log, which a one-byte request tells apart.
 */
export class TraceCapabilities {
  private readonly byteRangeSupport = new Map<string, boolean>();

  async byteRanges(gitlab: GitLab, project: ProjectRef, jobId: number, signal?: AbortSignal): Promise<boolean> {
    const instance = gitlab.client.instanceUrl.href;
    const known = this.byteRangeSupport.get(instance);
    if (known !== undefined) return known;
    const probe = await gitlab.jobs.trace(project, jobId, { byteOffset: 0, byteLimit: 1, signal });
    const length = (await probe.body.arrayBuffer()).byteLength;
    // An empty log proves nothing either way: ask again next time, fetch it whole meanwhile (it is small).
    if (length === 0) return false;
    this.byteRangeSupport.set(instance, length === 1);
    return length === 1;
  }

  /** The server stopped honouring ranges (an upgrade rolled back, a proxy in between): probe again. */
  forget(gitlab: GitLab): void {
    this.byteRangeSupport.delete(gitlab.client.instanceUrl.href);
  }
}
