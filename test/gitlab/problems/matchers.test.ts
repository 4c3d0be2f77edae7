// Each matcher on real tool output: the fixtures were printed by gcc 12, rustc/cargo 1.95, Python 3.11, pytest 9,
// javac 17, tsc 5.9 and ESLint 10 (stylish) on small broken projects, with their checkout moved to /builds/…;
// Go, Maven, Gradle/Kotlin and ESLint's compact formatter (no longer shipped with ESLint) in their printed formats.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type LogProblem, ProblemScanner, scanLogText } from '../../../src/gitlab/problems/jobProblems';
import { TraceRenderer } from '../../../src/gitlab/trace/renderer';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'gitlab', 'problems', 'fixtures');

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** The fixture as a runner's log carries it (a section, CRLF-free), rendered as the extension renders logs. */
function scanAsJobLog(name: string): LogProblem[] {
  const log = `section_start:1700000000:step_script\r\u001b[0K\u001b[36;1mExecuting "step_script"\u001b[0;m\n${fixture(name)}section_end:1700000009:step_script\r\u001b[0K\n`;
  return scanRendered(Buffer.from(log)).problems;
}

function scanRendered(log: Buffer): ReturnType<ProblemScanner['result']> {
  const renderer = new TraceRenderer();
  const scanner = new ProblemScanner();
  for (const line of [...renderer.push(log), ...renderer.end()]) scanner.push(line.text);
  return scanner.result();
}

const brief = (problems: LogProblem[]) => problems.map(({ tool, file, line, column, severity, code }) => ({ tool, file, line, column, severity, code }));

describe('problem matchers on real tool output', () => {
  it('tsc (CI output) and ESLint stylish, as `npm run lint` prints them', () => {
    const problems = scanAsJobLog('npm-lint.txt');
    assert.deepEqual(brief(problems), [
      { tool: 'tsc', file: 'src/checkout.ts', line: 14, column: 9, severity: 'error', code: 'TS2322' },
      { tool: 'eslint', file: '/builds/demo-group/demo-app/src/format.ts', line: 9, column: 9, severity: 'error', code: '@typescript-eslint/no-unused-vars' },
    ]);
    assert.equal(problems[0]?.message, "Type 'string' is not assignable to type 'number'.");
    assert.equal(problems[1]?.message, "'separator' is assigned a value but never used");
  });

  it('tsc --pretty, colours and all', () => {
    assert.deepEqual(brief(scanAsJobLog('tsc-pretty.ansi.txt')), [{ tool: 'tsc', file: 'src/checkout.ts', line: 14, column: 9, severity: 'error', code: 'TS2322' }]);
  });

  it('ESLint compact', () => {
    assert.deepEqual(brief(scanAsJobLog('eslint-compact.txt')), [
      { tool: 'eslint', file: '/builds/demo-group/demo-app/src/format.ts', line: 9, column: 9, severity: 'error', code: '@typescript-eslint/no-unused-vars' },
      { tool: 'eslint', file: '/builds/demo-group/demo-app/src/format.ts', line: 2, column: 1, severity: 'warning', code: '@typescript-eslint/explicit-function-return-type' },
    ]);
  });

  it('GCC: errors, warnings and notes, each once', () => {
    const problems = scanAsJobLog('gcc.txt');
    assert.deepEqual(
      problems.map((p) => `${p.severity} ${p.file}:${p.line}:${p.column}`),
      ['error src/native/parse.c:4:10', 'info src/native/parse.c:4:10', 'warning src/native/parse.c:3:7', 'warning src/native/parse.c:6:29', 'warning src/native/parse.c:5:1'],
    );
    assert.equal(problems[0]?.message, '‘y’ undeclared (first use in this function)');
  });

  it('Go build and go test', () => {
    assert.deepEqual(
      scanAsJobLog('go.txt').map((p) => `${p.file}:${p.line}:${p.column ?? '-'} ${p.message}`),
      ['cart/cart.go:12:9 undefined: discount', 'cart/cart.go:20:2 declared and not used: rounded', 'cart_test.go:14:- Total([1 2]) = 3, want 4'],
    );
  });

  it('rustc through cargo: the message, then its location', () => {
    const problems = scanAsJobLog('cargo.txt');
    assert.deepEqual(brief(problems), [{ tool: 'rustc', file: 'src/main.rs', line: 2, column: 18, severity: 'error', code: 'E0308' }]);
    assert.equal(problems[0]?.message, 'mismatched types');
  });

  it('a Python traceback: the innermost frame, with the exception', () => {
    const problems = scanAsJobLog('python.txt');
    assert.deepEqual(brief(problems), [{ tool: 'python', file: '/builds/acme/app/pysrc/app.py', line: 2, column: undefined, severity: 'error', code: 'FileNotFoundError' }]);
    assert.match(problems[0]?.message ?? '', /^FileNotFoundError: \[Errno 2\] No such file or directory/);
  });

  it("pytest: the failing line, with the assertion's E lines as the message", () => {
    const problems = scanAsJobLog('pytest.txt');
    assert.deepEqual(brief(problems), [{ tool: 'pytest', file: 'tests/test_cart.py', line: 5, column: undefined, severity: 'error', code: 'AssertionError' }]);
    assert.equal(problems[0]?.message, 'assert 3 == 4 +  where 3 = total([1, 2])');
  });

  it('javac, Maven and Gradle (Kotlin)', () => {
    assert.deepEqual(scanAsJobLog('javac.txt').map((p) => `${p.tool} ${p.file}:${p.line}`), ['javac java/src/main/java/com/acme/App.java:4', 'javac java/src/main/java/com/acme/App.java:5']);
    assert.deepEqual(brief(scanAsJobLog('maven.txt')), [
      { tool: 'maven', file: '/builds/acme/app/java/src/main/java/com/acme/App.java', line: 4, column: 13, severity: 'error', code: undefined },
      { tool: 'maven', file: '/builds/acme/app/java/src/main/java/com/acme/App.java', line: 5, column: 24, severity: 'error', code: undefined },
    ]);
    assert.deepEqual(scanAsJobLog('gradle-kotlin.txt').map((p) => `${p.severity} ${p.file}:${p.line}:${p.column}`), [
      'error /builds/acme/app/app/src/main/kotlin/App.kt:4:13',
      'warning /builds/acme/app/app/src/main/kotlin/App.kt:7:9',
    ]);
  });

  it('the generic `path:line[:col]: error|warning` form', () => {
    assert.deepEqual(brief(scanLogText('lib/tool.sh:12: warning: quoting\nconfig/app.conf:3:7: error: unknown key\nsrc/a.ts:3: note that this is prose\n').problems), [
      { tool: 'generic', file: 'lib/tool.sh', line: 12, column: undefined, severity: 'warning', code: undefined },
      { tool: 'generic', file: 'config/app.conf', line: 3, column: 7, severity: 'error', code: undefined },
    ]);
  });

  it('finds no problems in real runner logs without any', () => {
    for (const name of ['recorded_raw_trace.log', 'recorded_raw_timestamped_trace.log']) {
      const log = readFileSync(path.resolve(FIXTURES, '..', '..', '..', '..', '..', 'shared', 'gitlab-api', 'traces', name));
      const scan = scanRendered(log);
      assert.deepEqual(scan.problems, [], name);
      assert.equal(scan.projectDir, name === 'recorded_raw_trace.log' ? '/builds/X_Sheep/dotnet-test-ci' : scan.projectDir);
    }
  });
});
