import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GitLab } from '../../../src/gitlab';
import { CiSource, jobKeysOf, lintDiagnostics } from '../../../src/gitlab/ciConfig';
import { GitLabHttpError } from '../../../src/gitlab/errors';
import { setRepositoryFile } from '../../fake-gitlab/ci-files';
import { pipelineInputsOf } from '../../fake-gitlab/routes-ci-lint';
import { type FakeGitLab, generations, startFakeGitLab } from '../../fake-gitlab';
import { clientOf, startWithClient } from '../fakeSession';

const APP = 'demo-group/demo-app';
const demoCiFile = readFileSync('demo/workspace/.gitlab-ci.yml', 'utf8');

for (const generation of generations) {
  describe(`CI Lint over HTTP (GitLab ${generation})`, () => {
    let fake: FakeGitLab;
    let gitlab: GitLab;

    beforeEach(async () => {

      ({ fake, gitlab } = await startWithClient({ generation }));
    });
    afterEach(async () => {
      await fake.close();
    });

    it('finds the demo CI file valid, its local include merged and listed', async () => {
      const result = await gitlab.ciLint.lintContent(APP, demoCiFile, { includeJobs: true });
      assert.deepEqual(result.errors, []);
      assert.equal(result.valid, true);
      assert.deepEqual(result.includes?.map((include) => [include.type, include.location]), [['local', '.gitlab/ci/deploy.yml']]);
      assert.match(result.merged_yaml ?? '', /deploy:production:/);
      assert.match(result.merged_yaml ?? '', /image: node:20/, 'inputs interpolated with their defaults');
      assert.deepEqual(result.jobs?.map((job) => job.name).sort(), ['build', 'deploy-service:trigger', 'deploy:production', 'deploy:staging', 'docs:child', 'test:lint', 'test:unit']);
    });

    it('has the jobs the seeded pipelines run, so CodeLens finds them', () => {
      const project = fake.state.findProject(APP);
      assert.ok(project);
      const fileJobs = jobKeysOf(new CiSource(demoCiFile)).map((job) => job.name);
      const included = jobKeysOf(new CiSource(readFileSync('demo/workspace/.gitlab/ci/deploy.yml', 'utf8'))).map((job) => job.name);
      assert.deepEqual([...fileJobs, ...included].sort(), project.ciTemplate.jobs.map((job) => job.name).sort());
    });

    it('answers 200 with GitLab\'s messages for broken configurations, and they land on the right lines', async () => {
      const content = 'stages: [build]\nbuild:\n  stage: biuld\n  script: x\ntest:\n  stage: build\n  scrip: y\n';
      const unknownKey = await gitlab.ciLint.lintContent(APP, content);
      assert.equal(unknownKey.valid, false);
      assert.deepEqual(unknownKey.errors, ['jobs:test config contains unknown keys: scrip']);
      assert.deepEqual(lintDiagnostics(new CiSource(content), unknownKey).map((d) => d.range.start.line), [6]);
      const stageAndNeeds = 'stages: [build]\nbuild:\n  stage: biuld\n  script: x\ntest:\n  stage: build\n  needs: [compile]\n  script: y\n';
      const processed = await gitlab.ciLint.lintContent(APP, stageAndNeeds);
      assert.deepEqual(processed.errors, [
        'build job: chosen stage biuld does not exist; available stages are .pre, build, .post',
        "'test' job needs 'compile' job, but 'compile' does not exist in the pipeline. This might be because of the only, except, or rules keywords. To need a job that sometimes does not exist in the pipeline, use needs:optional.",
      ]);
      assert.deepEqual(lintDiagnostics(new CiSource(stageAndNeeds), processed).map((d) => d.range.start.line), [2, 6]);
      const syntax = await gitlab.ciLint.lintContent(APP, 'build:\n  script: [a\n');
      assert.equal(syntax.valid, false);
      assert.match(syntax.errors[0] ?? '', /^\(<unknown>\): .* at line \d+ column \d+$/);
      assert.deepEqual((await gitlab.ciLint.lintContent(APP, ' \n')).errors, ['Please provide content of .gitlab-ci.yml']);
      assert.deepEqual((await gitlab.ciLint.lintContent(APP, 'build:\n  stage: build\n')).errors, ['jobs build config should implement the script:, run:, or trigger: keyword']);
      const halfTyped = await gitlab.ciLint.lintContent(APP, 'build:\n  script: x\nlint:\n', { includeJobs: true });
      assert.deepEqual(halfTyped.errors, ['jobs lint config should implement the script:, run:, or trigger: keyword'], 'a job typed so far as a bare key');
      assert.deepEqual((await gitlab.ciLint.lintContent(APP, 'include:\n  - local: nope.yml\nb:\n  script: x\n')).errors, ['Local file `nope.yml` does not exist!']);
      assert.deepEqual((await gitlab.ciLint.lintContent(APP, 'spec:\n  inputs:\n    env:\n---\nb:\n  script: x\n')).errors, ['`env` input: required value has not been provided']);
    });

    it('lints the repository\'s file with GET, and says 404 for an unknown ref', async () => {
      const project = fake.state.findProject(APP);
      assert.ok(project);
      assert.equal((await gitlab.ciLint.lintRepository(APP, { ref: 'main', dryRun: true, includeJobs: true })).valid, true);
      setRepositoryFile(project, '.gitlab-ci.yml', 'build:\n  scrip: x\n');
      assert.deepEqual((await gitlab.ciLint.lintRepository(APP)).errors, ['jobs:build config contains unknown keys: scrip']);
      await assert.rejects(gitlab.ciLint.lintRepository(APP, { ref: 'no-such-ref' }), (error: unknown) => error instanceof GitLabHttpError && error.status === 404);
    });

    it('refuses Reporters and read_api tokens with 403, as GitLab does', async () => {
      for (const token of [fake.tokens.reporter, fake.tokens.readOnly]) {
        const denied = new GitLab({ instanceUrl: fake.url, token, retry: { baseDelayMs: 10 } });
        await assert.rejects(denied.ciLint.lintContent(APP, demoCiFile), (error: unknown) => error instanceof GitLabHttpError && error.status === 403);
      }
      const reader = clientOf(fake, fake.tokens.reporter);
      assert.equal((await reader.ciLint.lintRepository(APP)).valid, true, 'reading the repository\'s file is allowed');
    });

    it('creates a pipeline with inputs, checked against the CI file\'s spec', async () => {
      const created = await gitlab.pipelines.create(APP, 'main', [], undefined, { environment: 'review', run_lint: false });
      assert.deepEqual(pipelineInputsOf(fake.state.requirePipeline(created.id)), { environment: 'review', run_lint: 'false' });
      await assert.rejects(gitlab.pipelines.create(APP, 'main', [], undefined, { environment: 'moon' }), (error: unknown) => error instanceof GitLabHttpError && error.status === 400 && /allowed options/.test(error.gitlabMessage));
      await assert.rejects(gitlab.pipelines.create(APP, 'main', [], undefined, { colour: 'red' }), (error: unknown) => error instanceof GitLabHttpError && error.status === 400);
    });
  });
}

describe('CI Lint on an older or stripped-down GitLab', () => {
  it('an instance without the lint endpoint answers 404', async () => {
    const fake = await startFakeGitLab({ features: { ciLint: false } });
    try {
      const gitlab = clientOf(fake);
      await assert.rejects(gitlab.ciLint.lintContent(APP, demoCiFile), (error: unknown) => error instanceof GitLabHttpError && error.status === 404);
    } finally {
      await fake.close();
    }
  });

  it('GitLab before 18.1 drops inputs: a required one is then missing', async () => {
    const fake = await startFakeGitLab({ features: { pipelineInputs: false } });
    try {
      const project = fake.state.findProject(APP);
      assert.ok(project);
      setRepositoryFile(project, '.gitlab-ci.yml', 'spec:\n  inputs:\n    env:\n---\nb:\n  script: x\n');
      const gitlab = clientOf(fake);
      await assert.rejects(gitlab.pipelines.create(APP, 'main', [], undefined, { env: 'x' }), (error: unknown) => error instanceof GitLabHttpError && /`env` input: required value/.test(error.gitlabMessage));
    } finally {
      await fake.close();
    }
  });
});
