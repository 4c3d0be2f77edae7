import assert from 'node:assert/strict';
import { CiSource, inputsToSend, jobKeysOf, parseInputSpecs, parseInputValue, type InputSpec } from '../../../src/gitlab/ciConfig';

const header = `spec:
  inputs:
    environment:
      description: Where to deploy
      options: [staging, production]
      default: staging
    replicas:
      type: number
      default: 2
    dry_run:
      type: boolean
      default: false
    version:
      regex: ^v\\d+\\.\\d+$
    targets:
      type: array
      default: [web]
---
stages: [build]
build:
  stage: build
  script: echo $[[ inputs.environment ]]
`;

function spec(source: string, name: string): InputSpec {
  const found = parseInputSpecs(new CiSource(source)).inputs.find((input) => input.name === name);
  assert.ok(found, name);
  return found;
}

describe('spec:inputs', () => {
  it('reads every input with its type, options, default, regex and description, in file order', () => {
    const { inputs, problems } = parseInputSpecs(new CiSource(header));
    assert.deepEqual(problems, []);
    assert.deepEqual(inputs, [
      { name: 'environment', type: 'string', required: false, description: 'Where to deploy', options: ['staging', 'production'], default: 'staging' },
      { name: 'replicas', type: 'number', required: false, default: 2 },
      { name: 'dry_run', type: 'boolean', required: false, default: false },
      { name: 'version', type: 'string', required: true, regex: '^v\\d+\\.\\d+$' },
      { name: 'targets', type: 'array', required: false, default: ['web'] },
    ]);
  });

  it('takes an input declared with no fields as a required string', () => {
    assert.deepEqual(parseInputSpecs(new CiSource('spec:\n  inputs:\n    name:\n---\njob:\n  script: x\n')).inputs, [{ name: 'name', type: 'string', required: true }]);
  });

  it('declares nothing without a spec header', () => {
    assert.deepEqual(parseInputSpecs(new CiSource('job:\n  script: x\n')).inputs, []);
    assert.deepEqual(parseInputSpecs(new CiSource('')).inputs, []);
  });

  it('says what is wrong in a declaration, at the input', () => {
    const { inputs, problems } = parseInputSpecs(new CiSource('spec:\n  inputs:\n    a:\n      type: text\n    b:\n      type: number\n      default: many\n    c:\n      regex: "("\n    d:\n      options: [x, y]\n      default: z\n    e:\n      colour: red\n---\njob:\n  script: x\n'));
    assert.deepEqual(inputs, []);
    assert.deepEqual(problems.map((problem) => [problem.range.start.line, problem.message]), [
      [2, '`a` input: unknown type `text` (string, number, boolean or array).'],
      [4, '`b` input: default value must be a number.'],
      [7, '`c` input: the regex `(` is not a valid regular expression.'],
      [9, '`d` input: default value must be one of: x, y.'],
      [12, '`e` input: unknown keys: colour.'],
    ]);
  });

  it('converts and checks typed values', () => {
    assert.deepEqual(parseInputValue(spec(header, 'replicas'), '3'), { value: 3 });
    assert.deepEqual(parseInputValue(spec(header, 'replicas'), 'three'), { error: 'The value must be a number.' });
    assert.deepEqual(parseInputValue(spec(header, 'replicas'), ''), { error: 'The value must be a number.' });
    assert.deepEqual(parseInputValue(spec(header, 'dry_run'), 'true'), { value: true });
    assert.deepEqual(parseInputValue(spec(header, 'dry_run'), 'yes'), { error: 'The value must be true or false.' });
    assert.deepEqual(parseInputValue(spec(header, 'environment'), 'production'), { value: 'production' });
    assert.deepEqual(parseInputValue(spec(header, 'environment'), 'qa'), { error: 'The value must be one of: staging, production.' });
    assert.deepEqual(parseInputValue(spec(header, 'version'), 'v1.2'), { value: 'v1.2' });
    assert.deepEqual(parseInputValue(spec(header, 'version'), '1.2'), { error: 'The value must match /^v\\d+\\.\\d+$/.' });
    assert.deepEqual(parseInputValue(spec(header, 'targets'), '["web","api"]'), { value: ['web', 'api'] });
    assert.deepEqual(parseInputValue(spec(header, 'targets'), 'web'), { error: 'Type a JSON array, e.g. ["a", "b"].' });
    assert.deepEqual(parseInputValue(spec(header, 'targets'), '{"a":1}'), { error: 'The value must be an array.' });
    assert.match((parseInputValue(spec(header, 'environment'), 'x'.repeat(10_001)) as { error: string }).error, /At most/);
  });

  it('sends only values that differ from the defaults, and refuses a missing required one', () => {
    const specs = parseInputSpecs(new CiSource(header)).inputs;
    assert.deepEqual(inputsToSend(specs, new Map<string, string | number | boolean | string[]>([['environment', 'staging'], ['replicas', 5], ['version', 'v2.0']])), { replicas: 5, version: 'v2.0' });
    assert.throws(() => inputsToSend(specs, new Map()), /`version` is required/);
  });

  it('expands a bomb in a declaration only up to the alias guard', () => {
    const levels = ['    a: &a {default: ["x","x","x","x","x","x","x","x","x"], type: array}'];
    const bomb = `spec:\n  inputs:\n${levels.join('\n')}\n    b:\n      type: array\n      default: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n    c:\n      type: array\n      default: [${Array(120).fill('*b').join(',')}]\n---\njob:\n  script: x\n`;
    const { problems } = parseInputSpecs(new CiSource(bomb));
    assert.ok(problems.some((problem) => problem.message.startsWith('`c` input:')), JSON.stringify(problems));
  });

  it('lists the job keys, not settings or hidden jobs', () => {
    assert.deepEqual(jobKeysOf(new CiSource(`${header}.hidden:\n  script: x\ntest:unit:\n  script: y\n`)).map((job) => [job.name, job.range.start.line]), [['build', 19], ['test:unit', 24]]);
  });
});
