import * as vscode from 'vscode';
import type { ProjectContext } from '../services';

export const JOB_LOG_SCHEME = 'gitlab-job-log';

/**
 * `gitlab-job-log:/<project path>/-/jobs/<id>/<job name> #<id>?instance=<url>`: everything needed to follow the
 * log again (after a window reload too), with the job's name as the editor's title.
 */
export function jobLogUri(project: ProjectContext, job: { id: number; name: string }): vscode.Uri {
  const title = `${job.name.replace(/[\\/]/g, '∕')} #${job.id}`;
  return vscode.Uri.from({
    scheme: JOB_LOG_SCHEME,
    path: `/${project.projectPath}/-/jobs/${job.id}/${title}`,
    query: new URLSearchParams({ instance: project.instanceUrl }).toString(),
  });
}

/** The project and job a job-log address names; undefined for anything else. */
export function parseJobLogUri(uri: vscode.Uri): { project: ProjectContext; jobId: number } | undefined {
  const match = /^\/(.+)\/-\/jobs\/(\d+)\/[^/]*$/.exec(uri.path);
  const instanceUrl = new URLSearchParams(uri.query).get('instance');
  if (uri.scheme !== JOB_LOG_SCHEME || !match?.[1] || !match[2] || !instanceUrl) return undefined;
  const projectPath = match[1];
  return { project: { key: `${instanceUrl}|${projectPath}`, instanceUrl, projectPath }, jobId: Number(match[2]) };
}

/** One key per job and instance, for the follows kept open. */
export function jobKey(project: ProjectContext, jobId: number): string {
  return `${project.key}#${jobId}`;
}
