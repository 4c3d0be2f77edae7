import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GitLab } from '../../../src/gitlab';
import { findJobProblems } from '../../../src/gitlab/problems/jobProblems';
import { type FakeGitLab } from '../../fake-gitlab';
import { demoLintLog } from '../../fake-gitlab/demo-logs';
import { startWithClient } from '../fakeSession';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const FIXTURES = path.join(REPO, 'test', 'gitlab', 'problems', 'fixtures');
const PROJECT = 'demo-group/demo-app';
/** The files of the workspace these tests pretend to have. */
const WORKSPACE = new Set(['src/checkout.ts', 'src/format.ts']);
const exists = (relative: string) => Promise.resolve(WORKSPACE.has(relative));

describe("a job's problems, from its log over HTTP", () => {
  let fake: FakeGitLab;
  let gitlab: GitLab;
  let jobId: number;

  beforeEach(async () => {

    ({ fake, gitlab } = await startWithClient());
    const job = fake.state.findJobs({ pipelineId: 1004, name: 'test:unit' })[0];
    assert.ok(job);
    jobId = job.id;
  });
  afterEach(() => fake.close());

  const setLog = (text: string) => fake.state.setJobTrace(jobId, Buffer.from(text));
  const checkout = 'section_start:1700000000:get_sources\r\u001b[0KInitialized empty Git repository in /builds/demo-group/demo-app/.git/\nsection_end:1700000001:get_sources\r\u001b[0K\n';

  it('maps tsc and ESLint paths into the workspace, relative and under /builds alike', async () => {
    setLog(checkout + readFileSync(path.join(FIXTURES, 'npm-lint.txt'), 'utf8') + '\u001b[31;1mERROR: Job failed: exit code 1\u001b[0;m\n');
    const found = await findJobProblems(gitlab, PROJECT, PROJECT, jobId, { exists });
    assert.deepEqual(found.problems.map((p) => `${p.tool} ${p.path}:${p.line}:${p.column}`), ['tsc src/checkout.ts:14:9', 'eslint src/format.ts:9:9']);
    assert.equal(found.projectDir, '/builds/demo-group/demo-app');
    assert.equal(found.dropped, 0);
    assert.equal(found.capped, false);
  });

  it("traces the demo's failing lint job to the type error and the lint error in demo/workspace/src", async () => {
    setLog(demoLintLog(jobId));
    const demoWorkspace = path.join(REPO, 'demo', 'workspace');
    const found = await findJobProblems(gitlab, PROJECT, PROJECT, jobId, { exists: (relative) => Promise.resolve(existsSync(path.join(demoWorkspace, relative))) });
    assert.deepEqual(found.problems.map((p) => `${p.path}:${p.line}:${p.column} ${p.code}`), ['src/checkout.ts:14:9 TS2322', 'src/format.ts:9:9 @typescript-eslint/no-unused-vars']);
    const lineOf = (file: string, line: number) => readFileSync(path.join(demoWorkspace, file), 'utf8').split('\n')[line - 1];
    assert.match(lineOf('src/checkout.ts', 14) ?? '', /const total: number = orderTotal\(order\)\.toFixed\(2\)/);
    assert.match(lineOf('src/format.ts', 9) ?? '', /const separator = /);
  });

  it('drops what points outside the workspace or at files it does not have', async () => {
    setLog([
      '/etc/passwd:1:1: error: outside',
      '/builds/demo-group/demo-app/../../../etc/passwd:3: error: climbing out',
      '../secrets.ts(1,1): error TS1000: above the checkout',
      'src/renamed.ts(2,3): error TS2304: moved away since',
      'src/format.ts(9,9): error TS6133: kept',
      '',
    ].join('\n'));
    const found = await findJobProblems(gitlab, PROJECT, PROJECT, jobId, { exists });
    assert.deepEqual(found.problems.map((p) => p.path), ['src/format.ts']);
    assert.equal(found.dropped, 4);
  });

  it('stays bounded on a log with 100,000 matcher hits and a 5 MB line: capped, and says so', async () => {
    const hits = Array.from({ length: 100_000 }, (_, i) => `src/format.ts(${i + 1},1): error TS2322: problem ${i}`).join('\n');
    setLog(`${'x'.repeat(5 * 1024 * 1024)}\n${hits}\n`);
    const found = await findJobProblems(gitlab, PROJECT, PROJECT, jobId, { exists, limits: { maxProblems: 1000, maxLineLength: 4096, maxMessageLength: 500 } });
    assert.equal(found.problems.length, 1000);
    assert.equal(found.capped, true);
    assert.ok(found.longLines > 0, 'the huge line (the renderer cuts it in pieces) is counted, not matched');
    assert.ok(found.logBytes > 5 * 1024 * 1024);
  });
});
