import * as assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGitLab, PipelineRecord } from '../fake-gitlab';
import { DEMO_PROJECT, type McpSession, closeDemoGitLab, failed, ok, startDemoGitLab, startDemoSession, startSession } from './harness';

interface StageJob {
  id: number;
  name: string;
  status: string;
}

interface TriggerJob {
  name: string;
  stage: string;
  downstream_pipeline: { id: number; project_id: number; status: string } | null;
}

describe('MCP server: the pipeline tools agents expect', () => {
  let gitlab: FakeGitLab;
  let session: McpSession;

  before(async () => {
    ({ gitlab, session } = await startDemoGitLab({ generation: '18.2' }));
  });

  after(() => closeDemoGitLab(session, gitlab));

  const demoProject = () => gitlab.state.requireProject(DEMO_PROJECT);
  const pushPipeline = (ref: string): PipelineRecord => {
    const found = [...gitlab.state.pipelines.values()].find((p) => p.ref === ref && p.source === 'push' && p.projectId === demoProject().id);
    assert.ok(found, `a push pipeline on ${ref}`);
    return found;
  };

  it('gitlab_get_pipeline gives jobs by stage, trigger jobs with their downstream pipelines, and the test summary', async () => {
    const pipeline = pushPipeline('main');
    const data = ok(await session.call('gitlab_get_pipeline', { pipeline_id: pipeline.id }));
    assert.equal((data.pipeline as { id: number; status: string }).status, pipeline.status);

    const stages = data.stages as { name: string; jobs: StageJob[] }[];
    assert.deepEqual(stages.map((stage) => stage.name), ['build', 'test', 'deploy']);
    const expectedTest = gitlab.state.pipelineJobs(pipeline.id).filter((job) => job.stage === 'test').map((job) => job.name).sort();
    assert.deepEqual(stages[1].jobs.map((job) => job.name).sort(), expectedTest);
    assert.equal(stages[1].jobs.find((job) => job.name === 'test:lint')?.status, 'failed');

    const triggers = data.trigger_jobs as TriggerJob[];
    const child = gitlab.state.descendantPipelines(pipeline)[0];
    assert.deepEqual(triggers.find((job) => job.name === 'docs:child')?.downstream_pipeline?.id, child.id);
    const deployService = gitlab.state.requireProject('demo-group/platform/deploy-service');
    const multiProject = triggers.find((job) => job.name === 'deploy-service:trigger');
    assert.equal(multiProject?.downstream_pipeline?.project_id, deployService.id, 'the downstream project, to follow it there');
    assert.equal(multiProject?.stage, 'deploy');

    // build and test:unit each uploaded the fixture's report: 4 cases, 2 failures.
    const report = data.test_report as { total: { count: number; failed: number; success: number }; suites: { name: string; failed_count: number }[] };
    assert.deepEqual({ count: report.total.count, failed: report.total.failed, success: report.total.success }, { count: 8, failed: 4, success: 4 });
    assert.deepEqual(report.suites.map((suite) => suite.name).sort(), ['build', 'test:unit']);

    const childData = ok(await session.call('gitlab_get_pipeline', { pipeline_id: child.id }));
    assert.equal(childData.test_report, null, 'no junit report: null, not an error');
    assert.match(failed(await session.call('gitlab_get_pipeline', { pipeline_id: 999_999 })), /404/);
  });

  it('accepts ids sent as strings, and refuses what is not an id', async () => {
    const pipeline = pushPipeline('main');
    const job = gitlab.state.pipelineJobs(pipeline.id).find((candidate) => candidate.name === 'build');
    assert.ok(job);
    assert.equal(ok(await session.call('gitlab_get_job', { job_id: String(job.id) })).id, job.id);
    assert.equal((ok(await session.call('gitlab_get_pipeline', { pipeline_id: String(pipeline.id) })).pipeline as { id: number }).id, pipeline.id);
    for (const bad of ['5001abc', '0', '-3', '', '1.5']) assert.match(failed(await session.call('gitlab_get_job', { job_id: bad })), /job_id/, bad);
  });

  it('gitlab_create_pipeline runs a pipeline for a ref with variables, and says why GitLab refused one', async () => {
    const data = ok(await session.call('gitlab_create_pipeline', { ref: 'feature/login', variables: [{ key: 'DEPLOY_ENV', value: 'review' }] }));
    const created = gitlab.state.requirePipeline((data.pipeline as { id: number }).id);
    assert.equal(created.ref, 'feature/login');
    assert.equal(created.source, 'api');
    assert.deepEqual(created.variables, [{ key: 'DEPLOY_ENV', value: 'review', variable_type: 'env_var' }]);

    const refused = failed(await session.call('gitlab_create_pipeline', { ref: 'no-such-branch' }));
    assert.match(refused, /400/);
    assert.match(refused, /unknown ref/);
  });

  it('gitlab_create_pipeline sends inputs as GitLab takes them, once', async () => {
    const received: { method?: string; url?: string; body: string }[] = [];
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, body });
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 77, iid: 3, project_id: 5, status: 'created', ref: 'main', sha: 'abc1234', source: 'api', web_url: 'http://x/-/pipelines/77', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const token = 'glpat-inputs-test-token-42';
    const local = await startSession({ env: { GITLAB_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, GITLAB_TOKEN: token, GITLAB_PROJECT: '5' }, secrets: [token] });
    try {
      const inputs = { environment: 'staging', replicas: 3, canary: true, regions: ['eu', 'us'] };
      const data = ok(await local.call('gitlab_create_pipeline', { ref: 'main', inputs, variables: [{ key: 'A', value: '1' }] }));
      assert.equal((data.pipeline as { id: number }).id, 77);
      assert.equal(received.length, 1);
      assert.equal(received[0].method, 'POST');
      assert.match(received[0].url ?? '', /^\/api\/v4\/projects\/5\/pipeline\?ref=main$/);
      assert.deepEqual(JSON.parse(received[0].body), { ref: 'main', variables: [{ key: 'A', value: '1' }], inputs });
      assert.match(failed(await local.call('gitlab_create_pipeline', { ref: 'main', inputs: { 'bad name': 'x' } })), /inputs/);
      assert.equal(received.length, 1, 'a refused call sends nothing');
    } finally {
      await local.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gitlab_retry_pipeline runs the failed jobs again as new jobs', async () => {
    const pipeline = pushPipeline('feature/login');
    const failedJob = gitlab.state.pipelineJobs(pipeline.id).find((job) => job.status === 'failed');
    assert.ok(failedJob);
    const data = ok(await session.call('gitlab_retry_pipeline', { pipeline_id: pipeline.id }));
    assert.equal((data.pipeline as { id: number }).id, pipeline.id);
    assert.equal(gitlab.state.requireJob(failedJob.id).retried, true);
    assert.ok(gitlab.state.pipelineJobs(pipeline.id).some((job) => job.name === failedJob.name && job.id > failedJob.id), 'a new attempt exists');
  });

  it('gitlab_cancel_pipeline cancels what has not finished', async () => {
    const created = ok(await session.call('gitlab_create_pipeline', { ref: 'main' }));
    const id = (created.pipeline as { id: number }).id;
    const data = ok(await session.call('gitlab_cancel_pipeline', { pipeline_id: id }));
    assert.equal((data.pipeline as { status: string }).status, 'canceled');
    assert.ok(gitlab.state.pipelineJobs(id).every((job) => ['canceled', 'skipped', 'manual', 'created'].includes(job.status) || job.kind === 'bridge'));
  });

  it('gitlab_delete_pipeline deletes a pipeline; a developer is told the role it needs', async () => {
    const created = ok(await session.call('gitlab_create_pipeline', { ref: 'feature/login' }));
    const id = (created.pipeline as { id: number }).id;
    const jobIds = gitlab.state.pipelineJobs(id).map((job) => job.id);

    const developer = await startDemoSession(gitlab, gitlab.tokens.developer);
    try {
      const refused = failed(await developer.call('gitlab_delete_pipeline', { pipeline_id: id }));
      assert.match(refused, /403/);
      assert.match(refused, /Owner role/);
    } finally {
      await developer.close();
    }
    assert.ok(gitlab.state.pipelines.has(id));

    assert.deepEqual(ok(await session.call('gitlab_delete_pipeline', { pipeline_id: id })), { deleted: true, pipeline_id: id });
    assert.equal(gitlab.state.pipelines.has(id), false);
    assert.ok(jobIds.every((jobId) => !gitlab.state.jobs.has(jobId)), 'its jobs went with it');
    assert.match(failed(await session.call('gitlab_delete_pipeline', { pipeline_id: id })), /404/);
  });

  it("gitlab_list_jobs lists the project's jobs by scope", async () => {
    const expected = gitlab.state.findJobs({ projectId: demoProject().id, kind: 'build' }).filter((job) => job.status === 'failed' || job.status === 'canceled');
    const data = ok(await session.call('gitlab_list_jobs', { scope: ['failed', 'canceled'], per_page: 100 }));
    const jobs = data.jobs as { id: number; status: string }[];
    assert.deepEqual(jobs.map((job) => job.id), expected.map((job) => job.id).sort((a, b) => b - a));
    const one = ok(await session.call('gitlab_list_jobs', { scope: 'failed', per_page: 100 }));
    assert.ok((one.jobs as { status: string }[]).every((job) => job.status === 'failed'));
    assert.match(failed(await session.call('gitlab_list_jobs', { scope: 'broken' })), /scope/);
  });

  it('gitlab_list_pipeline_jobs filters by scope and shows retried attempts when asked', async () => {
    const pipeline = pushPipeline('feature/login'); // retried above
    const latest = ok(await session.call('gitlab_list_pipeline_jobs', { pipeline_id: pipeline.id, per_page: 100 }));
    const withRetried = ok(await session.call('gitlab_list_pipeline_jobs', { pipeline_id: pipeline.id, include_retried: true, per_page: 100 }));
    const retriedIds = gitlab.state.pipelineJobs(pipeline.id, true).filter((job) => job.retried && job.kind === 'build').map((job) => job.id);
    assert.ok(retriedIds.length > 0);
    assert.ok(retriedIds.every((id) => !(latest.jobs as { id: number }[]).some((job) => job.id === id)));
    assert.ok(retriedIds.every((id) => (withRetried.jobs as { id: number }[]).some((job) => job.id === id)));
    const succeeded = ok(await session.call('gitlab_list_pipeline_jobs', { pipeline_id: pipeline.id, scope: ['success'], per_page: 100 }));
    assert.ok((succeeded.jobs as { status: string }[]).length > 0);
    assert.ok((succeeded.jobs as { status: string }[]).every((job) => job.status === 'success'));
  });

  it("gitlab_erase_job erases a finished job's log and artifacts, and says why it cannot erase twice", async () => {
    const job = gitlab.state.findJobs({ projectId: demoProject().id, kind: 'build', status: 'success' }).find((candidate) => candidate.trace.size > 0);
    assert.ok(job);
    const data = ok(await session.call('gitlab_erase_job', { job_id: job.id }));
    assert.equal(data.erased, true);
    assert.ok((data.job as { erased_at?: string }).erased_at);
    assert.equal(gitlab.state.requireJob(job.id).trace.size, 0);
    const again = failed(await session.call('gitlab_erase_job', { job_id: job.id }));
    assert.match(again, /403/);
    assert.match(again, /cannot be erased again/);
  });

  it('names a trigger job given where a job id is expected', async () => {
    const bridge = gitlab.state.pipelineJobs(pushPipeline('main').id).find((job) => job.kind === 'bridge');
    assert.ok(bridge);
    const answer = failed(await session.call('gitlab_get_job', { job_id: bridge.id }));
    assert.match(answer, /404/);
    assert.match(answer, /trigger job \(bridge\) id also gives 404/);
  });
});
