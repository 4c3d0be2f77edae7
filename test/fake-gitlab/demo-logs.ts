// The log of the demo's failing lint job: real `tsc` and ESLint output (printed by tsc 5.9 and ESLint 10 on
// demo/workspace/src, checked out at /builds/demo-group/demo-app) inside the sections a docker runner writes,
// so the extension can trace the failure to src/checkout.ts (a type error) and src/format.ts (a lint error).

const CHECKOUT = '/builds/demo-group/demo-app';

/** A runner log for a `npm run lint` job that fails on the demo workspace's type error and lint error. */
export function demoLintLog(jobId: number, startedAt = Math.floor(Date.now() / 1000)): string {
  const section = (name: string, title: string, seconds: number, body: string[]): string =>
    `section_start:${startedAt}:${name}\r\u001b[0K\u001b[0K\u001b[36;1m${title}\u001b[0;m\u001b[0;m\n${body.join('\n')}\n` +
    `section_end:${startedAt + seconds}:${name}\r\u001b[0K\n`;
  return (
    '\u001b[0KRunning with gitlab-runner 17.5.0 (abcdef12)\u001b[0;m\n' +
    '\u001b[0K  on demo-runner xyz123, system ID: s_0123456789ab\u001b[0;m\n' +
    section('prepare_executor', 'Preparing the "docker" executor', 3, ['Using Docker executor with image node:20 ...']) +
    section('get_sources', 'Getting source from Git repository', 2, [
      '\u001b[32;1mFetching changes with git depth set to 20...\u001b[0;m',
      `Initialized empty Git repository in ${CHECKOUT}/.git/`,
      `\u001b[32;1mChecking out 5f0c2a9e for job ${jobId}...\u001b[0;m`,
    ]) +
    section('step_script', 'Executing "step_script" stage of the job script', 14, [
      '\u001b[32;1m$ npm ci\u001b[0;m',
      'added 212 packages in 6s',
      '\u001b[32;1m$ npm run lint\u001b[0;m',
      '',
      '> demo-app@1.0.0 lint',
      '> tsc --noEmit; eslint src',
      '',
      "src/checkout.ts(14,9): error TS2322: Type 'string' is not assignable to type 'number'.",
      '',
      `${CHECKOUT}/src/format.ts`,
      "  9:9  error  'separator' is assigned a value but never used  @typescript-eslint/no-unused-vars",
      '',
      '✖ 1 problem (1 error, 0 warnings)',
      '',
      'See https://typescript-eslint.io/rules/no-unused-vars for the rule.',
    ]) +
    section('cleanup_file_variables', 'Cleaning up project directory and file based variables', 1, []) +
    '\u001b[31;1mERROR: Job failed: exit code 1\n\u001b[0;m'
  );
}

/** The demo runner's `logFor`: a failing `test:lint` prints the lint log; other jobs replay the usual logs. */
export function demoJobLog(job: { id: number; job_info: { name: string } }, status: 'success' | 'failed'): Buffer | undefined {
  return job.job_info.name === 'test:lint' && status === 'failed' ? Buffer.from(demoLintLog(job.id)) : undefined;
}
