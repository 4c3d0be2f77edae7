import type { App } from './app';
import type { JobRecord } from './model';

const failureReasons = [
  'unknown_failure', 'script_failure', 'api_failure', 'stuck_or_timeout_failure', 'runner_system_failure',
  'missing_dependency_failure', 'runner_unsupported', 'stale_schedule', 'job_execution_timeout', 'archived_failure',
  'unmet_prerequisites', 'scheduler_failure', 'data_integrity_failure', 'forward_deployment_failure',
  'user_blocked', 'project_deleted', 'insufficient_bridge_permissions', 'downstream_bridge_project_not_found',
  'invalid_bridge_trigger', 'bridge_pipeline_is_child_pipeline', 'downstream_pipeline_creation_failed',
  'secrets_provider_not_found', 'reached_max_descendant_pipelines_depth', 'ip_restriction_failure',
  'image_pull_failure',
];

interface RunnerVariable {
  key: string;
  value: string;
  public: boolean;
  masked: boolean;
}

/** Entities::Ci::JobRequest::Response: what POST /api/v4/jobs/request gives a runner. */
export function jobPayload(app: App, job: JobRecord): Record<string, unknown> {
  const { state } = app;
  const pipeline = state.requirePipeline(job.pipelineId);
  const project = state.requireProject(job.projectId);
  const ref = state.findRef(project, pipeline.ref);
  const token = job.token ?? '';
  const external = new URL(app.externalUrl);
  const repoUrl = `${external.protocol}//gitlab-ci-token:${token}@${external.host}/${project.fullPath}.git`;
  const variable = (key: string, value: string, masked = false): RunnerVariable => ({ key, value, public: !masked, masked });
  const variables: RunnerVariable[] = [
    variable('CI', 'true'),
    variable('GITLAB_CI', 'true'),
    variable('CI_SERVER_URL', app.externalUrl),
    variable('CI_API_V4_URL', `${app.externalUrl}/api/v4`),
    variable('CI_JOB_ID', String(job.id)),
    variable('CI_JOB_NAME', job.name),
    variable('CI_JOB_STAGE', job.stage),
    variable('CI_JOB_TOKEN', token, true),
    variable('CI_JOB_URL', `${app.externalUrl}/${project.fullPath}/-/jobs/${job.id}`),
    variable('CI_PIPELINE_ID', String(pipeline.id)),
    variable('CI_PIPELINE_IID', String(pipeline.iid)),
    variable('CI_PIPELINE_SOURCE', pipeline.source),
    variable('CI_PROJECT_ID', String(project.id)),
    variable('CI_PROJECT_PATH', project.fullPath),
    variable('CI_COMMIT_SHA', pipeline.sha),
    variable('CI_COMMIT_BEFORE_SHA', pipeline.beforeSha),
    variable('CI_COMMIT_REF_NAME', pipeline.ref),
    ...(pipeline.tag ? [variable('CI_COMMIT_TAG', pipeline.ref)] : ref?.kind === 'merge_request' ? [] : [variable('CI_COMMIT_BRANCH', pipeline.ref)]),
    ...state.mergeRequests.variablesOf(pipeline).map(([key, value]) => variable(key, value)),
    ...pipeline.variables.map((v) => variable(v.key, v.value)),
    ...job.playVariables.map((v) => variable(v.key, v.value)),
  ];
  const spec = job.artifactsSpec;
  const artifacts = spec ? [
    {
      name: 'artifacts', untracked: false, paths: spec.paths, when: spec.when ?? 'on_success',
      expire_in: spec.expireIn ?? null, artifact_type: 'archive', artifact_format: 'zip',
    },
    ...(spec.junit ? [{
      name: 'junit', paths: spec.junit, when: 'always', expire_in: spec.expireIn ?? null,
      artifact_type: 'junit', artifact_format: 'gzip',
    }] : []),
  ] : [];
  const earlierWithArchives = state.pipelineJobs(pipeline.id)
    .filter((j) => j.kind === 'build' && j.stageIndex < job.stageIndex && j.status === 'success');
  const queuedSeconds = job.queuedAt && job.startedAt ? Math.round((job.startedAt.getTime() - job.queuedAt.getTime()) / 1000) : 0;
  return {
    id: job.id,
    token,
    allow_git_fetch: true,
    job_info: {
      id: job.id, name: job.name, stage: job.stage, pipeline_id: pipeline.id, project_id: project.id,
      project_name: project.name, project_full_path: project.fullPath, namespace_id: project.namespace.id,
      root_namespace_id: project.namespace.parentId ?? project.namespace.id, organization_id: 1,
      instance_id: null, instance_uuid: null, user_id: job.userId, scoped_user_id: null,
      time_in_queue_seconds: queuedSeconds, project_jobs_running_on_instance_runners_count: '+Inf',
      queue_size: 0, queue_depth: 0,
    },
    git_info: {
      repo_url: repoUrl, ref: pipeline.ref, sha: pipeline.sha, before_sha: pipeline.beforeSha,
      ref_type: pipeline.tag ? 'tag' : 'branch',
      // A merge request pipeline's ref is no branch: the runner fetches only the pipeline's persistent ref.
      refspecs: [
        `+refs/pipelines/${pipeline.id}:refs/pipelines/${pipeline.id}`,
        ...(ref?.kind === 'merge_request' ? [] : [pipeline.tag ? `+refs/tags/${pipeline.ref}:refs/tags/${pipeline.ref}` : `+refs/heads/${pipeline.ref}:refs/remotes/origin/${pipeline.ref}`]),
      ],
      depth: 20, repo_object_format: 'sha1', protected: ref?.protected ?? false,
    },
    runner_info: { timeout: 3600, runner_session_url: null },
    variables,
    steps: [{ name: 'script', script: job.script, timeout: 3600, when: 'on_success', allow_failure: job.allowFailure }],
    image: job.image ? { name: job.image, entrypoint: null, ports: [], executor_opts: {}, pull_policy: null } : null,
    services: [],
    artifacts,
    cache: [],
    credentials: [{ type: 'registry', url: `${external.hostname}:5050`, username: 'gitlab-ci-token', password: token }],
    features: { trace_sections: true, failure_reasons: failureReasons },
    dependencies: earlierWithArchives.map((j) => {
      const archive = state.archiveOf(j);
      return { id: j.id, name: j.name, token, ...(archive ? { artifacts_file: { filename: archive.filename, size: archive.size } } : {}) };
    }),
  };
}
