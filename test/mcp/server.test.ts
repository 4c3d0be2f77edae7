import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeGitLab } from '../fake-gitlab';
import { DEMO_PROJECT, type McpSession, SERVER_ENTRY, allUserTokens, assertNoSecrets, closeDemoGitLab, execFileAsync, failed, ok, startDemoGitLab, startDemoSession, startSession } from './harness';

type Hints = [readOnly: boolean, destructive: boolean, idempotent: boolean];

const EXPECTED_TOOLS: Record<string, Hints> = {
  'request-job': [false, false, false],
  'update-job': [false, false, true],
  'upload-job-artifact': [false, false, false],
  'download-artifacts-file-job': [false, false, false],
  'authorize-uploading-job-artifact': [false, false, false],
  'append-patch-job-trace': [false, false, true],
  'list-runner-s-jobs': [true, false, true],
  'expire-artifacts-files-project': [false, true, true],
  'download-artifacts-archive-job': [false, false, false],
  'download-artifacts-archive-job-2': [false, false, false],
  'download-specific-file-artifacts-archive': [false, false, false],
  'download-specific-file-artifacts-archive-2': [false, false, false],
  'delete-artifacts-files-job': [false, true, true],
  'keep-artifacts-prevent-them-being': [false, false, true],
  'list-all-files-artifacts-archive': [true, false, true],
  gitlab_list_pipelines: [true, false, true],
  gitlab_get_pipeline: [true, false, true],
  gitlab_list_pipeline_jobs: [true, false, true],
  gitlab_create_pipeline: [false, false, false],
  gitlab_retry_pipeline: [false, false, false],
  gitlab_cancel_pipeline: [false, true, true],
  gitlab_delete_pipeline: [false, true, true],
  gitlab_list_merge_request_pipelines: [true, false, true],
  gitlab_list_jobs: [true, false, true],
  gitlab_get_job: [true, false, true],
  gitlab_read_job_log: [true, false, true],
  gitlab_retry_job: [false, false, false],
  gitlab_cancel_job: [false, true, true],
  gitlab_play_job: [false, false, false],
  gitlab_erase_job: [false, true, true],
  gitlab_get_job_problems: [true, false, true],
  gitlab_get_test_report: [true, false, true],
  gitlab_lint_ci_config: [true, false, true],
};

