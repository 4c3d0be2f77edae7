// The JUnit reports of the demo project's jobs, as mocha's JUnit reporter writes them on a runner: their stack
// traces name the runner's build folder (/builds/demo-group/demo-app), and their lines are those of the demo
// workspace's own files (demo/workspace/src/cart.ts, demo/workspace/test/cart.test.ts), so a failure leads to
// the line that caused it. Keep the line numbers in step with those files (the VS Code suite checks them).

const BUILD_DIR = '/builds/demo-group/demo-app';

const couponFailure = `AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

900 !== 850

    at Context.&lt;anonymous&gt; (${BUILD_DIR}/test/cart.test.ts:10:12)
    at process.processImmediate (node:internal/timers:483:21)`;

const quantityFailure = `RangeError: quantity of tea must be positive, got 0
    at checkedQuantity (${BUILD_DIR}/src/cart.ts:21:11)
    at ${BUILD_DIR}/src/cart.ts:9:55
    at Array.reduce (&lt;anonymous&gt;)
    at subtotal (${BUILD_DIR}/src/cart.ts:9:16)
    at Context.&lt;anonymous&gt; (${BUILD_DIR}/test/cart.test.ts:14:18)`;

function testCase(name: string, time: number, failure?: { type: string; message: string; trace: string }): string {
  const attributes = `classname="cart" name="${name}" time="${time}" file="test/cart.test.ts"`;
  if (!failure) return `    <testcase ${attributes}/>`;
  return `    <testcase ${attributes}>\n      <failure message="${failure.message}" type="${failure.type}">${failure.trace}</failure>\n    </testcase>`;
}

/** The unit tests' report: two failures (a wrong coupon, an error thrown in the source) when the job fails. */
export function demoUnitTestReport(status: 'success' | 'failed'): string {
  const failing = status === 'failed';
  const cases = [
    testCase('cart adds up the lines', 0.004),
    testCase('cart applies a 15% coupon', 0.002, failing ? { type: 'AssertionError', message: '900 !== 850', trace: couponFailure } : undefined),
    testCase('cart leaves a line with no quantity out of the total', 0.001, failing ? { type: 'RangeError', message: 'quantity of tea must be positive, got 0', trace: quantityFailure } : undefined),
    testCase('cart applies a 50% coupon', 0.001),
  ];
  const failures = failing ? 2 : 0;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Mocha Tests" tests="4" failures="${failures}" errors="0" time="0.008">
  <testsuite name="cart" tests="4" failures="${failures}" errors="0" skipped="0" time="0.008">
${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}

/** What the demo's jobs upload: the unit tests' report for `test:unit`, a short passing one for any other job. */
export function demoJunitReport(job: { job_info: { name: string } }, status: 'success' | 'failed'): string {
  if (job.job_info.name === 'test:unit') return demoUnitTestReport(status);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Mocha Tests" tests="2" failures="0">
  <testsuite name="${job.job_info.name.replace(/[^\w:-]/g, '')}" tests="2">
    <testcase classname="bundle" name="bundles src/cart.ts" time="0.120"/>
    <testcase classname="bundle" name="writes dist/app.js" time="0.010"/>
  </testsuite>
</testsuites>
`;
}
