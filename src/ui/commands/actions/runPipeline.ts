import * as vscode from 'vscode';
import { type MergeRequestRef, parseMergeRequestRef } from '../../../gitlab/mergeRequests';
import type { PipelineDetail } from '../../../gitlab/models';
import type { ProjectContext, Services } from '../../services';
import { pickProject } from '../pick';
import { registerCommand } from '../register';
import { canWrite, notify, openWebUrl, refreshAfterAction } from './shared';
import { resolveVariables } from './variables';
import { resolvePipelineInputs } from '../../ciConfig/inputsPrompt';

/**
 * "Run Pipeline…": a new pipeline for a ref (the checked-out branch first, then refs of recent pipelines,
 * or any typed one) with variables for this run — or, when the branch has an open merge request, a merge
 * request pipeline for it (GitLab takes no variables there). When the CI file declares `spec:inputs`, each is
 * asked too (18.1+). Automation: `(project, ref, variables?, inputs?)` with
 * `variables` as `[{ key, value }]` (`[]` for none; left out, they are asked), or `(project, { mergeRequestIid })`;
 * returns the created pipeline.
 */
export function registerRunPipeline(services: Services): void {
  registerCommand(services, 'gitlabCiLens.runPipeline', 'Run pipeline', async (...args: unknown[]): Promise<PipelineDetail | undefined> => {
    const [projectArgument, refArgument, variablesArgument, inputsArgument] = args;
    const project = knownProject(services, projectArgument) ?? (await pickProject(services));
    if (!project || !canWrite(services, project, 'Run pipeline')) return undefined;
    const mergeRequest = services.model.stateOf(project)?.mergeRequest;
    const choice = typeof refArgument === 'string' ? refArgument : (mergeRequestIidOf(refArgument) ?? (await pickRef(project, recentRefs(services, project), mergeRequest)));
    if (choice === undefined) return undefined;
    if (typeof choice === 'number') return runForMergeRequest(services, project, choice);
    const ref = choice;
    const variables = await resolveVariables(variablesArgument, `Run Pipeline for ${ref} (2/2): variables`);
    if (!variables) return undefined;
    const inputs = await resolvePipelineInputs(services, project, ref, inputsArgument);
    if (!inputs) return undefined;
    const gitlab = await services.gitlabFor(project);
    const created = await gitlab.pipelines.create(project.projectPath, ref, variables, undefined, inputs);
    await refreshAfterAction(services, project, created.id);
    notify(services, 'info', vscode.l10n.t('Started pipeline #{0} for {1}.', created.id, ref), { title: vscode.l10n.t('Open in Browser'), run: () => openWebUrl(created.web_url) });
    return created;
  });
}

/** A detached merge request pipeline, as GitLab's "Run pipeline" button on the merge request makes. */
async function runForMergeRequest(services: Services, project: ProjectContext, iid: number): Promise<PipelineDetail> {
  const gitlab = await services.gitlabFor(project);
  const created = await gitlab.mergeRequests.createPipeline(project.projectPath, iid);
  await refreshAfterAction(services, project, created.id);
  notify(services, 'info', vscode.l10n.t('Started pipeline #{0} for merge request !{1}.', created.id, iid), { title: vscode.l10n.t('Open in Browser'), run: () => openWebUrl(created.web_url) });
  return created;
}

function mergeRequestIidOf(argument: unknown): number | undefined {
  const iid = (argument as { mergeRequestIid?: unknown } | null | undefined)?.mergeRequestIid;
  return typeof iid === 'number' && Number.isInteger(iid) && iid > 0 ? iid : undefined;
}

/** The workspace project automation named (by its key), so a stale or made-up one is not acted on. */
function knownProject(services: Services, argument: unknown): ProjectContext | undefined {
  const key = (argument as Partial<ProjectContext> | null | undefined)?.key;
  return key === undefined ? undefined : services.projects.list().find((project) => project.key === key);
}

/** The checked-out branch, then the refs of the pipelines the view has loaded, each once. */
function recentRefs(services: Services, project: ProjectContext): string[] {
  const state = services.model.stateOf(project);
  const pipelines = [...(state?.current ? [state.current] : []), ...(state?.recent ?? [])];
  return [...new Set([...(project.branch ? [project.branch] : []), ...pipelines.map((pipeline) => pipeline.ref)])];
}

type RefItem = vscode.QuickPickItem & { mergeRequestIid?: number };

/**
 * A quick pick of known refs that also takes any typed ref (a branch or tag nobody ran yet); the branch's
 * merge request, when it has one, comes first. Resolves a ref, or a merge request's iid.
 */
function pickRef(project: ProjectContext, refs: string[], mergeRequest: MergeRequestRef | undefined): Promise<string | number | undefined> {
  const quickPick = vscode.window.createQuickPick<RefItem>();
  quickPick.title = vscode.l10n.t('Run Pipeline in {0} (1/2)', project.projectPath);
  quickPick.placeholder = vscode.l10n.t('Branch or tag: pick one, or type any ref');
  quickPick.ignoreFocusOut = true;
  const mergeRequestItems: RefItem[] = mergeRequest
    ? [{ label: `!${mergeRequest.iid} ${mergeRequest.title}`, description: vscode.l10n.t('merge request pipeline'), mergeRequestIid: mergeRequest.iid }]
    : [];
  const knownItems: RefItem[] = [...mergeRequestItems, ...refs.filter((ref) => !parseMergeRequestRef(ref)).map((ref) => ({ label: ref, description: ref === project.branch ? 'checked out' : undefined }))];
  quickPick.items = knownItems;
  quickPick.onDidChangeValue((value) => {
    const typed = value.trim();
    quickPick.items = typed && !refs.includes(typed) ? [{ label: typed, description: vscode.l10n.t('typed ref') }, ...knownItems] : knownItems;
  });
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      const picked = quickPick.selectedItems[0];
      resolve(picked?.mergeRequestIid ?? picked?.label ?? (quickPick.value.trim() || undefined));
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined); // no effect after an accept: a promise settles once
      quickPick.dispose();
    });
    quickPick.show();
  });
}
