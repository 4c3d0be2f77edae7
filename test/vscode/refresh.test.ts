// Refreshes in a real VS Code cost what changes: with a large pipeline running and the view visible, the
// number of tree nodes the extension holds does not grow with the number of refreshes, pipelines' jobs held
// stay bounded, and no refresh lists the pipeline's finished jobs again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { FakeGitLab } from '../fake-gitlab';
import { signIn, signOut } from './session';
import { PROJECT_PATH } from './setup';
import { waitFor } from './waitFor';

const REFRESHES = 10;

describe('refresh cost and tree size', function () {
  let fake: FakeGitLab;
  let api: ExtensionApi;

  before(async function () {
    this.timeout(60_000);
    ({ fake, api } = await signIn('developer', '18.2'));
  });

  after(async function () {
    this.timeout(30_000);
    await signOut(api?.services, fake);
  });

  it('holds no more tree nodes after many refreshes of a running 300-job pipeline, and fetches no finished job again', async function () {
    this.timeout(180_000);
    const pipeline = fake.state.seedBigPipeline({ projectId: 1, jobCount: 300, ref: 'main', status: 'success' });
    const testJobs = fake.state.findJobs({ pipelineId: pipeline.id }).filter((job) => job.stage === 'test');
    const moving = testJobs.slice(0, 6);
    for (const job of moving) fake.state.setJobStatus(job.id, 'running');
    await vscode.commands.executeCommand('gitlabCiLens.pipelines.focus');
    const current = () => api.services.model.projectStates().find((state) => state.project.projectPath === PROJECT_PATH)?.current;
    await waitFor(async () => {
      await api.services.refresher.refreshNow();
      return current()?.id === pipeline.id;
    }, () => `#${pipeline.id} as the current pipeline (got #${current()?.id ?? 'none'})`);

    // VS Code builds the rows of the expanded current pipeline and of its running stage (100 jobs), once it is
    // open: revealed here, as VS Code may remember a stage row of that id (an earlier fake's pipeline) collapsed.
    const tree = api.services.tree;
    const currentRow = await waitFor(async () => (await tree.getChildren()).find((node) => node.kind === 'pipeline' && node.isCurrent && node.pipeline.id === pipeline.id), 'the current pipeline\'s row');
    const testStage = await waitFor(async () => (await tree.getChildren(currentRow)).find((node) => node.kind === 'stage' && node.name === 'test'), 'the test stage\'s row');
    await tree.view.reveal(testStage, { expand: true, select: false, focus: false });
    // A job's row is known by its name in its stage: a retry keeps the row.
    const rowIdOf = (jobId: number) => `${currentRow.id}:job:@${fake.state.requireJob(jobId).name}`;
    const testJobRowIds = new Set(testJobs.map((job) => rowIdOf(job.id)));
    const jobRowsShown = () => tree.shownIds().filter((id) => testJobRowIds.has(id)).length;
    await waitFor(() => jobRowsShown() === testJobs.length, () => `the running stage's ${testJobs.length} job rows (got ${jobRowsShown()})`);
    const settled = async () => {
      await api.services.refresher.refreshNow();
      await new Promise((resolve) => setTimeout(resolve, 300)); // VS Code asks for the rows it refreshes after the event
    };
    await settled();
    const baseline = tree.nodeCount;
    const heldJobs = api.services.model.heldPipelineJobs;
    const from = fake.requests.length;

    for (let refresh = 0; refresh < REFRESHES; refresh++) {
      // Jobs move between running and pending: rows change, the shape of the tree does not.
      const job = moving[refresh % moving.length];
      fake.state.setJobStatus(job.id, refresh % 2 === 0 ? 'pending' : 'running');
      await settled();
    }
    // The rows that changed were shown anew: VS Code was given each moved job's last status.
    const lastStatus = (jobId: number) => fake.state.findJobs({ pipelineId: pipeline.id }).find((job) => job.id === jobId)?.status;
    const rowShowsStatus = (jobId: number) => tree.renderedLook(rowIdOf(jobId))?.includes(`"${lastStatus(jobId)}"`);
    await waitFor(() => moving.every((job) => rowShowsStatus(job.id)), () => `each moved job's row to show its status (${moving.map((job) => `${job.id}: ${tree.renderedLook(rowIdOf(job.id))}`).join('; ')})`);
    // A retry is a new job with a new id: its row, known by the job's name, shows the new attempt in place.
    const retried = testJobs.find((job) => !moving.includes(job) && job.status === 'success');
    assert.ok(retried, 'a finished job of the test stage');
    const attempt = fake.state.retryJob(retried, pipeline.userId);
    await settled();
    await waitFor(() => tree.jobIdOfRow(rowIdOf(retried.id)) === attempt.id, () => `the retried job's row to show attempt #${attempt.id} (shows #${tree.jobIdOfRow(rowIdOf(retried.id))})`);
    assert.equal(jobRowsShown(), testJobs.length, 'the stage keeps its rows');
    await waitFor(() => tree.nodeCount <= baseline, () => `the tree to hold ${baseline} nodes again (holds ${tree.nodeCount} after ${REFRESHES} refreshes)`);
    assert.ok(baseline > testJobs.length, `the tree was shown (${baseline} nodes)`);
    assert.equal(api.services.model.heldPipelineJobs, heldJobs, 'no more pipelines\' jobs held');

    const jobRequests = fake.requests.slice(from).filter((request) => request.path.endsWith(`/pipelines/${pipeline.id}/jobs`));
    assert.ok(jobRequests.length >= REFRESHES, `each refresh asked for the pipeline's changeable jobs (${jobRequests.length} requests)`);
    const unscoped = jobRequests.filter((request) => request.query.getAll('scope[]').length === 0);
    assert.deepEqual(unscoped.map((request) => `${request.path}?${request.query.toString()}`), [], 'no refresh listed every job again');
    const finishedFetched = fake.requests.slice(from).filter((request) => /\/jobs\/\d+$/.test(request.path) && !moving.some((job) => request.path.endsWith(`/jobs/${job.id}`)));
    assert.deepEqual(finishedFetched.map((request) => request.path), [], 'no finished job fetched again');
    // With the current pipeline listed unchanged, nothing else: not the branch's latest pipeline nor its merge
    // request (looked up every 2 minutes), no trigger jobs (it has none), its test report at most once (every 30 s).
    const window = fake.requests.slice(from);
    const endpoints = window.map((request) => request.path.replace(/^\/api\/v4\/projects\/[^/]+/, '').replace(/\/\d+(?=\/|$)/g, '/:id'));
    const others = endpoints.filter((endpoint) => endpoint !== '/pipelines' && endpoint !== '/pipelines/:id/jobs' && endpoint !== '/pipelines/:id/test_report_summary');
    assert.deepEqual(others, [], `each refresh asks for the pipeline list and the changeable jobs alone (asked: ${endpoints.join(', ')})`);
    assert.ok(endpoints.filter((endpoint) => endpoint.endsWith('/test_report_summary')).length <= 1, `the test report summary at most once (asked: ${endpoints.join(', ')})`);

    // The pipeline's end reads differently on its own row: VS Code is given it.
    for (const job of fake.state.findJobs({ pipelineId: pipeline.id })) if (job.status !== 'success') fake.state.setJobStatus(job.id, 'success');
    await waitFor(async () => {
      await api.services.refresher.refreshNow();
      return tree.renderedLook(currentRow.id)?.includes('"success"');
    }, () => `the current pipeline's row to show success (shows ${tree.renderedLook(currentRow.id)})`);
  });

  it('shows a running job\'s time to the minute, and moves it on as time passes with nothing else changing', async function () {
    this.timeout(60_000);
    const pipeline = fake.state.seedBigPipeline({ projectId: 1, jobCount: 12, ref: 'main', status: 'success' });
    const job = fake.state.findJobs({ pipelineId: pipeline.id })[0];
    fake.state.setJobStatus(job.id, 'running');
    job.startedAt = new Date(Date.now() - 3 * 60_000 - 5_000);
    await vscode.commands.executeCommand('gitlabCiLens.pipelines.focus');
    const tree = api.services.tree;
    const rowId = () => tree.shownIds().find((id) => tree.jobIdOfRow(id) === job.id);
    await waitFor(async () => {
      await api.services.refresher.refreshNow();
      const stages = await Promise.all((await tree.getChildren()).filter((node) => node.kind === 'pipeline' && node.pipeline.id === pipeline.id).map((node) => tree.getChildren(node)));
      for (const stage of stages.flat()) if (stage.kind === 'stage' && stage.jobs.some((candidate) => candidate.id === job.id)) await tree.view.reveal(stage, { expand: true, select: false, focus: false });
      return rowId() !== undefined && tree.renderedLook(rowId() ?? '')?.includes('running · 3m');
    }, () => `the running job's row to read "running · 3m" (reads ${tree.renderedLook(rowId() ?? '')})`);

    // Two minutes pass (the row's job started two minutes earlier than it did): the row follows without waiting for a refresh.
    const stages = await Promise.all((await tree.getChildren()).filter((node) => node.kind === 'pipeline' && node.pipeline.id === pipeline.id).map((node) => tree.getChildren(node)));
    const jobRows = await Promise.all(stages.flat().filter((node) => node.kind === 'stage').map((stage) => tree.getChildren(stage)));
    const jobRow = jobRows.flat().find((node) => node.kind === 'job' && node.job.id === job.id);
    assert.ok(jobRow?.kind === 'job' && jobRow.job.started_at, 'the running job\'s row');
    jobRow.job.started_at = new Date(Date.parse(jobRow.job.started_at) - 2 * 60_000).toISOString();
    assert.ok(tree.showRunningTimes() >= 1, `the job's row is shown anew (it reads ${tree.renderedLook(jobRow.id)})`);
    await waitFor(() => tree.renderedLook(rowId() ?? '')?.includes('running · 5m'), () => `the row to read "running · 5m" (reads ${tree.renderedLook(rowId() ?? '')})`);
  });
});
