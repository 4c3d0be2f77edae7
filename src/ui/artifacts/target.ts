import * as vscode from 'vscode';
import type { ArchiveSelector } from '../../gitlab/artifacts';
import { parseMergeRequestRef, refLabel } from '../../gitlab/mergeRequests';
import type { Job } from '../../gitlab/models';
import { jobCapabilities } from '../../gitlab/status';
import { pickProject, resolveJob } from '../commands/pick';
import type { ProjectContext, Services } from '../services';
import { ArchiveEntryNode, ArtifactNode } from '../tree/nodes';

/** The archive an artifact command acts on. */
export interface ArtifactsTarget {
  project: ProjectContext;
  selector: ArchiveSelector;
  /** Unknown for an archive named by branch or tag: GitLab picks the job when it answers. */
  job?: Job;
}

/** "'build' (#5001)", or "'build' of main" when only the ref is known. */
export function targetTitle(target: ArtifactsTarget): string {
  if (target.job) return `'${target.job.name}' (#${target.job.id})`;
  return 'jobId' in target.selector ? `#${target.selector.jobId}` : `'${target.selector.job}' of ${refLabel(target.selector.ref)}`;
}

/**
 * From a tree node (job, archive or one of its entries), from automation arguments — `(project, job)` or
 * `(project, { jobId } | { ref, job })` — else asked: a job of a pipeline, a job id, or a branch or tag and
 * a job name.
 */
export async function resolveArtifactsTarget(services: Services, args: unknown[]): Promise<ArtifactsTarget | undefined> {
  const [first, second] = args;
  if (first instanceof ArtifactNode || first instanceof ArchiveEntryNode) return { project: first.project, selector: { jobId: first.job.id }, job: first.job };
  if (isProjectContext(first) && isArchiveSelector(second)) return withJob(services, first, second);
  if (first !== undefined) return fromJob(await resolveJob(services, args));

  const how = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('From a pipeline…'), way: 'pipeline' as const },
      { label: vscode.l10n.t('By job ID…'), way: 'jobId' as const },
      { label: vscode.l10n.t('By branch, tag or merge request and job name…'), way: 'ref' as const, detail: vscode.l10n.t('The job of the newest successful pipeline there') },
    ],
    { placeHolder: vscode.l10n.t('Whose artifacts?') },
  );
  if (!how) return undefined;
  if (how.way === 'pipeline') return fromJob(await resolveJob(services, [], (job) => jobCapabilities(job).hasArchive, vscode.l10n.t('Which job’s artifacts?')));
  const project = await pickProject(services);
  if (!project) return undefined;
  if (how.way === 'jobId') {
    const jobId = await vscode.window.showInputBox({
      prompt: vscode.l10n.t('A job ID in {0}', project.projectPath),
      validateInput: (value) => (/^\d+$/.test(value.trim()) ? undefined : vscode.l10n.t('A job ID is a number')),
    });
    return jobId === undefined ? undefined : withJob(services, project, { jobId: Number(jobId.trim()) });
  }
  const typed = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('Branch, tag, or merge request (!iid for its detached pipelines, or refs/merge-requests/<iid>/head|merge)'),
    value: defaultRef(services, project),
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Name a branch, tag or merge request')),
  });
  if (typed === undefined) return undefined;
  const ref = expandMergeRequestRef(typed.trim());
  const job = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Job name in the newest successful pipeline of {0}', refLabel(ref)), validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Name a job')) });
  return job === undefined ? undefined : { project, selector: { ref, job: job.trim() } };
}

/** The current pipeline's ref when it is a merge request's (an MR-only branch has no pipeline of its own), else the branch. */
function defaultRef(services: Services, project: ProjectContext): string | undefined {
  const currentRef = services.model.stateOf(project)?.current?.ref;
  return currentRef && parseMergeRequestRef(currentRef) ? currentRef : project.branch;
}

/** `!12` is shorthand for the merge request's detached pipelines' ref, `refs/merge-requests/12/head`. */
function expandMergeRequestRef(ref: string): string {
  const iid = /^!(\d+)$/.exec(ref)?.[1];
  return iid ? `refs/merge-requests/${iid}/head` : ref;
}

/** A job id is looked up, so names and sizes are known (and a wrong id fails before anything is written). */
async function withJob(services: Services, project: ProjectContext, selector: ArchiveSelector): Promise<ArtifactsTarget> {
  if (!('jobId' in selector)) return { project, selector };
  const gitlab = await services.gitlabFor(project);
  return { project, selector, job: await gitlab.jobs.get(project.projectPath, selector.jobId) };
}

function fromJob(target: { project: ProjectContext; job: Job } | undefined): ArtifactsTarget | undefined {
  return target && { project: target.project, selector: { jobId: target.job.id }, job: target.job };
}

export function isProjectContext(value: unknown): value is ProjectContext {
  return typeof value === 'object' && value !== null && 'key' in value && 'instanceUrl' in value && 'projectPath' in value;
}

function isArchiveSelector(value: unknown): value is ArchiveSelector {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.jobId === 'number' || (typeof candidate.ref === 'string' && typeof candidate.job === 'string');
}

/** The last argument when it is a plain options object (automation), e.g. `{ overwrite: true }`. */
export function automationOptions<T extends object>(args: unknown[]): Partial<T> {
  const last = args[args.length - 1];
  const plain = typeof last === 'object' && last !== null && Object.getPrototypeOf(last) === Object.prototype;
  return plain && !isProjectContext(last) && !isArchiveSelector(last) && !('stage' in last) ? last : {};
}
