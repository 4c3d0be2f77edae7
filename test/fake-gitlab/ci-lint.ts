import { parseAllDocuments, stringify } from 'yaml';
import { inputSpecOf } from '../../src/gitlab/ciConfig/inputs';

/**
 * The subset of GitLab's CI config validation the fake does, with GitLab's own messages
 * (lib/gitlab/ci/config/entry/{root,jobs,job}.rb, lib/gitlab/ci/yaml_processor.rb,
 * lib/gitlab/ci/config/external/file/local.rb): YAML syntax, unknown job keys, a job without
 * script/run/trigger, an undefined stage, `needs` naming a missing job, an empty config, missing local
 * includes and required inputs without a value.
 */
export interface FakeLintResult {
  valid: boolean;
  errors: string[];
  warnings: string[];
  merged_yaml: string | null;
  includes: Record<string, unknown>[];
  jobs: Record<string, unknown>[];
}

const RESERVED = new Set(['default', 'include', 'before_script', 'image', 'services', 'after_script', 'variables', 'stages', 'cache', 'workflow', 'spec']);
const JOB_KEYS = new Set([
  'after_script', 'allow_failure', 'artifacts', 'before_script', 'cache', 'coverage', 'dast_configuration', 'dependencies', 'environment',
  'except', 'extends', 'hooks', 'id_tokens', 'identity', 'image', 'inherit', 'interruptible', 'manual_confirmation', 'needs', 'only',
  'pages', 'parallel', 'publish', 'release', 'resource_group', 'retry', 'rules', 'run', 'script', 'secrets', 'services', 'stage',
  'start_in', 'tags', 'timeout', 'trigger', 'variables', 'when',
]);
const DEFAULT_STAGES = ['build', 'test', 'deploy'];
const MAX_ALIAS_COUNT = 100;
const NEEDS_HINT = 'This might be because of the only, except, or rules keywords. To need a job that sometimes does not exist in the pipeline, use needs:optional.';

export interface LintContext {
  /** A file of the project's repository at the linted ref, for `include:local`. */
  readFile(filePath: string): string | undefined;
  projectPath: string;
  sha: string;
}

