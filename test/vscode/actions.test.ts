// The job and pipeline action commands, run in a real VS Code against a fake GitLab this suite starts in
// the extension host itself (on the setup hook's port, where the workspace's git remote points): the
// commands act over HTTP as against GitLab, and the suite reads the fake's state directly (played
// variables, erased_at), which GitLab's API would not show.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Job, PipelineDetail } from '../../src/gitlab/models';
import type { ProjectContext, Services } from '../../src/ui/services';
import type { TreeNode } from '../../src/ui/tree/nodes';
import { type FakeGitLab, type JobRecord, type PipelineRecord, startFakeGitLab } from '../fake-gitlab';
import { activateExtension } from './session';
import { FAKE_PORT_VARIABLE, PROJECT_PATH } from './setup';

type Severity = 'info' | 'warning' | 'error';
type ShowMessage = (message: string, ...rest: unknown[]) => Thenable<undefined>;
const SHOW_FUNCTIONS: Record<Severity, 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage'> = {
  info: 'showInformationMessage',
  warning: 'showWarningMessage',
  error: 'showErrorMessage',
};

/**
 * Records the messages commands show and answers each at once as if dismissed, so no toast waits for a
 * click; `restore` puts VS Code's own functions back.
 */
function captureMessages(): { messages: { severity: Severity; text: string }[]; restore(): void } {
  const window = vscode.window as unknown as Record<string, ShowMessage>;
  const messages: { severity: Severity; text: string }[] = [];
  const originals = Object.entries(SHOW_FUNCTIONS).map(([severity, name]) => {
    const original = window[name];
    window[name] = (text) => {
      messages.push({ severity: severity as Severity, text });
      return Promise.resolve(undefined);
    };
    return () => (window[name] = original);
  });
  return { messages, restore: () => originals.forEach((restore) => restore()) };
}

async function waitFor(condition: () => boolean, failure: string, timeoutMs = 5000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() > deadline) assert.fail(failure);
  }
}

