import * as assert from 'node:assert/strict';
import { renderTraceText } from '../../src/gitlab/trace/renderer';
import { type FakeGitLab, type JobRecord, featuresOf, generations } from '../fake-gitlab';
import { DEMO_PROJECT, type McpSession, closeDemoGitLab, failed, ok, startDemoGitLab } from './harness';

interface JobSummary {
  id: number;
  name: string;
  status: string;
  stage: string;
  web_url: string;
  started_at: string | null;
  duration: number | null;
  artifacts: { file_type: string }[];
}

/** The demo project's build jobs that pass `filter`. */
function demoJobsOf(gitlab: FakeGitLab, filter: (job: JobRecord) => boolean): JobRecord[] {
  return gitlab.state.findJobs({ projectId: gitlab.state.requireProject(DEMO_PROJECT).id, kind: 'build' }).filter(filter);
}

describe('MCP server: pipeline and job tools', () => {
  let gitlab: FakeGitLab;
  let session: McpSession;

  before(async () => {
    ({ gitlab, session } = await startDemoGitLab({ generation: '18.2' }));
  });

  after(() => closeDemoGitLab(session, gitlab));

  const demoJobs = (filter: (job: JobRecord) => boolean): JobRecord[] => demoJobsOf(gitlab, filter);
  const pipelineOf = (ref: string) => [...gitlab.state.pipelines.values()].find((p) => p.ref === ref && p.source === 'push');

  it('gitlab_list_pipelines filters by ref and status', async () => {
    const data = ok(await session.call('gitlab_list_pipelines', { ref: 'feature/login', status: 'failed' }));
    const pipelines = data.pipelines as { id: number; ref: string; status: string; web_url: string }[];
    assert.deepEqual(pipelines.map((p) => p.id), [pipelineOf('feature/login')?.id]);
    assert.equal(pipelines[0].status, 'failed');
    assert.match(pipelines[0].web_url, /\/demo-group\/demo-app\/-\/pipelines\/\d+$/);
    assert.deepEqual(ok(await session.call('gitlab_list_pipelines', { ref: 'feature/login', status: 'success' })).pipelines, []);
  });

  it('gitlab_list_pipeline_jobs pages through the jobs with status, stage, timing, artifacts and web_url', async () => {
    const pipeline = pipelineOf('main');
    assert.ok(pipeline);
    const expected = gitlab.state.pipelineJobs(pipeline.id).filter((job) => job.kind === 'build').map((job) => job.id).sort((a, b) => b - a);
    const first = ok(await session.call('gitlab_list_pipeline_jobs', { pipeline_id: pipeline.id, per_page: 2 }));
    const second = ok(await session.call('gitlab_list_pipeline_jobs', { project_id: DEMO_PROJECT, pipeline_id: pipeline.id, per_page: 2, page: 2 }));
    assert.equal(first.next_page, 2);
    const seen = [...(first.jobs as JobSummary[]), ...(second.jobs as JobSummary[])];
    assert.deepEqual(seen.map((job) => job.id), expected.slice(0, 4));

    const all = ok(await session.call('gitlab_list_pipeline_jobs', { pipeline_id: pipeline.id, per_page: 100 }));
    const build = (all.jobs as JobSummary[]).find((job) => job.name === 'build');
    assert.ok(build);
    assert.equal(build.status, 'success');
    assert.equal(build.stage, 'build');
    assert.ok(build.started_at !== null && build.duration !== null);
    assert.ok(build.artifacts.some((artifact) => artifact.file_type === 'archive'));
    assert.match(build.web_url, new RegExp(`/-/jobs/${build.id}$`));
  });

  it('gitlab_get_job gives the failure reason', async () => {
    const failedJob = demoJobs((job) => job.status === 'failed' && job.failureReason !== null)[0];
    const data = ok(await session.call('gitlab_get_job', { job_id: failedJob.id }));
    assert.equal(data.id, failedJob.id);
    assert.equal(data.status, 'failed');
    assert.equal(data.failure_reason, failedJob.failureReason);
  });

  it('gitlab_retry_job creates a new job', async () => {
    const original = demoJobs((job) => job.status === 'failed' && !job.retried)[0];
    const data = ok(await session.call('gitlab_retry_job', { job_id: original.id }));
    const newJob = data.new_job as JobSummary;
    assert.notEqual(newJob.id, original.id);
    const created = gitlab.state.requireJob(newJob.id);
    assert.equal(created.name, original.name);
    assert.equal(created.pipelineId, original.pipelineId);
    assert.equal(gitlab.state.requireJob(original.id).retried, true);
    assert.match(failed(await session.call('gitlab_retry_job', { job_id: original.id })), /403.*not retryable/);
  });

  it('gitlab_cancel_job cancels a pending job and says when nothing could be canceled', async () => {
    const pending = demoJobs((job) => job.status === 'pending')[0];
    const canceled = ok(await session.call('gitlab_cancel_job', { job_id: pending.id }));
    assert.equal(canceled.canceled, true);
    assert.equal(gitlab.state.requireJob(pending.id).status, 'canceled');

    const finished = demoJobs((job) => job.status === 'success')[0];
    const unchanged = ok(await session.call('gitlab_cancel_job', { job_id: finished.id }));
    assert.equal(unchanged.canceled, false);
    assert.match(String(unchanged.note), /success/);
  });

  it('gitlab_play_job starts a manual job with variables', async () => {
    const manual = demoJobs((job) => job.status === 'manual')[0];
    const data = ok(await session.call('gitlab_play_job', { job_id: manual.id, job_variables_attributes: [{ key: 'DEPLOY_ENV', value: 'staging' }] }));
    assert.equal((data.job as JobSummary).id, manual.id);
    const played = gitlab.state.requireJob(manual.id);
    assert.notEqual(played.status, 'manual');
    assert.deepEqual(played.playVariables, [{ key: 'DEPLOY_ENV', value: 'staging' }]);
    const notManual = failed(await session.call('gitlab_play_job', { job_id: demoJobs((job) => job.status === 'success')[0].id }));
    assert.match(notManual, /Unplayable Job/);
    assert.match(notManual, /is success, not a manual job/, 'names the real cause: the job is not manual');
    assert.match(notManual, /gitlab_retry_job/);
  });
});

