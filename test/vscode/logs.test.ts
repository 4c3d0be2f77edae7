// Job logs in a real VS Code: following a job a simulated runner is running, in an output channel and in the
// log document; stopping; saving the raw log. The fake GitLab runs here, in the extension host.
import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Job } from '../../src/gitlab/models';
import { renderTraceText } from '../../src/gitlab/trace/renderer';
import type { FollowResult } from '../../src/ui/logs/feed';
import type { FollowHandle } from '../../src/ui/logs/followedChannels';
import { jobOutcomeLine } from '../../src/ui/logs/jobSummary';
import type { OpenedLog } from '../../src/ui/logs/logDocuments';
import type { ProjectContext, Services } from '../../src/ui/services';
import type { FakeGitLab } from '../fake-gitlab';
import { SimulatedRunner } from '../fake-gitlab/simulated-runner';
import { takeScreenshot } from './screenshot';
import { signIn, signOut } from './session';
import { PROJECT_PATH } from './setup';

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
  }
}

describe('job logs', function () {
  let fake: FakeGitLab;
  let services: Services;
  let project: ProjectContext;
  let runner: SimulatedRunner;

  before(async function () {
    ({ fake, api: { services } } = await signIn('maintainer'));
    project = { key: `${fake.url}|${PROJECT_PATH}`, instanceUrl: fake.url, projectPath: PROJECT_PATH };
    // Quickest polls the settings allow, so a follow sees the log grow in several steps.
    await vscode.workspace.getConfiguration('gitlabCiLens').update('log.pollMinSeconds', 0.5, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('gitlabCiLens').update('log.pollMaxSeconds', 2, vscode.ConfigurationTarget.Global);
    runner = new SimulatedRunner({ instanceUrl: fake.url, runnerToken: fake.tokens.runner, chunkBytes: 700, chunkIntervalMs: 40 });
  });

  after(async function () {
    for (const setting of ['log.pollMinSeconds', 'log.pollMaxSeconds', 'log.timestamps']) {
      await vscode.workspace.getConfiguration('gitlabCiLens').update(setting, undefined, vscode.ConfigurationTarget.Global);
    }
    await runner.stop();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await signOut(services, fake);
  });

  /** Jobs of a pipeline of their own, pending until the runner takes them; nothing else waits for the runner. */
  async function pendingJobs(...names: string[]): Promise<Job[]> {
    for (const pipeline of fake.state.pipelines.values()) fake.state.cancelPipeline(pipeline);
    const pipeline = fake.state.createPipelineForRef(PROJECT_PATH, 'main', { template: { stages: ['test'], jobs: names.map((name) => ({ name, stage: 'test' })) } });
    const gitlab = await services.gitlabFor(project);
    return Promise.all(fake.state.pipelineJobs(pipeline.id).map((record) => gitlab.jobs.get(PROJECT_PATH, record.id)));
  }

  async function pendingJob(): Promise<Job> {
    const [job] = await pendingJobs('unit tests');
    assert.equal(job?.status, 'pending');
    return job;
  }

  /** A finished job of the seed whose log has the runner's timestamps and a section to show collapsed. */
  async function finishedTimestampedJob(): Promise<Job> {
    const record = fake.state.findJobs({ projectId: 1, status: 'success' }).find((job) => {
      const log = job.trace.toBuffer();
      return log.includes('Z 00O ') && log.includes('collapsed=true');
    });
    assert.ok(record, 'the seed has a finished job with a timestamped log and a collapsed section');
    return (await services.gitlabFor(project)).jobs.get(PROJECT_PATH, record.id);
  }

  const finalLog = (job: Job) => fake.state.requireJob(job.id).trace.toBuffer();

  /** An output channel's text, from the document VS Code keeps for the channel the Output view shows. */
  function channelText(channelName: string): string | undefined {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.scheme === 'output' && decodeURIComponent(candidate.uri.path).includes(channelName));
    return document?.getText();
  }

  /** The job a follow saw finish; any other outcome fails the test. */
  async function finishedJob(done: Promise<FollowResult>): Promise<Job> {
    const result = await done;
    assert.equal(result.outcome, 'finished', JSON.stringify(result));
    return result.job;
  }

  /** Text once it ends with the line saying how `job` ended: only then is the whole log in. */
  function whole(text: string | undefined, job: Job): string | undefined {
    return text?.trimEnd().endsWith(jobOutcomeLine(job)) ? text : undefined;
  }

  function wholeChannel(channelName: string, job: Job): Promise<string> {
    return waitFor(() => whole(channelText(channelName), job), `the footer in ${channelName}`);
  }

  async function wholeDocument(uri: vscode.Uri, job: Job): Promise<string> {
    const document = await vscode.workspace.openTextDocument(uri);
    return waitFor(() => whole(document.getText(), job), `the outcome at the end of ${uri.toString()}`);
  }

  it('follows a running job in an output channel: the log fills in, then the footer says how it ended', async function () {
    const job = await pendingJob();
    const handle = await vscode.commands.executeCommand<FollowHandle>('gitlabCiLens.followJobLog', project, job);
    assert.equal(handle.channelName, `GitLab: ${job.name} #${job.id}`);
    // The first read of the log fails: the channel says so, and the follow goes on.
    fake.faults.add({ route: new RegExp(`/jobs/${job.id}/trace$`), method: 'GET', kind: 'serverError', status: 500 });
    const ran = await runner.runNextJob();
    assert.equal(ran?.job.id, job.id);

    const ended = await finishedJob(handle.done);
    assert.equal(ended.status, 'success');
    const text = await wholeChannel(handle.channelName, ended);
    assert.ok(text.startsWith(`Job ${job.name} #${job.id} · stage test`), text.slice(0, 200));
    assert.match(text, /… GitLab did not answer \(server error\); trying again in \d+ s\n/);
    assert.ok(text.includes(renderTraceText(finalLog(job))), 'the rendered log, whole and in order');
    await takeScreenshot('job-log-output-channel');

    const again = await vscode.commands.executeCommand<FollowHandle>('gitlabCiLens.followJobLog', project, job);
    assert.equal(again.done, handle.done, 'the same job twice: the existing channel, not a second follow');
  });

  it('follows several jobs at once, each in its own channel', async function () {
    const jobs = await pendingJobs('lint', 'compile');
    const handles = await Promise.all(jobs.map((job) => vscode.commands.executeCommand<FollowHandle>('gitlabCiLens.followJobLog', project, job)));
    await Promise.all([runner.runNextJob(), runner.runNextJob()]);
    for (const [index, job] of jobs.entries()) {
      const handle = handles[index];
      const ended = await finishedJob(handle.done);
      // The Output view shows one channel at a time: show each to read it.
      await vscode.commands.executeCommand('gitlabCiLens.followJobLog', project, job);
      assert.ok((await wholeChannel(handle.channelName, ended)).includes(renderTraceText(finalLog(job))), `${job.name}'s own log`);
    }
  });

  it('opens the log document while the job runs and fills it: rendered text, folding sections, the outcome', async function () {
    const job = await pendingJob();
    const opened = await vscode.commands.executeCommand<OpenedLog>('gitlabCiLens.openJobLog', project, job);
    assert.equal(opened.uri.scheme, 'gitlab-job-log');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), opened.uri.toString());
    await runner.runNextJob();
    const text = await wholeDocument(opened.uri, await finishedJob(opened.done));
    const document = await vscode.workspace.openTextDocument(opened.uri);
    assert.ok(text.startsWith(`Job ${job.name} #${job.id}`));
    assert.ok(text.includes(renderTraceText(finalLog(job))), 'the rendered log, whole and in order');
    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', opened.uri);
    assert.ok(folds.length > 0, 'the runner sections fold');
    for (const fold of folds) assert.match(document.lineAt(fold.start).text.trim(), /^\S/, 'a fold starts at a section header');
    await takeScreenshot('job-log-document', { waitFor: '.monaco-editor' });
  });

  it('shows a finished log whole, with runner timestamps when the setting asks, its collapsed sections folded', async function () {
    await vscode.workspace.getConfiguration('gitlabCiLens').update('log.timestamps', 'show', vscode.ConfigurationTarget.Global);
    const job = await finishedTimestampedJob();
    const opened = await vscode.commands.executeCommand<OpenedLog>('gitlabCiLens.openJobLog', project, job);
    const text = await wholeDocument(opened.uri, await finishedJob(opened.done));
    assert.ok(text.includes(renderTraceText(finalLog(job), { timestamps: 'show' })));

    // `[collapsed=true]` on `section_script_step_1`, whose header reads "$ multi-line command".
    const header = text.split('\n').findIndex((line) => line.includes('▸ $ multi-line command'));
    assert.ok(header > 0);
    const editor = await waitFor(() => vscode.window.activeTextEditor, 'the log editor');
    const hidden = () => !editor.visibleRanges.some((range) => range.contains(new vscode.Position(header + 1, 0)));
    await waitFor(hidden, 'the collapsed section folded', 5000);
    await takeScreenshot('job-log-document-folded', { waitFor: '.monaco-editor' });
  });

  it('shows a 4 MB log whole, however much of it arrives while the document opens', async function () {
    // A real runner log without timestamps (so the setting does not matter), repeated to 4 MB.
    const sample = fake.state.findJobs({ projectId: 1, status: 'success' }).map((record) => record.trace.toBuffer()).find((log) => log.length > 0 && !log.includes('Z 00O '));
    assert.ok(sample);
    const [pending] = await pendingJobs('big log');
    assert.ok(pending);
    fake.state.setJobTrace(pending.id, Buffer.alloc(4 * 1024 * 1024, sample));
    fake.state.setJobStatus(pending.id, 'success');
    const job = await (await services.gitlabFor(project)).jobs.get(PROJECT_PATH, pending.id);
    const opened = await vscode.commands.executeCommand<OpenedLog>('gitlabCiLens.openJobLog', project, job);
    const text = await wholeDocument(opened.uri, await finishedJob(opened.done));
    assert.ok(text.includes(renderTraceText(finalLog(job))));
  });

  it('stops following on request, the channel saying so', async function () {
    const job = await pendingJob();
    const handle = await vscode.commands.executeCommand<FollowHandle>('gitlabCiLens.followJobLog', project, job);
    const stopped = await vscode.commands.executeCommand<number>('gitlabCiLens.stopFollowingJobLog', project, job);
    assert.equal(stopped, 1);
    assert.deepEqual(await handle.done, { outcome: 'stopped' });
    await waitFor(() => channelText(handle.channelName)?.includes('Stopped following'), 'the stop in the channel');
  });

  it('ends the follow when its document closes, and follows again when it is opened again', async function () {
    const job = await pendingJob();
    const opened = await vscode.commands.executeCommand<OpenedLog>('gitlabCiLens.openJobLog', project, job);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.deepEqual(await opened.done, { outcome: 'stopped' });

    const reopened = await vscode.commands.executeCommand<OpenedLog>('gitlabCiLens.openJobLog', project, job);
    assert.notEqual(reopened.done, opened.done);
    await runner.runNextJob();
    const text = await wholeDocument(reopened.uri, await finishedJob(reopened.done));
    assert.ok(text.includes(renderTraceText(finalLog(job))));
  });

  it('saves the raw log byte for byte to the path automation gives', async function () {
    const job = await finishedTimestampedJob();
    const folder = await mkdtemp(path.join(tmpdir(), 'job-log-'));
    try {
      const target = path.join(folder, 'logs', 'raw.log');
      const saved = await vscode.commands.executeCommand<vscode.Uri>('gitlabCiLens.saveRawJobLog', project, job, target);
      assert.equal(saved.fsPath, target);
      assert.ok((await readFile(target)).equals(finalLog(job)));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
