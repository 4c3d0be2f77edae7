// One measured process (forked by index.ts): an idle baseline that loads what a download loads, or a download
// of the archive through our core. Reports its peak resident memory and timing to the parent over IPC.

import { performance } from 'node:perf_hooks';
import { GitLab } from '../../src/gitlab';
import { downloadArchiveInto, downloadToFile } from '../../src/gitlab/archive/download';
import { peakRssTracker } from '../memory';

/** `receive` reads the body and drops it: what receiving alone costs, for context. */
export type ChildMode = 'idle' | 'receive' | 'download' | 'download-extract';

export interface ChildJob {
  readonly mode: ChildMode;
  readonly instanceUrl: string;
  readonly token: string;
  readonly project: string;
  readonly jobId: number;
  /** A file for `download`, a folder for `download-extract`. */
  readonly destination: string;
}

export interface ChildReport {
  readonly peakRssBytes: number;
  readonly seconds: number;
  readonly bytes: number;
}

async function run(job: ChildJob): Promise<ChildReport> {
  const peakRss = peakRssTracker();
  const gitlab = new GitLab({ instanceUrl: job.instanceUrl, token: job.token });
  const started = performance.now();
  let bytes = 0;
  if (job.mode === 'download') {
    bytes = (await downloadToFile(await gitlab.artifacts.downloadArchive(job.project, { jobId: job.jobId }), job.destination)).size;
  } else if (job.mode === 'receive') {
    for await (const chunk of (await gitlab.artifacts.downloadArchive(job.project, { jobId: job.jobId })).body as AsyncIterable<Buffer>) bytes += chunk.length;
  } else if (job.mode === 'download-extract') {
    bytes = (await downloadArchiveInto(gitlab, job.project, { jobId: job.jobId }, job.destination)).archiveBytes;
  } else {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { peakRssBytes: peakRss(), seconds: (performance.now() - started) / 1000, bytes };
}

process.once('message', (job: ChildJob) => {
  run(job).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
