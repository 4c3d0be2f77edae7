import * as assert from 'node:assert/strict';
import { startFakeGitLab, type FakeGitLab } from './index';
import { RunningPipeline } from './running-pipeline';
import { api } from './test-client';

describe('fake GitLab: a big pipeline that keeps running', () => {
  let gl: FakeGitLab;
  beforeEach(async () => {
    gl = await startFakeGitLab({ generation: '18.2' });
  });
  afterEach(async () => {
    await gl.close();
  });

  const jobsPath = (pipelineId: number, query: string) => `/projects/1/pipelines/${pipelineId}/jobs?per_page=100${query}`;
  const activeQuery = '&scope[]=created&scope[]=pending&scope[]=running';
  const total = async (path: string) => {
    const response = await api(gl, path, gl.tokens.developer);
    assert.equal(response.status, 200, response.text);
    return Number(response.headers['x-total']);
  };

  it('serves its jobs with a bounded active set that churn keeps the same size, and never ends', async () => {
    const running = RunningPipeline.seed(gl.state, { projectId: 1, jobCount: 1000, activeJobs: 100 });
    const id = running.pipeline.id;
    assert.equal(await total(jobsPath(id, '')), 1000);
    assert.equal(await total(jobsPath(id, activeQuery)), 100);
    const firstActive = new Set(running.jobsIn('running').concat(running.jobsIn('pending')).map((job) => job.id));

    for (let step = 0; step < 300; step++) running.tick();

    assert.equal(await total(jobsPath(id, '')), 1000, 'retried jobs are left out, so the count stays');
    assert.equal(await total(jobsPath(id, activeQuery)), 100);
    const pipeline = (await api(gl, `/projects/1/pipelines/${id}`, gl.tokens.developer)).json<{ status: string }>();
    assert.equal(pipeline.status, 'running');
    const stillActive = [...running.jobsIn('running'), ...running.jobsIn('pending')].filter((job) => firstActive.has(job.id));
    assert.deepEqual(stillActive.map((job) => job.id), [running.followedJob.id], 'every active job but the followed one has moved on');
    const finishedOfEarlierStages = await total(jobsPath(id, '&scope[]=success')) - running.jobsIn('success').filter((job) => job.stage === 'deploy').length;
    assert.equal(finishedOfEarlierStages, 800, 'the four earlier stages stay finished');
  });

  it('grows the followed job\'s log, served whole on 18.2', async () => {
    const running = RunningPipeline.seed(gl.state, { projectId: 1, jobCount: 100, activeJobs: 10 });
    running.growFollowedLog(2048);
    running.tick();
    running.growFollowedLog(2048);
    const trace = await api(gl, `/projects/1/jobs/${running.followedJob.id}/trace`, gl.tokens.developer);
    assert.equal(trace.status, 200);
    assert.ok(trace.body.length >= 4000 && trace.body.length <= 4400, `log of ${trace.body.length} bytes`);
    assert.equal(running.followedJob.status, 'running');
  });

  it('refuses an active set that does not fit the last stage', () => {
    assert.throws(() => RunningPipeline.seed(gl.state, { projectId: 1, jobCount: 100, activeJobs: 30 }), /last stage holds only 20/);
  });
});
