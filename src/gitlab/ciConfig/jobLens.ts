import type { Bridge, Job } from '../models';
import { elapsedSeconds, formatDuration } from '../status';

const MARKS: Record<string, string> = {
  success: '✓ passed', failed: '✗ failed', canceled: '⊘ canceled', canceling: '⊘ canceling', skipped: '» skipped',
  manual: '▶ manual', scheduled: '◷ scheduled', running: '● running', pending: '◌ pending', created: '◌ created',
  preparing: '◌ preparing', waiting_for_resource: '◌ waiting for resource', waiting_for_callback: '◌ waiting for callback',
};

/** A job's state in one short line for a lens above its key: `✓ passed 1m 12s · #1234`. */
export function jobLensTitle(job: Job | Bridge, now = Date.now()): string {
  const mark = MARKS[job.status] ?? job.status;
  const seconds = job.status === 'manual' || job.status === 'skipped' || job.status === 'created' ? undefined : elapsedSeconds(job, now);
  const allowed = job.status === 'failed' && job.allow_failure ? ' (allowed)' : '';
  return `${mark}${allowed}${seconds === undefined ? '' : ` ${formatDuration(seconds)}`} · #${job.id}`;
}

/** The newest attempt of each job name in a pipeline (retried attempts left out). */
export function latestJobsByName<T extends Job | Bridge>(jobs: readonly T[]): Map<string, T> {
  const byName = new Map<string, T>();
  for (const job of jobs) {
    const known = byName.get(job.name);
    if (!known || job.id > known.id) byName.set(job.name, job);
  }
  return byName;
}
