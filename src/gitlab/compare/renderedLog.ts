import type { GitLab } from '../index';
import type { ProjectRef } from '../models';
import { TraceRenderer, lineToPlainText } from '../trace/renderer';
import { normalizeLogLine, type RunIdentity } from './normalize';

export { normalizeLogLine, type RunIdentity } from './normalize';
export { findLastSuccessfulRun, type LastSuccessfulRun } from './lastSuccessful';

/** The most of each log shown in a comparison: a diff of more would not help anyone, and memory stays bounded. */
export const MAX_COMPARED_LINES = 50_000;

/** A job's log rendered and normalised for a diff, at most `maxLines` lines (the last line says when cut). */
export async function normalizedLog(gitlab: GitLab, project: ProjectRef, jobId: number, identity: RunIdentity, maxLines = MAX_COMPARED_LINES, signal?: AbortSignal): Promise<string> {
  const response = await gitlab.jobs.trace(project, jobId, { signal });
  const renderer = new TraceRenderer();
  const lines: string[] = [];
  let cut = false;
  const add = (rendered: ReturnType<TraceRenderer['push']>) => {
    for (const line of rendered) {
      if (lines.length >= maxLines) cut = true;
      else lines.push(normalizeLogLine(lineToPlainText(line), identity));
    }
  };
  // Leaving the loop early destroys the body: the rest of a huge log is never downloaded.
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    add(renderer.push(chunk));
    if (cut) break;
  }
  if (!cut) add(renderer.end());
  if (cut) lines.push(`… The log goes on: only its first ${maxLines} lines are compared.`);
  return lines.join('\n');
}
