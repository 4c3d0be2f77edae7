import * as vscode from 'vscode';
import { CiSource, jobKeysOf, jobLensTitle, latestJobsByName } from '../../gitlab/ciConfig';
import type { Bridge, Job, PipelineDetail } from '../../gitlab/models';
import { jobCapabilities } from '../../gitlab/status';
import type { ProjectContext } from '../services';
import { ciProjectOf, type ProjectsView } from './ciFiles';

/** What the lenses read of the refresher's model: the current pipeline and its (cached) jobs. No requests of their own. */
export interface PipelineModelView {
  stateOf(project: ProjectContext): { current?: PipelineDetail } | undefined;
  jobsOf(project: ProjectContext, pipelineId: number): Promise<{ jobs: readonly Job[]; bridges: readonly Bridge[] }>;
  onDidChange: vscode.Event<unknown>;
}

/**
 * A lens over every job key of a CI file with that job's state in the current branch's (or merge
 * request's) pipeline; clicking opens its log. Beside it: retry, run (a manual job) or follow the log.
 * They follow the model's changes, and a key that names no job of the pipeline (renamed, unsaved) has none.
 */
export class JobLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly projects: ProjectsView, private readonly model: PipelineModelView) {
    this.subscription = model.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const project = ciProjectOf(this.projects, document);
    const pipeline = project && this.model.stateOf(project)?.current;
    if (!project || !pipeline) return [];
    const keys = jobKeysOf(new CiSource(document.getText()));
    if (!keys.length) return [];
    const { jobs, bridges } = await this.model.jobsOf(project, pipeline.id);
    const byName = latestJobsByName<Job | Bridge>([...jobs.filter((job) => job.retried !== true), ...bridges]);
    return keys.flatMap(({ name, range }) => {
      const job = byName.get(name);
      if (!job) return [];
      const at = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
      const lenses = [new vscode.CodeLens(at, { title: jobLensTitle(job), command: 'gitlabCiLens.openJobLog', arguments: [project, job], tooltip: vscode.l10n.t('Open the log of {0} (pipeline #{1})', name, pipeline.id) })];
      if ('downstream_pipeline' in job) return lenses;
      const can = jobCapabilities(job);
      if (can.playable) lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('Run'), command: 'gitlabCiLens.playJob', arguments: [project, job] }));
      if (can.retryable) lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('Retry'), command: 'gitlabCiLens.retryJob', arguments: [project, job] }));
      if (job.status === 'running' || job.status === 'pending') lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('Follow Log'), command: 'gitlabCiLens.followJobLog', arguments: [project, job] }));
      return lenses;
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
