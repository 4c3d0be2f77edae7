import type { FakeGitLab } from '../../fake-gitlab';
import { SimulatedRunner } from '../../fake-gitlab/simulated-runner';

export const PROJECT = 'demo-group/demo-app';

/** A JUnit file in the shapes test tools write: nested suites, messages with and without text, CI paths. */
export const mixedJunit = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="6" failures="2" errors="1">
  <testsuite name="cart" tests="4">
    <testcase classname="cart" name="adds an item" time="0.010" file="test/cart.test.ts"/>
    <testcase classname="cart" name="applies a coupon" time="0.020" file="test/cart.test.ts">
      <failure message="expected 90 to equal 85" type="AssertionError">AssertionError: expected 90 to equal 85
    at Context.&lt;anonymous&gt; (/builds/demo-group/demo-app/test/cart.test.ts:14:27)
    at processImmediate (node:internal/timers:478:21)</failure>
    </testcase>
    <testcase classname="cart" name="totals in cents" time="0.001"><failure message="no text"/></testcase>
    <testsuite name="nested">
      <testcase classname="cart.nested" name="skips" time="0"><skipped/></testcase>
    </testsuite>
  </testsuite>
  <testcase classname="top" name="crashes" time="0.5"><error message="boom">Error: boom
    at Object.total (/builds/demo-group/demo-app/src/cart.ts:7:11)</error></testcase>
</testsuites>
`;

/** A runner that finishes jobs in one chunk and uploads the given JUnit for any job declaring a report. */
export function junitRunner(fake: FakeGitLab, junit: (name: string) => string): SimulatedRunner {
  return new SimulatedRunner({
    instanceUrl: fake.url,
    runnerToken: fake.tokens.runner,
    chunkBytes: 1 << 20,
    chunkIntervalMs: 0,
    pollIntervalMs: 10,
    junitReport: (job) => junit(job.job_info.name),
  });
}

/** Runs pending jobs (the seed has some of its own) until this pipeline's job `name` has run and uploaded its report. */
export async function runJobOf(fake: FakeGitLab, runner: SimulatedRunner, pipelineId: number, name = 'build'): Promise<void> {
  const job = fake.state.findJobs({ pipelineId, name })[0];
  for (let jobs = 0; jobs < 50; jobs++) {
    const ran = await runner.runNextJob();
    if (ran?.job.id === job.id) return;
    if (!ran) break;
  }
  throw new Error(`job ${name} of pipeline ${pipelineId} did not run`);
}

/** `count` cases, every 100th failing with a stack trace; one failure carries a trace of `hugeTraceBytes`. */
export function largeJunit(count: number, hugeTraceBytes = 0): string {
  const cases: string[] = [];
  for (let index = 0; index < count; index++) {
    if (index % 100 !== 0) {
      cases.push(`<testcase classname="suite.Case${index % 50}" name="case ${index}" time="0.001"/>`);
      continue;
    }
    const trace = index === 0 && hugeTraceBytes > 0 ? 'x'.repeat(hugeTraceBytes) : `at run (/builds/demo-group/demo-app/src/case${index}.ts:${index + 1}:3)`;
    cases.push(`<testcase classname="suite.Case${index % 50}" name="case ${index}" time="0.001"><failure message="m">Error: case ${index} failed\n${trace}</failure></testcase>`);
  }
  return `<?xml version="1.0"?>\n<testsuites><testsuite name="big">${cases.join('\n')}</testsuite></testsuites>\n`;
}
