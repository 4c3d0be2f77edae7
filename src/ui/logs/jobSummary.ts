import * as vscode from 'vscode';
import type { GitLabError } from '../../gitlab/errors';
import { type Job, isActive } from '../../gitlab/models';
import { elapsedSeconds, formatDuration, jobCapabilities } from '../../gitlab/status';

/** The first line above a job's log: what ran, in which pipeline, on which ref. */
export function jobTitleLine(job: Job): string {
  return vscode.l10n.t('Job {0} #{1} · stage {2} · pipeline #{3} · {4}', job.name, job.id, job.stage, job.pipeline.id, job.ref);
}

const OUTCOMES: Record<string, string> = { success: 'succeeded', failed: 'failed', canceled: 'was canceled', skipped: 'was skipped' };

/** The line below a finished job's log: `Job succeeded in 1m 35s.`, `Job failed (script failure) after 12s.` */
export function jobOutcomeLine(job: Job): string {
  const outcome = OUTCOMES[job.status] ?? `ended as ${job.status.replace(/_/g, ' ')}`;
  const reason = job.status === 'failed' && job.failure_reason ? ` (${job.failure_reason.replace(/_/g, ' ')})` : '';
  const seconds = elapsedSeconds(job);
  const duration = seconds === undefined ? '' : `${job.status === 'success' ? ' in' : ' after'} ${formatDuration(seconds)}`;
  return `Job ${outcome}${reason}${duration}.`;
}

const WAITING_TO_START = new Set(['created', 'pending', 'preparing', 'waiting_for_resource', 'scheduled', 'manual']);

/** Has a log, or will once it runs: what following and opening logs offer. */
export function hasOrWillHaveLog(job: Job): boolean {
  return jobCapabilities(job).hasTrace || isActive(job.status);
}

/** Has no log yet: waits for a runner, for earlier stages, or for someone to start it. */
export function waitsToStart(job: Job): boolean {
  return WAITING_TO_START.has(job.status);
}

export function waitingLine(job: Job): string {
  return vscode.l10n.t('Waiting for the job to start ({0})…', job.status.replace(/_/g, ' '));
}

/** A passing failure while following, said in the log's own place so the reader knows why it paused. */
export function retryingLine(error: GitLabError, retryInMs: number): string {
  return `… GitLab did not answer (${error.reason.replace(/-/g, ' ')}); trying again in ${Math.max(1, Math.round(retryInMs / 1000))} s`;
}

export function restartLine(reason: string): string {
  return `… The log started again: ${reason}.`;
}

/** A rule between the header, the log and the footer. */
export const RULE = '─'.repeat(60);