describe('job and pipeline actions', function () {
  let fake: FakeGitLab;
  let services: Services;
  let project: ProjectContext;
  let captured: ReturnType<typeof captureMessages>;

  before(async function () {
    // Without the hook (no port), any free port: the project is then added by hand, as below, all the same.
    fake = await startFakeGitLab({ port: Number(process.env[FAKE_PORT_VARIABLE] ?? 0) });
    ({ services } = await activateExtension());
    await signInAs(fake.tokens.maintainer);
    // Not waiting for the git extension to find the remote: a project chosen by hand has the same key.
    await services.projects.addManual(fake.url, PROJECT_PATH);
    const found = services.projects.list().find((candidate) => candidate.key === `${fake.url}|${PROJECT_PATH}`);
    assert.ok(found, `${PROJECT_PATH} is not among the projects`);
    project = found;
  });

  after(async function () {
    await services.accounts.remove(fake.url);
    await fake.close();
  });

  beforeEach(() => (captured = captureMessages()));
  afterEach(async () => {
    captured.restore();
    await signInAs(fake.tokens.maintainer);
  });

  async function signInAs(token: string): Promise<void> {
    await services.accounts.add(fake.url, token);
  }

  /** A pipeline of the seed, by its ref (and name, for the two on main). */
  function seededPipeline(ref: string, name: string | null = null): PipelineRecord {
    const pipeline = [...fake.state.pipelines.values()].find((candidate) => candidate.ref === ref && candidate.name === name && candidate.upstreamBridgeId === null);
    assert.ok(pipeline, `no seeded pipeline for ${ref}`);
    return pipeline;
  }

  function jobRecord(pipeline: PipelineRecord, name: string): JobRecord {
    const job = fake.state.findJobs({ pipelineId: pipeline.id, name }).find((candidate) => !candidate.retried);
    assert.ok(job, `no job ${name} in pipeline #${pipeline.id}`);
    return job;
  }

  /** The job as GitLab's API shows it: what a tree node carries and automation passes. */
  async function apiJob(pipeline: PipelineRecord, name: string): Promise<Job> {
    return (await services.gitlabFor(project)).jobs.get(PROJECT_PATH, jobRecord(pipeline, name).id);
  }

  async function apiPipeline(pipeline: PipelineRecord): Promise<PipelineDetail> {
    return (await services.gitlabFor(project)).pipelines.get(PROJECT_PATH, pipeline.id);
  }

  function selectedNode(): TreeNode | undefined {
    return services.tree.view.selection[0];
  }

  function infoMessages(): string[] {
    return captured.messages.filter((message) => message.severity === 'info').map((message) => message.text);
  }

  function errorMessages(): string[] {
    return captured.messages.filter((message) => message.severity === 'error').map((message) => message.text);
  }

  it('retries a failed job: a new job exists and the command returns it', async function () {
    const pipeline = seededPipeline('main');
    const failed = await apiJob(pipeline, 'test:lint');
    const newJob = await vscode.commands.executeCommand<Job | undefined>('gitlabCiLens.retryJob', project, failed);
    assert.ok(newJob, `no job returned; messages: ${JSON.stringify(captured.messages)}`);
    assert.notEqual(newJob.id, failed.id);
    assert.equal(fake.state.requireJob(newJob.id).name, 'test:lint');
    assert.equal(fake.state.requireJob(failed.id).retried, true);
    assert.ok(infoMessages().some((text) => text.includes(`#${newJob.id}`)), JSON.stringify(captured.messages));
  });

  it('shows a pipeline in the tree, and selects a retried job’s new attempt there', async function () {
    await services.refresher.refreshNow(project);
    const pipeline = await apiPipeline(seededPipeline('main'));
    assert.equal(await vscode.commands.executeCommand('gitlabCiLens.pipelineActions', project, pipeline, 'showInTree'), true);
    const pipelineNode = selectedNode();
    assert.ok(pipelineNode?.kind === 'pipeline' && pipelineNode.pipeline.id === pipeline.id, 'the pipeline is not selected');

    const old = await apiJob(seededPipeline('main'), 'test:unit');
    await services.tree.view.reveal(pipelineNode, { expand: 2 }); // its stages and jobs
    await waitFor(() => services.tree.shownIds().some((id) => services.tree.jobIdOfRow(id) === old.id), `job #${old.id} is not shown`);
    const newJob = await vscode.commands.executeCommand<Job | undefined>('gitlabCiLens.retryJob', project, old);
    const selected = selectedNode();
    assert.equal(selected?.kind === 'job' ? selected.job.id : undefined, newJob?.id);
  });

  it('cancels a pending job, and says so when a finished one could not be canceled', async function () {
    const pending = await apiJob(seededPipeline('main', 'Nightly-ish'), 'build');
    const canceled = await vscode.commands.executeCommand<Job | undefined>('gitlabCiLens.cancelJob', project, pending);
    assert.equal(canceled?.status, 'canceled');
    assert.equal(fake.state.requireJob(pending.id).status, 'canceled');
    assert.ok(infoMessages().some((text) => text.startsWith('Canceled job')), JSON.stringify(captured.messages));

    const finished = await apiJob(seededPipeline('main'), 'build');
    const unchanged = await vscode.commands.executeCommand<Job | undefined>('gitlabCiLens.cancelJob', project, finished);
    assert.equal(unchanged?.status, 'success');
    const warning = captured.messages.find((message) => message.severity === 'warning');
    assert.match(warning?.text ?? '', /was not canceled: it is success/);
  });

  it('plays a manual job with variables: pending, the variables stored', async function () {
    const manual = await apiJob(seededPipeline('main'), 'deploy:production');
    assert.equal(manual.status, 'manual');
    const variables = [{ key: 'TARGET', value: 'blue green' }, { key: 'DRY_RUN', value: '1' }];
    const started = await vscode.commands.executeCommand<Job | undefined>('gitlabCiLens.playJob', project, manual, variables);
    assert.equal(started?.status, 'pending');
    const record = fake.state.requireJob(manual.id);
    assert.equal(record.status, 'pending');
    assert.deepEqual(record.playVariables, variables);
  });

  it('refuses a variable key GitLab would reject, without calling GitLab', async function () {
    const manual = await apiJob(seededPipeline('feature/login'), 'deploy:production');
    const requestsBefore = fake.requests.length;
    const result = await vscode.commands.executeCommand('gitlabCiLens.playJob', project, manual, [{ key: '1BAD', value: 'x' }]);
    assert.equal(result, undefined);
    assert.ok(!fake.requests.slice(requestsBefore).some((request) => request.path.endsWith('/play')));
    assert.ok(errorMessages().some((text) => text.includes('Not a variable')), JSON.stringify(captured.messages));
  });

  it('erases a finished job once confirmed: erased_at set', async function () {
    const finished = await apiJob(seededPipeline('main'), 'deploy:staging');
    const erased = await vscode.commands.executeCommand<Job | undefined>('gitlabCiLens.eraseJob', project, finished, { confirmed: true });
    assert.ok(erased?.erased_at, `not erased; messages: ${JSON.stringify(captured.messages)}`);
    assert.ok(fake.state.requireJob(finished.id).erasedAt);
  });

  it("tells a developer their role can't erase someone else's job (403)", async function () {
    const othersJob = await apiJob(seededPipeline('v1.0.0'), 'build'); // started by the maintainer
    await signInAs(fake.tokens.developer);
    const result = await vscode.commands.executeCommand('gitlabCiLens.eraseJob', project, othersJob, { confirmed: true });
    assert.equal(result, undefined);
    assert.equal(fake.state.requireJob(othersJob.id).erasedAt, null);
    assert.ok(errorMessages().some((text) => text.startsWith("Erase job failed: your token or role can't do this here.")), JSON.stringify(captured.messages));
  });

  it('refuses writes up front with a read-only token', async function () {
    const failed = await apiJob(seededPipeline('feature/login'), 'test:unit');
    await signInAs(fake.tokens.readOnly);
    const requestsBefore = fake.requests.length;
    const result = await vscode.commands.executeCommand('gitlabCiLens.retryJob', project, failed);
    assert.equal(result, undefined);
    assert.deepEqual(fake.requests.slice(requestsBefore).filter((request) => request.method === 'POST'), []);
    assert.ok(errorMessages().some((text) => text.includes('can only read (read_api scope)')), JSON.stringify(captured.messages));
  });

  it('copies a job id and URL', async function () {
    const job = await apiJob(seededPipeline('main'), 'build');
    assert.equal(await vscode.commands.executeCommand('gitlabCiLens.copyJobId', project, job), String(job.id));
    assert.equal(await vscode.commands.executeCommand('gitlabCiLens.copyJobUrl', project, job), job.web_url);
    assert.equal(infoMessages().length, 2);
  });

  it('runs a pipeline for a ref with variables', async function () {
    const variables = [{ key: 'DEPLOY', value: 'no' }];
    const created = await vscode.commands.executeCommand<PipelineDetail | undefined>('gitlabCiLens.runPipeline', project, 'feature/login', variables);
    assert.ok(created, `no pipeline returned; messages: ${JSON.stringify(captured.messages)}`);
    const record = fake.state.requirePipeline(created.id);
    assert.equal(record.ref, 'feature/login');
    assert.deepEqual(record.variables.map(({ key, value }) => ({ key, value })), variables);
    assert.ok(infoMessages().some((text) => text.includes(`#${created.id}`)), JSON.stringify(captured.messages));
  });

  it('retries a failed pipeline: its failed job runs again as a new job', async function () {
    const pipeline = seededPipeline('feature/login');
    const failedJob = jobRecord(pipeline, 'test:unit');
    const retried = await vscode.commands.executeCommand<PipelineDetail | undefined>('gitlabCiLens.retryPipeline', project, await apiPipeline(pipeline));
    assert.ok(retried, `no pipeline returned; messages: ${JSON.stringify(captured.messages)}`);
    assert.equal(fake.state.requireJob(failedJob.id).retried, true);
    assert.notEqual(jobRecord(pipeline, 'test:unit').id, failedJob.id);
  });

  it('cancels a pipeline through the status bar’s actions', async function () {
    const created = await vscode.commands.executeCommand<PipelineDetail | undefined>('gitlabCiLens.runPipeline', project, 'main', []);
    assert.ok(created);
    const canceled = await vscode.commands.executeCommand<PipelineDetail | undefined>('gitlabCiLens.pipelineActions', project, created, 'cancel');
    assert.equal(canceled?.status, 'canceled');
    assert.equal(fake.state.requirePipeline(created.id).status, 'canceled');
    assert.ok(infoMessages().some((text) => text.startsWith(`Canceled pipeline #${created.id}`)), JSON.stringify(captured.messages));
  });

  it('refuses a pipeline action its state does not allow', async function () {
    const finished = await apiPipeline(seededPipeline('v1.0.0'));
    const result = await vscode.commands.executeCommand('gitlabCiLens.pipelineActions', project, finished, 'cancel');
    assert.equal(result, undefined);
    assert.ok(errorMessages().some((text) => text.includes('is not an action for pipeline')), JSON.stringify(captured.messages));
  });
});
