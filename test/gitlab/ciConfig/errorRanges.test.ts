import assert from 'node:assert/strict';
import { CiSource, rangeOfLintMessage } from '../../../src/gitlab/ciConfig';

const file = `stages: [build, test]
include:
  - local: ci/missing.yml
default:
  imag: node:20
.template:
  tags: [docker]
build:
  stage: buld
  scrip: npm ci
  artifacts:
    paths: dist
test:unit:
  stage: test
  needs: [compile]
  dependencies: [compile2]
  script: npm test
my job:
  script: echo
`;

/** The text a range covers, to assert on what a reader sees rather than on numbers. */
function covered(source: CiSource, message: string): { line: number; text: string } {
  const { start, end } = rangeOfLintMessage(source, message);
  const lines = source.text.split('\n');
  const text = start.line === end.line ? (lines[start.line] ?? '').slice(start.character, end.character) : (lines[start.line] ?? '').slice(start.character);
  return { line: start.line + 1, text };
}

describe('CI Lint messages → YAML ranges', () => {
  const source = new CiSource(file);
  // Messages as GitLab writes them (lib/gitlab/ci/config/entry/**, lib/gitlab/ci/yaml_processor.rb).
  const cases: [string, number, string][] = [
    ['jobs:build config contains unknown keys: scrip', 10, 'scrip'],
    ['build job: chosen stage buld does not exist; available stages are .pre, build, test, .post', 9, 'buld'],
    ["'test:unit' job needs 'compile' job, but 'compile' does not exist in the pipeline. This might be because of the only, except, or rules keywords. To need a job that sometimes does not exist in the pipeline, use needs:optional.", 15, 'compile'],
    ['test:unit job: undefined need: compile', 15, 'compile'],
    ['test:unit job: need compile is not defined in current or prior stages', 15, 'compile'],
    ['test:unit job: undefined dependency: compile2', 16, 'compile2'],
    ['jobs:build:artifacts:paths config should be an array of strings', 12, 'paths'],
    ['jobs:build:artifacts config contains unknown keys: nope', 11, 'artifacts'],
    ['jobs:test:unit:needs config can only contain up to 50 needs', 15, 'needs'],
    ['jobs build config should implement the script:, run:, or trigger: keyword', 8, 'build'],
    ['jobs my job config should implement a script: or a trigger: keyword', 18, 'my job'],
    ['jobs:my job:script config should be a string or a nested array of strings up to 10 levels deep', 19, 'script'],
    ['default config contains unknown keys: imag', 5, 'imag'],
    ['root config contains unknown keys: .template', 6, '.template'],
    ['stages config should be an array of strings', 1, 'stages'],
    ['jobs:.template config contains unknown keys: tags', 7, 'tags'],
    ['Local file `ci/missing.yml` does not exist!', 3, 'ci/missing.yml'],
    ['Included file `ci/missing.yml` does not have valid YAML syntax!', 3, 'ci/missing.yml'],
    ['build job: chosen stage does not exist; available stages are .pre, build, test, .post', 8, 'build'],
  ];
  for (const [message, line, text] of cases) {
    it(message.slice(0, 90), () => {
      assert.deepEqual(covered(source, message), { line, text });
    });
  }

  it('puts a Psych syntax error at its line and column (1-based in the message)', () => {
    const broken = new CiSource('build:\n  script: [a\n  stage: test\n');
    assert.deepEqual(covered(broken, '(<unknown>): did not find expected \',\' or \']\' while parsing a flow sequence at line 2 column 11'), { line: 2, text: '[a' });
    assert.equal(rangeOfLintMessage(broken, '(<unknown>): mapping values are not allowed in this context at line 3 column 8').start.line, 2);
  });

  it('puts a message that names nothing in the file on line 1', () => {
    for (const message of ['Please provide content of .gitlab-ci.yml', 'jobs config should contain at least one visible job', 'Invalid configuration format', 'jobs:nothere config contains unknown keys: x', 'Insufficient permissions to create a new pipeline']) {
      assert.deepEqual(rangeOfLintMessage(source, message), { start: { line: 0, character: 0 }, end: { line: 0, character: 21 } }, message);
    }
  });

  it('finds jobs in the last document of a file with a spec header', () => {
    const withHeader = new CiSource('spec:\n  inputs:\n    env:\n      default: staging\n---\nbuild:\n  scrip: x\n');
    assert.deepEqual(covered(withHeader, 'jobs:build config contains unknown keys: scrip'), { line: 7, text: 'scrip' });
    assert.deepEqual(covered(withHeader, '`env` input: required value has not been provided'), { line: 3, text: 'env' });
  });

  it('reports YAML syntax errors locally, with their place, tabs and duplicate keys included', () => {
    const tabs = new CiSource('build:\n\tscript: echo\n');
    assert.ok(tabs.problems.length > 0);
    assert.equal(tabs.problems[0]?.range.start.line, 1);
    const duplicates = new CiSource('build:\n  script: a\nbuild:\n  script: b\n');
    assert.ok(duplicates.problems.some((problem) => /unique|duplicate/i.test(problem.message)));
    assert.deepEqual(new CiSource('build:\n  script: echo\n').problems, []);
  });

  it('reads a file with a byte order mark', () => {
    const source = new CiSource('\uFEFFbuild:\n  scrip: x\n');
    assert.deepEqual(source.problems, []);
    assert.equal(rangeOfLintMessage(source, 'jobs:build config contains unknown keys: scrip').start.line, 1);
  });

  it('maps on a YAML bomb without expanding it', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = new CiSource(`${levels.join('\n')}\nbuild:\n  scrip: x\n`);
    assert.equal(rangeOfLintMessage(bomb, 'jobs:build config contains unknown keys: scrip').start.line, 13);
  });

  it('refuses a file over 2 MB without parsing it', () => {
    const huge = new CiSource(`build:\n  script:\n${'    - echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(40_000)}`);
    assert.equal(huge.documents.length, 0);
    assert.match(huge.problems[0]?.message ?? '', /2 MB/);
    assert.equal(rangeOfLintMessage(huge, 'jobs:build config contains unknown keys: x').start.line, 0);
  });
});