for (const generation of generations) {
  describe(`MCP server: gitlab_read_job_log on GitLab ${generation}`, () => {
    const ESCAPE = '\u001b';
    let gitlab: FakeGitLab;
    let session: McpSession;

    before(async () => {
      ({ gitlab, session } = await startDemoGitLab({ generation }));
    });

    after(() => closeDemoGitLab(session, gitlab));

    const demoJobs = (filter: (job: JobRecord) => boolean): JobRecord[] => demoJobsOf(gitlab, filter);

    it('returns the last lines, rendered, and says how many were skipped', async () => {
      const job = demoJobs((candidate) => candidate.trace.size > 0)[0];
      const rendered = renderTraceText(job.trace.toBuffer()).split('\n');
      const data = ok(await session.call('gitlab_read_job_log', { job_id: job.id, tail_lines: 5 }));
      assert.equal(data.text, rendered.slice(-5).join('\n'));
      assert.equal(data.skipped_lines, rendered.length - 5);
      assert.equal(data.total_bytes, job.trace.size);
      assert.equal(data.next_offset, job.trace.size);
      assert.ok(!String(data.text).includes(ESCAPE) && !String(data.text).includes('section_'));
    });

    it('caps a huge log to max_bytes', async () => {
      const job = demoJobs((candidate) => candidate.trace.size > 0)[1];
      const line = `${ESCAPE}[32m${'x'.repeat(90)}${ESCAPE}[0m\n`;
      gitlab.state.setJobTrace(job.id, line.repeat(50_000) + 'the end\n');
      const data = ok(await session.call('gitlab_read_job_log', { job_id: job.id, tail_lines: 5000, max_bytes: 4096 }));
      assert.ok(Buffer.byteLength(String(data.text)) <= 4096);
      assert.match(String(data.text), /the end$/);
      assert.equal(data.truncated, true);
      assert.equal(data.skipped_lines, 50_001 - (data.returned_lines as number));

      gitlab.state.setJobTrace(job.id, `first\n${'é'.repeat(5000)}the end`);
      const longLine = ok(await session.call('gitlab_read_job_log', { job_id: job.id, max_bytes: 1024 }));
      assert.ok(Buffer.byteLength(String(longLine.text)) <= 1024);
      assert.match(String(longLine.text), /^é+the end$/);
      assert.equal(longLine.truncated, true);
    });

    it(`reads forward from a byte offset, ${featuresOf(generation).traceByteRange ? 'a slice at a time' : 'from the whole log, streamed'}`, async () => {
      const job = demoJobs((candidate) => candidate.trace.size > 0)[2];
      const lines = Array.from({ length: 400 }, (_, index) => `${ESCAPE}[1mline ${index}${ESCAPE}[0m`);
      gitlab.state.setJobTrace(job.id, lines.join('\n') + '\n');
      const requestsBefore = gitlab.requests.length;
      const pieces: string[] = [];
      let offset = 0;
      for (let reads = 0; ; reads++) {
        assert.ok(reads < 20, 'too many reads');
        const data = ok(await session.call('gitlab_read_job_log', { job_id: job.id, byte_offset: offset, max_bytes: 1024 }));
        assert.equal(data.skipped_bytes, offset);
        pieces.push(String(data.text));
        offset = data.next_offset as number;
        if (data.more_after !== true) break;
      }
      assert.equal(offset, job.trace.size);
      assert.deepEqual(pieces.join('\n').split('\n'), lines.map((_, index) => `line ${index}`));
      const logReads = gitlab.requests.slice(requestsBefore).filter((request) => request.path.endsWith(`/jobs/${job.id}/trace`) && request.query.get('byte_limit') !== '0');
      if (gitlab.features.traceByteRange) {
        // max_bytes + 1, and on each side a secret's length - 1, so a token a window edge cuts is seen whole and masked.
        const widest = 1025 + 2 * (gitlab.tokens.maintainer.length - 1);
        assert.ok(logReads.every((request) => Number(request.query.get('byte_limit')) <= widest), `only slices of max_bytes + 1 (+ ${widest - 1025})`);
      } else {
        assert.ok(logReads.every((request) => !request.query.has('byte_offset') && !request.query.has('byte_limit')), 'no slice asked of a GitLab without them');
      }
    });
  });
}
