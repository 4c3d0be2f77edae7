import * as vscode from 'vscode';
import type { PipelineDetail } from '../../../gitlab/models';
import type { ProjectContext, Services } from '../../services';
import { pickProject } from '../pick';
import { registerCommand } from '../register';
import { canWrite, notify, openWebUrl, refreshAfterAction } from './shared';
import { resolveVariables } from './variables';

/**
 * "Run Pipeline…": a new pipeline for a ref (the checked-out branch first, then refs of recent pipelines,
 * or any typed one) with variables for this run. Automation: `(project, ref, variables?)` with `variables`
 * as `[{ key, value }]` (`[]` for none; left out, they are asked); returns the created pipeline.
 */
export function registerRunPipeline(services: Services): void {
  registerCommand(services, 'gitlabCiLens.runPipeline', 'Run pipeline', async (...args: unknown[]): Promise<PipelineDetail | undefined> => {
    const [projectArgument, refArgument, variablesArgument] = args;
    const project = knownProject(services, projectArgument) ?? (await pickProject(services));
    if (!project || !canWrite(services, project, 'Run pipeline')) return undefined;
    const ref = typeof refArgument === 'string' ? refArgument : await pickRef(project, recentRefs(services, project));
    if (!ref) return undefined;
    const variables = await resolveVariables(variablesArgument, `Run Pipeline for ${ref} (2/2): variables`);
    if (!variables) return undefined;
    const gitlab = await services.gitlabFor(project);
    const created = await gitlab.pipelines.create(project.projectPath, ref, variables);
    await refreshAfterAction(services, project, created.id);
    notify(services, 'info', `Started pipeline #${created.id} for ${ref}.`, { title: 'Open in Browser', run: () => openWebUrl(created.web_url) });
    return created;
  });
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

/** A quick pick of known refs that also takes any typed ref (a branch or tag nobody ran yet). */
function pickRef(project: ProjectContext, refs: string[]): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick();
  quickPick.title = `Run Pipeline in ${project.projectPath} (1/2)`;
  quickPick.placeholder = 'Branch or tag: pick one, or type any ref';
  quickPick.ignoreFocusOut = true;
  const knownItems: vscode.QuickPickItem[] = refs.map((ref) => ({ label: ref, description: ref === project.branch ? 'checked out' : undefined }));
  quickPick.items = knownItems;
  quickPick.onDidChangeValue((value) => {
    const typed = value.trim();
    quickPick.items = typed && !refs.includes(typed) ? [{ label: typed, description: 'typed ref' }, ...knownItems] : knownItems;
  });
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.label ?? (quickPick.value.trim() || undefined));
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined); // no effect after an accept: a promise settles once
      quickPick.dispose();
    });
    quickPick.show();
  });
}