export function lintCiConfig(content: string, context: LintContext): FakeLintResult {
  const result: FakeLintResult = { valid: false, errors: [], warnings: [], merged_yaml: null, includes: [], jobs: [] };
  if (content.trim() === '') return { ...result, errors: ['Please provide content of .gitlab-ci.yml'] };
  const config = loadConfig(content, result.errors);
  if (!config) return result;
  for (const local of localIncludes(config.include)) {
    const included = context.readFile(local.replace(/^\//, ''));
    if (included === undefined) {
      result.errors.push(`Local file \`${local}\` does not exist!`);
      continue;
    }
    result.includes.push({
      type: 'local', location: local, blob: `/${context.projectPath}/-/blob/${context.sha}/${local}`, raw: `/${context.projectPath}/-/raw/${context.sha}/${local}`,
      extra: {}, context_project: context.projectPath, context_sha: context.sha,
    });
    const includedConfig = loadConfig(included, []);
    if (!includedConfig) result.errors.push(`Included file \`${local}\` does not have valid YAML syntax!`);
    else for (const [key, value] of Object.entries(includedConfig)) if (!(key in config)) config[key] = value;
  }
  delete config.include;
  if (result.errors.length) return result;
  const jobs = Object.entries(config).filter(([name]) => !RESERVED.has(name) && !name.startsWith('.'));
  result.errors.push(...structureErrors(config, jobs));
  if (!result.errors.length) result.errors.push(...processorErrors(config, jobs));
  result.warnings.push(...ruleWarnings(config, jobs));
  result.valid = result.errors.length === 0;
  result.merged_yaml = stringify(config);
  result.jobs = jobs.flatMap(([name, job]) => (job !== null && typeof job === 'object' && !Array.isArray(job) ? [jobEntity(name, job as Record<string, unknown>)] : []));
  return result;
}

/** The config document as data, inputs interpolated with their defaults; errors in GitLab's words. */
function loadConfig(content: string, errors: string[]): Record<string, unknown> | undefined {
  let documents;
  try {
    documents = parseAllDocuments(content, { uniqueKeys: false });
  } catch {
    errors.push('The parsed YAML is too big');
    return undefined;
  }
  const list = Array.isArray(documents) ? documents : [];
  for (const document of list) {
    const error = document.errors[0];
    if (error) {
      const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [1, 1];
      errors.push(`(<unknown>): ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')} at line ${line} column ${column}`);
      return undefined;
    }
  }
  const header = list.length > 1 ? list[0] : undefined;
  const body = list[list.length - 1];
  let text = body ? content.slice(body.range[0], body.range[2]) : '';
  if (header) {
    const declared = (header.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as { spec?: { inputs?: Record<string, unknown> } } | null)?.spec?.inputs ?? {};
    for (const [name, declaration] of Object.entries(declared)) {
      const spec = inputSpecOf(name, declaration);
      if (typeof spec === 'string') errors.push(spec);
      else if (spec.default === undefined) errors.push(`\`${name}\` input: required value has not been provided`);
      else text = text.replaceAll(new RegExp(`\\$\\[\\[\\s*inputs\\.${name}\\s*\\]\\]`, 'g'), String(spec.default));
    }
    if (errors.length) return undefined;
  }
  let data: unknown;
  try {
    data = parseAllDocuments(text)[0]?.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? null;
  } catch {
    errors.push('The parsed YAML is too big');
    return undefined;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    errors.push('Invalid configuration format');
    return undefined;
  }
  return data as Record<string, unknown>;
}

function localIncludes(include: unknown): string[] {
  const entries = Array.isArray(include) ? include : include === undefined ? [] : [include];
  return entries.flatMap((entry: unknown) => {
    if (typeof entry === 'string') return /^https?:/.test(entry) ? [] : [entry];
    const local = (entry as { local?: unknown } | null)?.local;
    return typeof local === 'string' ? [local] : [];
  });
}

/** The entries' own validation (Config::Entry::Jobs/Job): shape and keys. */
function structureErrors(config: Record<string, unknown>, jobs: [string, unknown][]): string[] {
  const errors: string[] = [];
  if (config.stages !== undefined && !(Array.isArray(config.stages) && config.stages.every((stage) => typeof stage === 'string'))) errors.push('stages config should be an array of strings');
  for (const [name, job] of jobs) {
    if (job === null || typeof job !== 'object' || Array.isArray(job)) {
      errors.push(`jobs ${name} config should implement the script:, run:, or trigger: keyword`);
      continue;
    }
    const unknown = Object.keys(job).filter((key) => !JOB_KEYS.has(key));
    if (unknown.length) errors.push(`jobs:${name} config contains unknown keys: ${unknown.join(', ')}`);
    else if (!('script' in job) && !('run' in job) && !('trigger' in job) && !('extends' in job)) errors.push(`jobs ${name} config should implement the script:, run:, or trigger: keyword`);
  }
  if (!jobs.length) errors.push('jobs config should contain at least one visible job');
  return errors;
}

/** Ci::YamlProcessor's checks across jobs: stages and needs. */
function processorErrors(config: Record<string, unknown>, jobs: [string, unknown][]): string[] {
  const stages = ['.pre', ...((config.stages as string[] | undefined) ?? DEFAULT_STAGES), '.post'];
  const names = new Set(jobs.map(([name]) => name));
  const errors: string[] = [];
  for (const [name, value] of jobs) {
    const job = value as Record<string, unknown>;
    const stage = typeof job.stage === 'string' ? job.stage : 'test';
    if (!stages.includes(stage)) errors.push(`${name} job: chosen stage ${stage} does not exist; available stages are ${stages.join(', ')}`);
    const needs = Array.isArray(job.needs) ? job.needs : [];
    for (const need of needs) {
      const needed = typeof need === 'string' ? need : (need as { job?: unknown; optional?: unknown } | null)?.optional === true ? undefined : (need as { job?: unknown } | null)?.job;
      if (typeof needed === 'string' && !names.has(needed)) errors.push(`'${name}' job needs '${needed}' job, but '${needed}' does not exist in the pipeline. ${NEEDS_HINT}`);
    }
  }
  return errors;
}

/** GitLab warns when `rules:when` without `workflow:rules` may run two pipelines for one push. */
function ruleWarnings(config: Record<string, unknown>, jobs: [string, unknown][]): string[] {
  if ((config.workflow as { rules?: unknown } | undefined)?.rules !== undefined) return [];
  return jobs.flatMap(([name, value]) => {
    const rules = (value as { rules?: unknown } | null)?.rules;
    const last: unknown = Array.isArray(rules) ? rules[rules.length - 1] : undefined;
    const unconditional = last !== null && typeof last === 'object' && 'when' in last && !('if' in last) && (last).when !== 'never';
    return unconditional ? [`jobs:${name} may allow multiple pipelines to run for a single action due to \`rules:when\` clause with no \`workflow:rules\` - read more: https://docs.gitlab.com/ee/ci/troubleshooting.html#pipeline-warnings`] : [];
  });
}

function jobEntity(name: string, job: Record<string, unknown>): Record<string, unknown> {
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [JSON.stringify(value)]);
  return {
    name, stage: typeof job.stage === 'string' ? job.stage : 'test', before_script: list(job.before_script), script: list(job.script),
    after_script: list(job.after_script), tag_list: list(job.tags), environment: job.environment ?? null,
    when: typeof job.when === 'string' ? job.when : 'on_success', allow_failure: job.allow_failure === true || job.when === 'manual',
    needs: Array.isArray(job.needs) ? job.needs.map((need: unknown) => (typeof need === 'string' ? { name: need } : { name: (need as { job?: unknown }).job })) : undefined,
  };
}
