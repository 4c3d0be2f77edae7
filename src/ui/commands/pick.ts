import * as vscode from 'vscode';
import type { Job, Pipeline } from '../../gitlab/models';
import type { ProjectContext, Services } from '../services';
import { JobNode, PipelineNode } from '../tree/nodes';
import { statusCodicon, statusLabel } from '../tree/statusIcons';

/** What a job command acts on: given by a tree node, or picked from the palette. */
export interface JobTarget {
  project: ProjectContext;
  job: Job;
}

export interface PipelineTarget {
  project: ProjectContext;
  pipeline: Pipeline;
}

/** The project to act in: the only one, or picked. */
export async function pickProject(services: Services): Promise<ProjectContext | undefined> {
  const projects = services.projects.list();
  if (projects.length <= 1) return projects[0];
  const picked = await vscode.window.showQuickPick(
    projects.map((project) => ({ label: project.projectPath, description: project.branch, project })),
    { placeHolder: vscode.l10n.t('Which project?') },
  );
  return picked?.project;
}

/** A pipeline from a node or the arguments the status bar passes, else picked from recent ones. */
export async function resolvePipeline(services: Services, args: unknown[]): Promise<PipelineTarget | undefined> {
  const [first, second] = args;
  if (first instanceof PipelineNode) return { project: first.project, pipeline: first.pipeline };
  if (isProject(first) && isPipeline(second)) return { project: first, pipeline: second };
  const project = await pickProject(services);
  if (!project) return undefined;
  const state = services.model.stateOf(project);
  const pipelines = [...(state?.current ? [state.current] : []), ...(state?.recent ?? [])];
  if (pipelines.length === 0) throw new Error(`No pipelines loaded for ${project.projectPath}: refresh the Pipelines view first`);
  const picked = await vscode.window.showQuickPick(
    pipelines.map((pipeline) => ({ label: `$(${statusCodicon(pipeline.status)}) #${pipeline.id}`, description: `${pipeline.ref} · ${statusLabel(pipeline.status)}`, pipeline })),
    { placeHolder: vscode.l10n.t('Which pipeline?') },
  );
  return picked && { project, pipeline: picked.pipeline };
}

/**
 * A job from a node or arguments, else picked from the current branch's pipeline (or a chosen one);
 * `filter` keeps the jobs the command can act on.
 */
export async function resolveJob(services: Services, args: unknown[], filter: (job: Job) => boolean = () => true, placeHolder = vscode.l10n.t('Which job?')): Promise<JobTarget | undefined> {
  const [first, second] = args;
  if (first instanceof JobNode) return { project: first.project, job: first.job };
  if (isProject(first) && isJob(second)) return { project: first, job: second };
  const target = await resolvePipeline(services, []);
  if (!target) return undefined;
  const { jobs } = await services.model.jobsOf(target.project, target.pipeline.id);
  const candidates = jobs.filter(filter);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No job in pipeline #{0} fits.', target.pipeline.id));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((job) => ({ label: `$(${statusCodicon(job.status)}) ${job.name}`, description: `${job.stage} · ${statusLabel(job.status)} · #${job.id}`, job })),
    { placeHolder },
  );
  return picked && { project: target.project, job: picked.job };
}

export function isProject(value: unknown): value is ProjectContext {
  return typeof value === 'object' && value !== null && 'key' in value && 'instanceUrl' in value && 'projectPath' in value;
}

function isPipeline(value: unknown): value is Pipeline {
  return typeof value === 'object' && value !== null && 'id' in value && 'sha' in value && 'ref' in value && !('stage' in value);
}

function isJob(value: unknown): value is Job {
  return typeof value === 'object' && value !== null && 'id' in value && 'stage' in value && 'name' in value;
}
