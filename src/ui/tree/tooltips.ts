import * as vscode from 'vscode';
import type { MergeRequestRef } from '../../gitlab/mergeRequests';
import type { Bridge, Job, Pipeline, PipelineDetail } from '../../gitlab/models';
import { elapsedSeconds, formatDuration } from '../../gitlab/status';
import { statusLabel } from './statusIcons';

/** Hover text of pipeline and job rows: GitLab's data, shown as untrusted Markdown. */
export function pipelineTooltip(pipeline: Pipeline | PipelineDetail, mergeRequest?: MergeRequestRef): vscode.MarkdownString {
  const detail = pipeline as PipelineDetail;
  const lines = [
    `**Pipeline #${pipeline.id}** · ${statusLabel(pipeline.status)}`,
    mergeRequest ? `Merge request !${mergeRequest.iid}: ${mergeRequest.title}` : undefined,
    `Ref: \`${pipeline.ref}\` · Commit: \`${pipeline.sha.slice(0, 8)}\``,
    pipeline.source ? `Source: ${pipeline.source}` : undefined,
    detail.user ? `By ${detail.user.name} (@${detail.user.username})` : undefined,
    `Created ${new Date(pipeline.created_at).toLocaleString()}`,
    detail.duration != null ? `Duration ${formatDuration(detail.duration)}` : undefined,
  ];
  return untrustedMarkdown(lines);
}

export function jobTooltip(job: Job | Bridge): vscode.MarkdownString {
  const seconds = elapsedSeconds(job);
  const runner = 'runner' in job && job.runner ? job.runner.description ?? `#${job.runner.id}` : undefined;
  const lines = [
    `**${job.name}** (#${job.id}) · ${statusLabel(job.status)}${job.allow_failure ? ' · allowed to fail' : ''}`,
    `Stage: ${job.stage} · Ref: \`${job.ref}\``,
    job.failure_reason ? `Failure: ${job.failure_reason.replace(/_/g, ' ')}` : undefined,
    seconds !== undefined ? `${job.finished_at ? 'Took' : 'Running for'} ${formatDuration(seconds)}` : undefined,
    job.queued_duration != null ? `Queued ${formatDuration(job.queued_duration)}` : undefined,
    runner ? `Runner: ${runner}` : undefined,
    job.user ? `By ${job.user.name} (@${job.user.username})` : undefined,
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
