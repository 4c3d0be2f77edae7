import * as vscode from 'vscode';
import type { MergeRequestRef } from '../../gitlab/mergeRequests';
import type { Bridge, Job, Pipeline, PipelineDetail } from '../../gitlab/models';
import { elapsedSeconds, formatDuration } from '../../gitlab/status';
import { statusLabel } from './statusIcons';

/** Hover text of pipeline and job rows: GitLab's data, shown as untrusted Markdown. */
export function pipelineTooltip(pipeline: Pipeline | PipelineDetail, mergeRequest?: MergeRequestRef): vscode.MarkdownString {
  const detail = pipeline as PipelineDetail;
  const lines = [
    vscode.l10n.t('**Pipeline #{0}** · {1}', pipeline.id, statusLabel(pipeline.status)),
    mergeRequest ? vscode.l10n.t('Merge request !{0}: {1}', mergeRequest.iid, mergeRequest.title) : undefined,
    vscode.l10n.t('Ref: `{0}` · Commit: `{1}`', pipeline.ref, pipeline.sha.slice(0, 8)),
    pipeline.source ? vscode.l10n.t('Source: {0}', pipeline.source) : undefined,
    detail.user ? vscode.l10n.t('By {0} (@{1})', detail.user.name, detail.user.username) : undefined,
    vscode.l10n.t('Created {0}', new Date(pipeline.created_at).toLocaleString()),
    detail.duration != null ? vscode.l10n.t('Duration {0}', formatDuration(detail.duration)) : undefined,
  ];
  return untrustedMarkdown(lines);
}

export function jobTooltip(job: Job | Bridge): vscode.MarkdownString {
  const seconds = elapsedSeconds(job);
  const runner = 'runner' in job && job.runner ? job.runner.description ?? `#${job.runner.id}` : undefined;
  const lines = [
    job.allow_failure
      ? vscode.l10n.t('**{0}** (#{1}) · {2} · allowed to fail', job.name, job.id, statusLabel(job.status))
      : vscode.l10n.t('**{0}** (#{1}) · {2}', job.name, job.id, statusLabel(job.status)),
    vscode.l10n.t('Stage: {0} · Ref: `{1}`', job.stage, job.ref),
    job.failure_reason ? vscode.l10n.t('Failure: {0}', job.failure_reason.replace(/_/g, ' ')) : undefined,
    seconds !== undefined ? (job.finished_at ? vscode.l10n.t('Took {0}', formatDuration(seconds)) : vscode.l10n.t('Running for {0}', formatDuration(seconds))) : undefined,
    job.queued_duration != null ? vscode.l10n.t('Queued {0}', formatDuration(job.queued_duration)) : undefined,
    runner ? vscode.l10n.t('Runner: {0}', runner) : undefined,
    job.user ? vscode.l10n.t('By {0} (@{1})', job.user.name, job.user.username) : undefined,
  ];
  return untrustedMarkdown(lines);
}

/** GitLab data is untrusted: no command links, no HTML, and its text escaped. */
function untrustedMarkdown(lines: (string | undefined)[]): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  markdown.appendMarkdown(lines.filter((line): line is string => line !== undefined).map(escapeMarkdownExceptFormatting).join('  \n'));
  return markdown;
}

/** Escapes what GitLab users wrote (names, refs) while keeping the bold and code spans built above. */
function escapeMarkdownExceptFormatting(line: string): string {
  return line.replace(/([\\[\]()<>!#|])/g, '\\$1');
}
