import * as assert from 'node:assert/strict';
import { normalizeLogLine } from '../../../src/gitlab/compare/normalize';

describe('log lines normalised for a comparison', () => {
  const identity = { jobIds: [3157479511, 42], pipelineIds: [1020] };

  it('replaces timestamps, clock times, durations, the runs’ ids and hex hashes, keeping the rest', () => {
    const cases: [string, string][] = [
      ['2025-04-22T20:52:52.434040Z 01O Running tests', '<time> 01O Running tests'],
      ['Downloading artifacts for build (3157479511)...', 'Downloading artifacts for build (<job>)...'],
      ['Checking out 22b2937a as some-branch...', 'Checking out <hash> as some-branch...'],
      ['Using docker image sha256:d835d6974098e03f902ea006ca6ae274bc8ee825210b57d2794a7fbe10c26a8a for node:20', 'Using docker image sha256:<hash> for node:20'],
      ['◂ step_script (3m 07s)', '◂ step_script (<duration>)'],
      ['========================= 1 failed, 1 passed in 0.99s ==', '========================= 1 failed, 1 passed in <duration> =='],
      ['Pipeline #1020 started at 12:04:05', 'Pipeline #<pipeline> started at <time>'],
      ["src/checkout.ts(14,9): error TS2322: Type 'string' is not assignable to type 'number'.", "src/checkout.ts(14,9): error TS2322: Type 'string' is not assignable to type 'number'."],
      ['job 420 is not job 42', 'job 420 is not job <job>'],
    ];
    for (const [line, expected] of cases) assert.equal(normalizeLogLine(line, identity), expected, line);
  });
});
