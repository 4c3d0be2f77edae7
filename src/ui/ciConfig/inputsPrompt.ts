import * as vscode from 'vscode';
import { CiSource, type InputSpec, type InputValue, formatInputValue, inputsToSend, parseInputSpecs, parseInputValue, pipelineInputsSupport } from '../../gitlab/ciConfig';
import type { PipelineInputs } from '../../gitlab/pipelines';
import type { ProjectContext, Services } from '../services';
import { rootCiTarget } from './target';

/**
 * The `inputs` for a new pipeline: none when the project's CI file declares no `spec:inputs`; else each
 * input asked with its type, options, default, regex and description (or taken from automation's
 * `inputsArgument`, an object), checked before anything is sent. Undefined when the user escapes.
 * Throws a clear error on GitLab before 18.1, which would drop the inputs silently.
 */
export async function resolvePipelineInputs(services: Services, project: ProjectContext, ref: string, inputsArgument: unknown): Promise<PipelineInputs | undefined> {
  const target = await rootCiTarget(project).catch(() => undefined);
  const { inputs: specs, problems } = parseInputSpecs(new CiSource(target?.text ?? ''));
  if (problems.length) throw new Error(`The CI file's spec:inputs is invalid: ${problems[0]?.message ?? ''}`);
  if (!specs.length) return {};
  const gitlab = await services.gitlabFor(project);
  const { supported, version } = await pipelineInputsSupport(gitlab);
  if (!supported) throw new Error(`GitLab ${version} takes pipeline inputs from 18.1 on: this pipeline would run with the defaults. Run it from GitLab's web page, or upgrade GitLab.`);
  const given = inputsArgument === undefined ? await askInputs(specs, ref) : valuesFromArgument(specs, inputsArgument);
  return given && inputsToSend(specs, given);
}

async function askInputs(specs: readonly InputSpec[], ref: string): Promise<Map<string, InputValue> | undefined> {
  const values = new Map<string, InputValue>();
  for (const [index, spec] of specs.entries()) {
    const title = vscode.l10n.t('Run Pipeline for {0}: input {1}/{2}, {3}', ref, index + 1, specs.length, spec.name);
    const value = spec.options || spec.type === 'boolean' ? await pickValue(spec, title) : await typeValue(spec, title);
    if (value === undefined) return undefined;
    values.set(spec.name, value);
  }
  return values;
}

async function pickValue(spec: InputSpec, title: string): Promise<InputValue | undefined> {
  const options = spec.options ?? [true, false];
  const items = options.map((option) => ({ label: String(option), value: option, description: option === spec.default ? 'default' : undefined }));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: spec.description ?? `${spec.type}${spec.required ? ', required' : ''}`, ignoreFocusOut: true });
  return picked?.value;
}

async function typeValue(spec: InputSpec, title: string): Promise<InputValue | undefined> {
  const details = [spec.type, spec.required ? 'required' : undefined, spec.regex ? `matching /${spec.regex}/` : undefined].filter(Boolean).join(', ');
  const typed = await vscode.window.showInputBox({
    title,
    prompt: spec.description ? `${spec.description} (${details})` : details,
    value: spec.default === undefined ? '' : formatInputValue(spec.default),
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parseInputValue(spec, text);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
  if (typed === undefined) return undefined;
  const parsed = parseInputValue(spec, typed);
  return 'value' in parsed ? parsed.value : undefined;
}

/** Inputs given by automation: `{ name: value }`, each checked like a typed one. */
function valuesFromArgument(specs: readonly InputSpec[], argument: unknown): Map<string, InputValue> {
  if (argument === null || typeof argument !== 'object' || Array.isArray(argument)) throw new Error('Inputs must be an object of { name: value }.');
  const values = new Map<string, InputValue>();
  for (const [name, value] of Object.entries(argument as Record<string, unknown>)) {
    const spec = specs.find((candidate) => candidate.name === name);
    if (!spec) throw new Error(`The CI file declares no input \`${name}\`.`);
    const parsed = parseInputValue(spec, Array.isArray(value) ? JSON.stringify(value) : String(value));
    if ('error' in parsed) throw new Error(`Input \`${name}\`: ${parsed.error}`);
    values.set(name, parsed.value);
  }
  return values;
}
