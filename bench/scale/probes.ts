// Measures of the extension host taken from inside it (host.ts runs there): its CPU, and its heap right
// after a full garbage collection, through the inspector protocol on an in-process session (no inspect
// port needed: code-server starts the extension host without one).
import { Session } from 'node:inspector';
import type { HeapSample } from './contract';

export class HostProbes {
  private readonly session = new Session();
  private lastCpu = process.cpuUsage();
  private lastAt = Date.now();

  constructor() {
    this.session.connect();
  }

  /** CPU (user + system) of the whole process since the previous call, % of one core. */
  cpuPercentSinceLast(): number {
    const cpu = process.cpuUsage(this.lastCpu);
    const now = Date.now();
    const percent = ((cpu.user + cpu.system) / 1000 / Math.max(1, now - this.lastAt)) * 100;
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    return percent;
  }

  /** HeapProfiler.collectGarbage, then Runtime.getHeapUsage: the heap that survives a full collection. */
  async sample(): Promise<HeapSample> {
    const cpuPercent = this.cpuPercentSinceLast();
    await this.post('HeapProfiler.collectGarbage');
    const usage = (await this.post('Runtime.getHeapUsage')) as { usedSize: number };
    return { at: Date.now(), heapAfterGcBytes: usage.usedSize, rssBytes: process.memoryUsage.rss(), cpuPercent };
  }

  dispose(): void {
    this.session.disconnect();
  }

  private post(method: string): Promise<unknown> {
    return new Promise((resolve, reject) => this.session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  }
}
