// The bundle users run (dist/mcp.js), driven by the official SDK client: every tool is listed and called,
// and each structured answer is checked against the output schema the tool declares, by Ajv on our side
// (the SDK's client checks it too, and throws on a mismatch).
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { type FakeGitLab, type JobRecord, generations, writeZip } from '../fake-gitlab';
import { BUNDLED_SERVER, DEMO_PROJECT, type McpSession, REPO_ROOT, closeDemoGitLab, execFileAsync, ok, startDemoGitLab } from './harness';

type Call = [tool: string, args: () => Record<string, unknown>];

/** The bundle as the sources are now, built once for every generation's run. */
let built: Promise<unknown> | undefined;
const buildOnce = () => (built ??= execFileAsync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT }));

for (const generation of generations) {
  describe(`MCP server bundle: every tool answers as its outputSchema says (GitLab ${generation})`, () => {
    let gitlab: FakeGitLab;
    let session: McpSession;
    let scratch: string;
    const validators = new Map<string, ValidateFunction>();

    before(async function () {
      this.timeout(60_000);
      await buildOnce();
      ({ gitlab, session } = await startDemoGitLab({ generation }, BUNDLED_SERVER));
      scratch = await mkdtemp(join(tmpdir(), 'mcp-schemas-'));
    });

    after(async () => {
      await closeDemoGitLab(session, gitlab);
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    const demo = () => gitlab.state.requireProject(DEMO_PROJECT);
    const job = (filter: (candidate: JobRecord) => boolean): JobRecord => {
      const found = gitlab.state.findJobs({ projectId: demo().id, kind: 'build' }).find(filter);
      assert.ok(found, 'a fitting job in the fixture');
      return found;
    };
    const pushPipeline = (ref: string): number => {
      const found = [...gitlab.state.pipelines.values()].find((p) => p.projectId === demo().id && p.ref === ref && p.source === 'push');
      assert.ok(found);
      return found.id;
    };
    const withArchive = () => job((candidate) => candidate.name === 'build' && gitlab.state.archiveOf(candidate) !== undefined);
    // Filled by the calls that create them: a pipeline of our own, the job a runner took.
    let created = 0;
    let runnerJob = { job_id: 0, job_token: '' };

    it('lists every tool with an output schema Ajv compiles', async () => {
      const { tools } = await session.client.listTools();
      // The SDK publishes draft-07 schemas (it says so in $schema): Ajv's default draft.
      const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
      for (const tool of tools) {
        assert.ok(tool.outputSchema, `${tool.name} declares an outputSchema`);
        validators.set(tool.name, ajv.compile(tool.outputSchema));
      }
      assert.deepEqual([...validators.keys()].sort(), [...new Set(CALLS.map(([name]) => name))].sort(), 'the calls below cover every tool');
    });

    // In order: reads first, then what creates, runs and finally removes things.
    const CALLS: Call[] = [
      ['gitlab_list_pipelines', () => ({ per_page: 5 })],
      ['gitlab_get_pipeline', () => ({ pipeline_id: pushPipeline('main') })],
      ['gitlab_list_pipeline_jobs', () => ({ pipeline_id: pushPipeline('main'), include_retried: true })],
      ['gitlab_list_jobs', () => ({ scope: ['failed', 'success'] })],
      ['gitlab_list_merge_request_pipelines', () => ({ project_id: 'demo-group/storefront', branch: 'feature/checkout' })],
      ['gitlab_list_merge_request_pipelines', () => ({ branch: 'feature/login' })],
      ['gitlab_get_job', () => ({ job_id: String(withArchive().id) })],
      ['gitlab_lint_ci_config', () => ({ content: 'build:\n  scrip: x\n', include_merged_yaml: true })],
      ['gitlab_lint_ci_config', () => ({ dry_run: true, ref: 'main' })],
      ['gitlab_read_job_log', () => ({ job_id: withArchive().id, tail_lines: 5 })],
      ['gitlab_read_job_log', () => ({ job_id: withArchive().id, byte_offset: 10, max_bytes: 2048 })],
      ['list-all-files-artifacts-archive', () => ({ job_id: withArchive().id, recursive: true })],
      ['download-artifacts-archive-job-2', () => ({ job_id: withArchive().id, directory: join(scratch, 'by-id') })],
      ['download-artifacts-archive-job', () => ({ ref_name: 'main', job: 'build', directory: join(scratch, 'by-ref'), extract: false })],
      ['download-specific-file-artifacts-archive-2', () => ({ job_id: withArchive().id, artifact_path: 'reports/summary.txt', directory: join(scratch, 'file-by-id') })],
      ['download-specific-file-artifacts-archive', () => ({ ref_name: 'main', job: 'build', artifact_path: 'dist/app.js', directory: join(scratch, 'file-by-ref') })],
      ['keep-artifacts-prevent-them-being', () => ({ job_id: withArchive().id })],
      ['list-runner-s-jobs', () => ({ id: [...gitlab.state.runners.keys()][0], per_page: 3 })],
      ['gitlab_create_pipeline', () => ({ ref: 'main', variables: [{ key: 'FROM', value: 'schema-test' }] })],
      ['request-job', () => ({ token: gitlab.tokens.runner })],
      ['update-job', () => ({ ...runnerJob, state: 'running' })],
      ['append-patch-job-trace', () => ({ ...runnerJob, content: 'hello\n', offset: 0 })],
      ['authorize-uploading-job-artifact', () => ({ ...runnerJob, filesize: 100 })],
      ['upload-job-artifact', () => ({ ...runnerJob, file: join(scratch, 'upload.zip') })],
      ['download-artifacts-file-job', () => ({ ...runnerJob, directory: join(scratch, 'runner') })],
      ['gitlab_cancel_job', () => ({ job_id: runnerJob.job_id })],
      ['gitlab_cancel_pipeline', () => ({ pipeline_id: created })],
      ['gitlab_retry_pipeline', () => ({ pipeline_id: pushPipeline('feature/login') })],
      ['gitlab_retry_job', () => ({ job_id: job((candidate) => candidate.status === 'canceled' && !candidate.retried).id })],
      ['gitlab_play_job', () => ({ job_id: job((candidate) => candidate.status === 'manual').id, job_variables_attributes: [{ key: 'A', value: 'b' }] })],
      ['gitlab_erase_job', () => ({ job_id: job((candidate) => candidate.status === 'failed' && candidate.trace.size > 0).id })],
      ['delete-artifacts-files-job', () => ({ job_id: withArchive().id })],
      ['expire-artifacts-files-project', () => ({})],
      ['gitlab_delete_pipeline', () => ({ pipeline_id: created })],
      ['gitlab_get_job_problems', () => ({ job_id: job((candidate) => candidate.trace.size > 0).id })],
      ['gitlab_get_test_report', () => ({ pipeline_id: pushPipeline('main') })],
    ];

    it('answers every call with structured content that matches the declared schema', async function () {
      this.timeout(60_000);
      await writeZip(join(scratch, 'upload.zip'), { 'out/result.txt': 'built\n' });
      for (const [tool, args] of CALLS) {
        const data = ok(await session.call(tool, args()));
        const validate = validators.get(tool);
        assert.ok(validate, `${tool} was listed`);
        assert.ok(validate(data), `${tool}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(data).slice(0, 500)}`);
        if (tool === 'gitlab_create_pipeline') created = (data.pipeline as { id: number }).id;
        if (tool === 'request-job') {
          const payload = data.job as { id: number; token: string } | null;
          assert.ok(payload, 'the new pipeline gave the runner a job');
          runnerJob = { job_id: payload.id, job_token: payload.token };
        }
      }
    });
  });
}
