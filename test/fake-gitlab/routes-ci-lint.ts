import type { ApiContext, ApiRouter } from './app';
import { requireRole } from './auth';
import { repositoryFiles } from './ci-files';
import { lintCiConfig } from './ci-lint';
import { ApiError, invalidParam, jsonReply, paramBoolean, paramString, type Params } from './http';
import type { PipelineRecord, ProjectRecord } from './model';
import { projectAccess } from './route-helpers';
import type { Features } from './types';
import { inputSpecOf } from '../../src/gitlab/ciConfig/inputs';
import { parseAllDocuments } from 'yaml';

/**
 * CI Lint (lib/api/lint.rb, FACTS.md): POST lints given content (Developer, `api` token), GET lints the
 * repository's file at a ref (whoever reads code). Both answer 200 even for invalid YAML. Off with the
 * `ciLint` switch: an instance without the endpoint (404, as for any unknown route).
 */
export function registerCiLintRoutes(router: ApiRouter, features: Features): void {
  router.add('POST', '/api/v4/projects/:id/ci/lint', async (ctx, { id = '' }) => {
    const { project, role } = projectAccess(ctx, id);
    requireRole(role, 'developer');
    const params = await ctx.params();
    const content = paramString(params, 'content');
    if (content === undefined) throw invalidParam('content is missing');
    const ref = paramString(params, 'ref') ?? project.defaultBranch;
    return jsonReply(200, lintAnswer(ctx, project, content, ref, params, 'include_jobs'));
  }, () => features.ciLint);

  router.add('GET', '/api/v4/projects/:id/ci/lint', async (ctx, { id = '' }) => {
    const { project } = projectAccess(ctx, id);
    const params = await ctx.params();
    const ref = paramString(params, 'content_ref') ?? paramString(params, 'sha') ?? project.defaultBranch;
    if (!ctx.app.state.findRef(project, ref)) throw new ApiError(404, { message: '404 Commit Not Found' });
    const content = repositoryFiles(project).get('.gitlab-ci.yml') ?? '';
    return jsonReply(200, lintAnswer(ctx, project, content, ref, params, 'include_jobs'));
  }, () => features.ciLint);

  router.add('GET', '/api/v4/version', (ctx) => {
    ctx.actor();
    return jsonReply(200, { version: features.pipelineInputs ? '18.2.1-ee' : '17.11.3-ee', revision: 'f4k3f4k3', kas: { enabled: false, externalUrl: null, version: null }, enterprise: true });
  });
}

function lintAnswer(ctx: ApiContext, project: ProjectRecord, content: string, ref: string, params: Params, jobsParam: string): Record<string, unknown> {
  const found = ctx.app.state.findRef(project, ref);
  const sha = found?.commits[found.commits.length - 1]?.sha ?? '';
  const files = repositoryFiles(project);
  const result = lintCiConfig(content, { readFile: (file) => files.get(file), projectPath: project.fullPath, sha });
  const includeJobs = paramBoolean(params, jobsParam) ?? false;
  const { jobs, ...rest } = result;
  return { ...rest, ...(includeJobs ? { jobs } : {}) };
}

const inputsByPipeline = new WeakMap<PipelineRecord, Record<string, string>>();

/** The inputs a pipeline was created with (as GitLab received them), for tests to check what was sent. */
export function pipelineInputsOf(pipeline: PipelineRecord): Record<string, string> | undefined {
  return inputsByPipeline.get(pipeline);
}

export function rememberPipelineInputs(pipeline: PipelineRecord, inputs: Record<string, string>): void {
  if (Object.keys(inputs).length) inputsByPipeline.set(pipeline, inputs);
}

/**
 * `inputs` on POST /projects/:id/pipeline (18.1+): checked against the `spec:inputs` of the ref's CI file.
 * Without the `pipelineInputs` switch (older GitLab) Grape drops the parameter unread, so the file's
 * required inputs are then missing. Returns the inputs the pipeline runs with.
 */
export function pipelineInputsFor(features: Features, project: ProjectRecord, params: Params): Record<string, string> {
  const given = features.pipelineInputs ? params.inputs : undefined;
  if (given !== undefined && (typeof given !== 'object' || Array.isArray(given))) throw invalidParam('inputs is invalid');
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(given ?? {})) values[key] = typeof value === 'string' ? value : JSON.stringify(value);
  const content = repositoryFiles(project).get('.gitlab-ci.yml') ?? '';
  const documents = parseAllDocuments(content);
  const header = Array.isArray(documents) && documents.length > 1 ? documents[0] : undefined;
  const declared = (header?.toJS({ maxAliasCount: 100 }) as { spec?: { inputs?: Record<string, unknown> } } | null)?.spec?.inputs ?? {};
  const unknown = Object.keys(values).filter((key) => !(key in declared));
  const fail = (message: string): never => {
    throw new ApiError(400, { message: { base: [message] } });
  };
  if (unknown.length) fail(`Given inputs not defined in the \`spec\` section of the included configuration file`);
  for (const [name, declaration] of Object.entries(declared)) {
    const spec = inputSpecOf(name, declaration);
    if (typeof spec === 'string') fail(spec);
    else if (spec.required && values[name] === undefined) fail(`\`${name}\` input: required value has not been provided`);
    else if (spec.options && values[name] !== undefined && !spec.options.map(String).includes(values[name])) fail(`\`${name}\` input: \`${values[name]}\` cannot be used because it is not in the list of allowed options`);
  }
  return values;
}