describe('MCP server: tools, schemas, configuration', () => {
  let gitlab: FakeGitLab;
  let session: McpSession;
  const scratch: string[] = [];

  before(async () => {
    ({ gitlab, session } = await startDemoGitLab({ generation: '18.2' }));
  });

  after(async () => {
    await closeDemoGitLab(session, gitlab);
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    scratch.push(dir);
    return dir;
  }

  it('lists exactly the expected tools, with their annotations and described parameters', async () => {
    const { tools } = await session.client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), Object.keys(EXPECTED_TOOLS).sort());
    for (const tool of tools) {
      const [readOnlyHint, destructiveHint, idempotentHint] = EXPECTED_TOOLS[tool.name];
      assert.deepEqual(
        { readOnlyHint: tool.annotations?.readOnlyHint, destructiveHint: tool.annotations?.destructiveHint, idempotentHint: tool.annotations?.idempotentHint },
        { readOnlyHint, destructiveHint, idempotentHint },
        tool.name,
      );
      assert.ok(tool.description && tool.description.length > 20, `${tool.name} has a description`);
      assert.equal(tool.inputSchema.additionalProperties, false, `${tool.name} refuses unknown parameters`);
      assert.equal(tool.outputSchema?.type, 'object', `${tool.name} declares what it answers`);
      assert.equal(tool.outputSchema.additionalProperties, false, `${tool.name} declares every field it answers`);
    }
    const listJobs = tools.find((tool) => tool.name === 'gitlab_list_pipeline_jobs');
    assert.deepEqual(listJobs?.inputSchema.required, ['pipeline_id']);
    assert.deepEqual(Object.keys(listJobs?.inputSchema.properties ?? {}).sort(), ['include_retried', 'page', 'per_page', 'pipeline_id', 'project_id', 'scope']);
  });

  it('refuses invalid arguments with a message naming the parameter', async () => {
    const pipelineId = [...gitlab.state.pipelines.keys()][0];
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ pipeline_id: pipelineId, per_page: 0 }, /per_page/],
      [{ pipeline_id: pipelineId, per_page: 101 }, /per_page/],
      [{ pipeline_id: pipelineId, page: 0 }, /page/],
      [{}, /pipeline_id/],
      [{ pipeline_id: 'one' }, /pipeline_id/],
      [{ pipeline_id: pipelineId, perpage: 5 }, /perpage/],
    ];
    for (const [args, mentions] of cases) {
      assert.match(failed(await session.call('gitlab_list_pipeline_jobs', args)), mentions, JSON.stringify(args));
    }
    assert.match(failed(await session.call('gitlab_read_job_log', { job_id: 1, max_bytes: 10_000_000 })), /max_bytes/);
    assert.match(failed(await session.call('gitlab_play_job', { job_id: 1, job_variables_attributes: [{ key: 'BAD KEY', value: 'x' }] })), /key/);
  });

  it('reports GitLab failures as tool errors with the status, GitLab\'s message and what to do', async () => {
    const missing = failed(await session.call('gitlab_get_job', { job_id: 999_999 }));
    assert.match(missing, /404/);
    assert.match(missing, /check project_id/);
    assert.match(missing, /trigger job/, 'names the likely mix-up: a trigger job id');

    const expired = await startDemoSession(gitlab, gitlab.tokens.expired);
    try {
      const answer = failed(await expired.call('gitlab_list_pipelines'));
      assert.match(answer, /401/);
      assert.match(answer, /expired or was revoked/);
      assert.doesNotMatch(answer, /\.\./, 'one full stop after GitLab\'s own sentence');
    } finally {
      await expired.close();
    }

    const readOnly = await startDemoSession(gitlab, gitlab.tokens.readOnly);
    try {
      ok(await readOnly.call('gitlab_list_pipelines', { per_page: 1 }));
      const job = gitlab.state.findJobs({ kind: 'build' }).find((candidate) => candidate.status === 'failed');
      assert.ok(job);
      const answer = failed(await readOnly.call('gitlab_retry_job', { job_id: job.id }));
      assert.match(answer, /403/);
      assert.match(answer, /changes need api/);
    } finally {
      await readOnly.close();
    }

    const reporter = await startDemoSession(gitlab, gitlab.tokens.reporter);
    try {
      const finished = gitlab.state.findJobs({ kind: 'build' }).find((job) => job.status === 'failed');
      assert.ok(finished);
      const answer = failed(await reporter.call('gitlab_retry_job', { job_id: finished.id }));
      assert.match(answer, /403/);
      assert.match(answer, /role/);
    } finally {
      await reporter.close();
    }
  });

  it('asks for a project when none was given or detected', async () => {
    const outsideGit = await tempDir('mcp-no-git-');
    const bare = await startSession({ env: { GITLAB_URL: gitlab.url, GITLAB_TOKEN: gitlab.tokens.maintainer }, cwd: outsideGit, secrets: allUserTokens(gitlab) });
    try {
      assert.match(failed(await bare.call('gitlab_list_pipelines')), /No project: pass project_id/);
      const data = ok(await bare.call('gitlab_list_pipelines', { project_id: DEMO_PROJECT, per_page: 1 }));
      assert.equal((data.pipelines as unknown[]).length, 1);
    } finally {
      await bare.close();
    }
  });

  for (const withUrl of [true, false]) {
    it(`detects the project from the git remote of its working directory${withUrl ? '' : ', and the instance too'}`, async () => {
      const checkout = await tempDir('mcp-checkout-');
      await execFileAsync('git', ['init', '-q'], { cwd: checkout });
      await execFileAsync('git', ['remote', 'add', 'upstream', 'git@elsewhere.example.com:other/project.git'], { cwd: checkout });
      await execFileAsync('git', ['remote', 'add', 'origin', `${gitlab.url}/${DEMO_PROJECT}.git`], { cwd: checkout });
      const env: Record<string, string> = { GITLAB_TOKEN: gitlab.tokens.maintainer, ...(withUrl ? { GITLAB_URL: gitlab.url } : {}) };
      const detected = await startSession({ env, cwd: checkout, secrets: allUserTokens(gitlab) });
      try {
        const data = ok(await detected.call('gitlab_list_pipelines', { per_page: 100 }));
        const project = gitlab.state.requireProject(DEMO_PROJECT);
        const expected = [...gitlab.state.pipelines.values()].filter((p) => p.projectId === project.id && p.source !== 'parent_pipeline');
        assert.deepEqual((data.pipelines as { id: number }[]).map((p) => p.id).sort(), expected.map((p) => p.id).sort());
        assert.match(detected.stderr(), /demo-group\/demo-app \(from git remote origin\)/);
      } finally {
        await detected.close();
      }
    });
  }

  it('refuses a token on the command line without echoing it', async () => {
    const token = gitlab.tokens.maintainer;
    const error = await execFileAsync(process.execPath, [SERVER_ENTRY, '--url', gitlab.url, '--token', token], { cwd: tmpdir() }).then(
      () => assert.fail('the server started'),
      (failure: { code?: number; stderr?: string }) => failure,
    );
    assert.equal(error.code, 2);
    assert.match(error.stderr ?? '', /GITLAB_TOKEN/);
    assertNoSecrets(error.stderr ?? '', [token], 'stderr');
  });

  it('keeps the token out of answers even when GitLab echoes it', async () => {
    const job = gitlab.state.findJobs({ kind: 'build' }).find((candidate) => candidate.trace.size > 0);
    assert.ok(job);
    gitlab.state.setJobTrace(job.id, `export TOKEN=${gitlab.tokens.maintainer}\ndone\n`);
    const data = ok(await session.call('gitlab_read_job_log', { job_id: job.id }));
    assert.match(String(data.text), /export TOKEN=\[REDACTED\]/);
  });
});
