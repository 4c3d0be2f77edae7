import { yaml } from './yamlLib';
import type { PipelineInputs } from '../pipelines';
import { type CiSource, MAX_ALIAS_COUNT, type SourceProblem } from './source';

export type InputType = 'string' | 'number' | 'boolean' | 'array';
export type InputValue = string | number | boolean | readonly unknown[];

/** One of the CI file's `spec: inputs:` (GitLab 17.0+). Without a `default`, GitLab requires a value. */
export interface InputSpec {
  name: string;
  type: InputType;
  description?: string;
  default?: InputValue;
  options?: readonly (string | number | boolean)[];
  regex?: string;
  required: boolean;
}

/** GitLab refuses longer input values; typing one this long is a mistake anyway. */
const MAX_INPUT_LENGTH = 10_000;
const INPUT_TYPES: readonly InputType[] = ['string', 'number', 'boolean', 'array'];

/**
 * The inputs a CI file declares in its `spec:` header (the first of two YAML documents), in file order,
 * with what is wrong in their declaration. A file without a header declares none.
 */
export function parseInputSpecs(source: CiSource): { inputs: InputSpec[]; problems: SourceProblem[] } {
  const header = source.headerDocument;
  const spec = header?.contents;
  const inputsPair = yaml().isMap(spec) ? spec.items.find((item) => yaml().isPair(item) && yaml().isScalar(item.key) && item.key.value === 'spec') : undefined;
  const inputsNode = yaml().isPair(inputsPair) && yaml().isMap(inputsPair.value) ? inputsPair.value.items.find((item) => yaml().isPair(item) && yaml().isScalar(item.key) && item.key.value === 'inputs') : undefined;
  if (!header || !yaml().isPair(inputsNode) || !yaml().isMap(inputsNode.value)) return { inputs: [], problems: [] };
  const inputs: InputSpec[] = [];
  const problems: SourceProblem[] = [];
  for (const item of inputsNode.value.items) {
    if (!yaml().isPair(item) || !yaml().isScalar(item.key)) continue;
    const name = String(item.key.value);
    const at = item.key.range ? source.offsetRange(item.key.range[0], item.key.range[1]) : source.lineRange(0);
    let declared: unknown; // aliases expanded only up to the bomb guard
    try {
      declared = yaml().isNode(item.value) ? item.value.toJS(header, { maxAliasCount: MAX_ALIAS_COUNT }) : null;
    } catch (error) {
      problems.push({ message: `\`${name}\` input: ${error instanceof Error ? error.message : String(error)}`, range: at });
      continue;
    }
    const parsed = inputSpecOf(name, declared);
    if (typeof parsed === 'string') problems.push({ message: parsed, range: at });
    else inputs.push(parsed);
  }
  return { inputs, problems };
}

/** An input's declaration checked as GitLab checks it; a string is what is wrong. */
export function inputSpecOf(name: string, declared: unknown): InputSpec | string {
  if (declared === null || declared === undefined) return { name, type: 'string', required: true };
  if (typeof declared !== 'object' || Array.isArray(declared)) return `\`${name}\` input: the declaration must be a mapping (type, default, options, regex, description).`;
  const fields = declared as Record<string, unknown>;
  const unknownKeys = Object.keys(fields).filter((key) => !['type', 'default', 'description', 'options', 'regex', 'rules'].includes(key));
  if (unknownKeys.length) return `\`${name}\` input: unknown keys: ${unknownKeys.join(', ')}.`;
  const type = fields.type ?? 'string';
  if (typeof type !== 'string' || !INPUT_TYPES.includes(type as InputType)) return `\`${name}\` input: unknown type \`${typeof type === 'string' ? type : JSON.stringify(type)}\` (string, number, boolean or array).`;
  const spec: InputSpec = { name, type: type as InputType, required: !('default' in fields) };
  if (typeof fields.description === 'string') spec.description = fields.description;
  if (fields.options !== undefined) {
    if (!Array.isArray(fields.options) || !fields.options.every((option) => ['string', 'number', 'boolean'].includes(typeof option))) return `\`${name}\` input: options must be a list of values.`;
    spec.options = fields.options as (string | number | boolean)[];
  }
  if (fields.regex !== undefined) {
    if (typeof fields.regex !== 'string') return `\`${name}\` input: regex must be a string.`;
    if (spec.type !== 'string') return `\`${name}\` input: regex applies to string inputs only.`;
    try {
      new RegExp(fields.regex);
    } catch {
      return `\`${name}\` input: the regex \`${fields.regex}\` is not a valid regular expression.`;
    }
    spec.regex = fields.regex;
  }
  if ('default' in fields) {
    const problem = checkValue(spec, fields.default);
    if (problem) return `\`${name}\` input: default value ${problem}`;
    spec.default = fields.default as InputValue;
  }
  return spec;
}

/**
 * The value typed for an input, converted to its type and checked against its options and regex.
 * `{ error }` says what to type instead.
 */
export function parseInputValue(spec: InputSpec, typed: string): { value: InputValue } | { error: string } {
  if (typed.length > MAX_INPUT_LENGTH) return { error: `At most ${MAX_INPUT_LENGTH} characters.` };
  let value: unknown = typed;
  if (spec.type === 'number') {
    value = typed.trim() === '' ? NaN : Number(typed);
  } else if (spec.type === 'boolean') {
    value = typed.trim() === 'true' ? true : typed.trim() === 'false' ? false : typed;
  } else if (spec.type === 'array') {
    try {
      value = JSON.parse(typed);
    } catch {
      return { error: 'Type a JSON array, e.g. ["a", "b"].' };
    }
  }
  const problem = checkValue(spec, value);
  return problem ? { error: `The value ${problem}` } : { value: value as InputValue };
}

/** Whether a value fits the spec; undefined when it does, else the end of a sentence saying why. */
function checkValue(spec: InputSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number.';
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return 'must be true or false.';
      break;
    case 'array':
      if (!Array.isArray(value)) return 'must be an array.';
      break;
    default:
      if (typeof value !== 'string') return 'must be a string.';
  }
  if (spec.options && !spec.options.some((option) => option === value)) return `must be one of: ${spec.options.join(', ')}.`;
  if (spec.regex && typeof value === 'string' && !new RegExp(spec.regex).test(value)) return `must match /${spec.regex}/.`;
  return undefined;
}

/**
 * The inputs to send: the values given, only where they differ from the default (GitLab fills in the
 * rest). Throws when a required input has no value, naming it.
 */
export function inputsToSend(specs: readonly InputSpec[], given: ReadonlyMap<string, InputValue>): PipelineInputs {
  const inputs: PipelineInputs = {};
  for (const spec of specs) {
    const value = given.get(spec.name);
    if (value === undefined) {
      if (spec.required) throw new Error(`The input \`${spec.name}\` is required: give it a value.`);
      continue;
    }
    if (JSON.stringify(value) !== JSON.stringify(spec.default)) inputs[spec.name] = value as PipelineInputs[string];
  }
  return inputs;
}

/** How an input's value is written in a prompt: arrays as JSON, the rest as text. */
export function formatInputValue(value: InputValue): string {
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}
