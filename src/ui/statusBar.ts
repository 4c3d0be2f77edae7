import * as vscode from 'vscode';
import { type MergeRequestRef, refLabel } from '../gitlab/mergeRequests';
import { type PipelineDetail, isFinished } from '../gitlab/models';
import { elapsedSeconds, formatDuration } from '../gitlab/status';
import type { Logger } from './log';
import type { Projects } from './projects';
import type { ProjectContext } from './services';
import type { Settings } from './settings';
import type { PipelinesModel } from './tree/model';
import { statusCodicon, statusLabel } from './tree/statusIcons';

/**
 * The current branch's pipeline at a glance: "$(sync~spin) Pipeline running 3/7". Click for actions.
 * Reads the model only; hidden when the workspace has no GitLab project.
 */
export class PipelineStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gitlabCiLens.pipeline', vscode.StatusBarAlignment.Left, 40);
  private readonly disposables: vscode.Disposable[] = [this.item];
  /** Last status seen per project, to notify once when a pipeline finishes. */
  private readonly lastStatus = new Map<string, { id: number; status: string }>();
  private updating = Promise.resolve();

  constructor(
    private readonly model: PipelinesModel,
    private readonly projects: Projects,
    private readonly settings: Settings,
    private readonly log: Logger,
  ) {
    this.item.name = vscode.l10n.t('GitLab Pipeline');
    this.disposables.push(
      model.onDidChange(() => this.queueUpdate()),
      projects.onDidChange(() => this.queueUpdate()),
      vscode.window.onDidChangeActiveTextEditor(() => this.queueUpdate()),
    );
    this.queueUpdate();
  }

  /** The project of the active editor's repository, else the first one. */
  primaryProject(): ProjectContext | undefined {
    const projects = this.projects.list();
    const document = vscode.window.activeTextEditor?.document.uri;
    const containing = document && projects.find((project) => project.repositoryRoot && document.fsPath.startsWith(project.repositoryRoot.fsPath));
    return containing ?? projects[0];
  }

  /** Visible text, for tests and screenshots. */
  get text(): string {
    return this.item.text;
  }

  private queueUpdate(): void {
    this.updating = this.updating.then(() => this.update()).catch((error: unknown) => this.log.error('Status bar update failed', error));
  }

  private async update(): Promise<void> {
    const project = this.primaryProject();
    if (!project) {
      this.item.hide();
      return;
    }
    const state = this.model.stateOf(project);
    if (!state) {
      // Nothing has landed yet: "No pipeline" would be a guess.
      this.item.text = vscode.l10n.t('$(loading~spin) Pipeline…');
      this.item.tooltip = vscode.l10n.t('Looking for the current pipeline of {0} in {1}', project.branch ?? project.projectPath, project.projectPath);
      this.item.command = 'gitlabCiLens.pipelines.focus';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const pipeline = state.current;
    const mergeRequest = state.mergeRequest;
    if (!pipeline) {
      this.item.text = vscode.l10n.t('$(circle-outline) No pipeline');
      const branch = mergeRequest ? `!${mergeRequest.iid} (${project.branch ?? ''})` : project.branch;
      this.item.tooltip = branch ? vscode.l10n.t('No pipeline for {0} in {1}', branch, project.projectPath) : project.projectPath;
      this.item.command = 'gitlabCiLens.pipelines.focus';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const icon = statusCodicon(pipeline.status);
    let progress = '';
    try {
      const { jobs, bridges } = await this.model.jobsOf(project, pipeline.id);
      // Trigger jobs (bridges) are jobs of the pipeline too: "3/7" counts them.
      const countable = [...jobs, ...bridges].filter((job) => job.status !== 'manual' && job.status !== 'skipped');
      if (!isFinished(pipeline.status) && countable.length > 0) progress = ` ${countable.filter((job) => isFinished(job.status)).length}/${countable.length}`;
    } catch {
      // The counts are a nicety: the status alone still says what matters.
    }
    this.item.text = mergeRequest
      ? vscode.l10n.t('$({0}) !{1} Pipeline {2}{3}', icon, mergeRequest.iid, statusLabel(pipeline.status), progress)
      : vscode.l10n.t('$({0}) Pipeline {1}{2}', icon, statusLabel(pipeline.status), progress);
    this.item.tooltip = tooltip(project, pipeline, mergeRequest);
    this.item.command = { command: 'gitlabCiLens.pipelineActions', title: vscode.l10n.t('Pipeline Actions'), arguments: [project, pipeline] };
    this.item.backgroundColor = pipeline.status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
    this.notifyWhenFinished(project, pipeline);
  }

  private notifyWhenFinished(project: ProjectContext, pipeline: PipelineDetail): void {
    const previous = this.lastStatus.get(project.key);
    this.lastStatus.set(project.key, { id: pipeline.id, status: pipeline.status });
    const justFinished = previous?.id === pipeline.id && !isFinished(previous.status) && isFinished(pipeline.status);
    if (!justFinished || !this.settings.notifyOnPipelineFinish) return;
    const failed = pipeline.status === 'failed';
    const ref = noIcons(refLabel(pipeline.ref));
    const message =
      pipeline.status === 'success'
        ? vscode.l10n.t('Pipeline #{0} on {1} passed', pipeline.id, ref)
        : failed
          ? vscode.l10n.t('Pipeline #{0} on {1} failed', pipeline.id, ref)
          : vscode.l10n.t('Pipeline #{0} on {1} was {2}', pipeline.id, ref, statusLabel(pipeline.status));
    const open = vscode.l10n.t('Open');
    const retryFailed = vscode.l10n.t('Retry Failed');
    const actions = failed ? [open, retryFailed] : [open];
    void (failed ? vscode.window.showErrorMessage(message, ...actions) : vscode.window.showInformationMessage(message, ...actions)).then(async (choice) => {
      if (choice === open) await vscode.env.openExternal(vscode.Uri.parse(pipeline.web_url));
      if (choice === retryFailed) await vscode.commands.executeCommand('gitlabCiLens.retryPipeline', project, pipeline);
    });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function tooltip(project: ProjectContext, pipeline: PipelineDetail, mergeRequest: MergeRequestRef | undefined): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, false);
  markdown.isTrusted = false;
  const seconds = elapsedSeconds(pipeline);
  markdown.appendText(`${vscode.l10n.t('Pipeline #{0} · {1}', pipeline.id, statusLabel(pipeline.status))}\n`);
  if (mergeRequest) markdown.appendText(`${vscode.l10n.t('Merge request !{0}: {1}', mergeRequest.iid, mergeRequest.title)}\n`);
  markdown.appendText(`${project.projectPath} · ${refLabel(pipeline.ref)} · ${pipeline.sha.slice(0, 8)}\n`);
  if (seconds !== undefined) markdown.appendText(`${isFinished(pipeline.status) ? vscode.l10n.t('Took {0}', formatDuration(seconds)) : vscode.l10n.t('Running for {0}', formatDuration(seconds))}\n`);
  markdown.appendText(vscode.l10n.t('Updated {0} · click for actions', new Date().toLocaleTimeString()));
  return markdown;
}

/** Branch names are user text: `$(` must not turn into a codicon. */
export function noIcons(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}
