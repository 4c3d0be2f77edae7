import type { JobRecord, PipelineRecord, ProjectRecord, RunnerRecord, UserRecord } from './model';
import { runnerEntity } from './runner-entities';
import type { FakeState } from './state';
import type { JobStatus } from './types';

/**
 * JSON shapes of GitLab's API entities (lib/api/entities/...), with the key sets and order of the
 * responses recorded from gitlab.com in shared/gitlab-api/recorded.
 */
export class Presenter {
  constructor(
    private readonly state: FakeState,
    /** GitLab's configured external URL, without a trailing slash. */
    private readonly webBase: () => string,
  ) {}

  private iso(date: Date | null): string | null {
    return date ? date.toISOString() : null;
  }

  private project(id: number): ProjectRecord {
    return this.state.requireProject(id);
  }

  private user(id: number): UserRecord {
    const user = this.state.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }

  userBasic(user: UserRecord): Record<string, unknown> {
    return {
      id: user.id,
      username: user.username,
      name: user.name,
      state: 'active',
      locked: false,
      avatar_url: `${this.webBase()}/uploads/-/system/user/avatar/${user.id}/avatar.png`,
      web_url: `${this.webBase()}/${user.username}`,
    };
  }

  /** Entities::User, as embedded in jobs. */
  userPublic(user: UserRecord): Record<string, unknown> {
    return {
      ...this.userBasic(user),
      created_at: this.iso(user.createdAt),
      bio: '', location: '', public_email: '', skype: '', linkedin: '', twitter: '', discord: '', website_url: '',
      organization: '', job_title: '', pronouns: '', bot: false, work_information: null, followers: 0, following: 0,
      local_time: null,
    };
  }

  /** GET /user: the token's own user, with the private fields. */
  currentUser(user: UserRecord): Record<string, unknown> {
    return {
      ...this.userPublic(user),
      last_sign_in_at: this.iso(user.createdAt),
      confirmed_at: this.iso(user.createdAt),
      last_activity_on: this.state.now().toISOString().slice(0, 10),
      email: user.email,
      theme_id: 1,
      color_scheme_id: 1,
      projects_limit: 100000,
      current_sign_in_at: this.iso(user.createdAt),
      identities: [],
      can_create_group: true,
      can_create_project: true,
      two_factor_enabled: false,
      external: false,
      private_profile: false,
      commit_email: user.email,
    };
  }

  commit(pipeline: PipelineRecord): Record<string, unknown> {
    const project = this.project(pipeline.projectId);
    const commit = project.refs.flatMap((r) => r.commits).find((c) => c.sha === pipeline.sha);
    const date = commit ? commit.createdAt.toISOString().replace('Z', '+00:00') : null;
    return {
      id: pipeline.sha,
      short_id: pipeline.sha.slice(0, 8),
      created_at: date,
      parent_ids: [pipeline.beforeSha],
      title: commit?.title ?? '',
      message: commit?.message ?? '',
      author_name: commit?.authorName ?? '',
      author_email: commit?.authorEmail ?? '',
      authored_date: date,
      committer_name: commit?.authorName ?? '',
      committer_email: commit?.authorEmail ?? '',
      committed_date: date,
      trailers: {},
      extended_trailers: {},
      web_url: `${this.webBase()}/${project.fullPath}/-/commit/${pipeline.sha}`,
    };
  }

  pipelineWebUrl(pipeline: PipelineRecord): string {
    return `${this.webBase()}/${this.project(pipeline.projectId).fullPath}/-/pipelines/${pipeline.id}`;
  }

  /** Entities::Ci::PipelineBasic, as embedded in jobs and bridges. */
  pipelineBasic(pipeline: PipelineRecord): Record<string, unknown> {
    return {
      id: pipeline.id,
      iid: pipeline.iid,
      project_id: pipeline.projectId,
      sha: pipeline.sha,
      ref: pipeline.ref,
      status: pipeline.status,
      source: pipeline.source,
      created_at: this.iso(pipeline.createdAt),
      updated_at: this.iso(pipeline.updatedAt),
      web_url: this.pipelineWebUrl(pipeline),
    };
  }

  /** An item of GET /projects/:id/pipelines (PipelineBasicWithMetadata). */
  pipelineListItem(pipeline: PipelineRecord): Record<string, unknown> {
    return {
      id: pipeline.id,
      iid: pipeline.iid,
      project_id: pipeline.projectId,
      status: pipeline.status,
      source: pipeline.source,
      name: pipeline.name,
      ref: pipeline.ref,
      sha: pipeline.sha,
      web_url: this.pipelineWebUrl(pipeline),
      updated_at: this.iso(pipeline.updatedAt),
      created_at: this.iso(pipeline.createdAt),
    };
  }

  /** GET /projects/:id/pipelines/:pid (PipelineWithMetadata). */
  pipelineDetail(pipeline: PipelineRecord): Record<string, unknown> {
    const seconds = (from: Date | null, to: Date | null): number | null =>
      from && to ? Math.round((to.getTime() - from.getTime()) / 1000) : null;
    return {
      ...this.pipelineBasic(pipeline),
      before_sha: pipeline.beforeSha,
      tag: pipeline.tag,
      yaml_errors: null,
      user: this.userBasic(this.user(pipeline.userId)),
      started_at: this.iso(pipeline.startedAt),
      finished_at: this.iso(pipeline.finishedAt),
      committed_at: null,
      duration: pipeline.finishedAt ? seconds(pipeline.startedAt, pipeline.finishedAt) : null,
      queued_duration: seconds(pipeline.createdAt, pipeline.startedAt),
      coverage: null,
      detailed_status: this.detailedStatus(pipeline),
      name: pipeline.name,
    };
  }

  detailedStatus(pipeline: PipelineRecord): Record<string, unknown> {
    const key = pipeline.hasWarnings ? 'success_with_warnings' : pipeline.status;
    const [icon, text, label, group] = detailedStatuses[key] ?? [`status_${key}`, key, key, key];
    const path = new URL(this.pipelineWebUrl(pipeline)).pathname;
    return {
      icon, text, label, group, tooltip: label, has_details: true, details_path: path, illustration: null,
      favicon: `/assets/ci_favicons/favicon_${icon}.png`,
    };
  }

  private jobTimes(job: JobRecord): Record<string, unknown> {
    const now = this.state.clock.now();
    const span = (from: Date | null, to: Date | null): number | null =>
      from ? ((to?.getTime() ?? now) - from.getTime()) / 1000 : null;
    return {
      created_at: this.iso(job.createdAt),
      started_at: this.iso(job.startedAt),
      finished_at: this.iso(job.finishedAt),
      erased_at: this.iso(job.erasedAt),
      duration: span(job.startedAt, job.finishedAt),
      queued_duration: job.queuedAt ? span(job.queuedAt, job.startedAt) : null,
    };
  }

  /** Entities::Ci::JobBasic: what jobs and bridges share. */
  jobBasic(job: JobRecord): Record<string, unknown> {
    const pipeline = this.state.requirePipeline(job.pipelineId);
    const project = this.project(job.projectId);
    return {
      id: job.id,
      status: job.status,
      stage: job.stage,
      name: job.name,
      ref: pipeline.ref,
      tag: pipeline.tag,
      coverage: job.coverage,
      allow_failure: job.allowFailure,
      ...this.jobTimes(job),
      user: this.userPublic(this.user(job.userId)),
      commit: this.commit(pipeline),
      pipeline: this.pipelineBasic(pipeline),
      ...(job.status === 'failed' ? { failure_reason: job.failureReason ?? 'unknown_failure' } : {}),
      web_url: `${this.webBase()}/${project.fullPath}/-/jobs/${job.id}`,
      project: { ci_job_token_scope_enabled: false },
    };
  }

  /** Entities::Ci::Job. */
  job(job: JobRecord): Record<string, unknown> {
    const archive = this.state.archiveOf(job);
    const runner = job.runnerId !== null ? this.state.runners.get(job.runnerId) : undefined;
    return {
      ...this.jobBasic(job),
      ...(archive ? { artifacts_file: { filename: archive.filename, size: archive.size } } : {}),
      artifacts: this.artifactList(job),
      runner: runner ? this.runner(runner) : null,
      artifacts_expire_at: this.iso(job.artifactsExpireAt),
      archived: false,
      tag_list: [...job.tags].sort(),
    };
  }

  /** Stored files plus the archived log, which GitLab lists as a `trace` artifact once the job finished. */
  artifactList(job: JobRecord): Record<string, unknown>[] {
    const files = job.artifacts.map((a) => ({ file_type: a.fileType, size: a.size, filename: a.filename, file_format: a.fileFormat }));
    if (job.finishedAt && job.trace.size > 0 && job.status !== 'skipped') {
      files.push({ file_type: 'trace', size: job.trace.size, filename: 'job.log', file_format: null });
    }
    return files;
  }

  /** Entities::Ci::Bridge. */
  bridge(job: JobRecord): Record<string, unknown> {
    const downstream = job.downstreamPipelineId !== null ? this.state.pipelines.get(job.downstreamPipelineId) : undefined;
    return { ...this.jobBasic(job), downstream_pipeline: downstream ? this.pipelineBasic(downstream) : null };
  }

  /** Entities::Ci::JobBasicWithProject, for GET /runners/:id/jobs. */
  jobWithProject(job: JobRecord): Record<string, unknown> {
    const project = this.project(job.projectId);
    return {
      ...this.jobBasic(job),
      project: {
        id: project.id, name: project.name, name_with_namespace: `${project.namespace.fullPath.split('/').join(' / ')} / ${project.name}`,
        path: project.path, path_with_namespace: project.fullPath, created_at: this.iso(project.createdAt),
      },
    };
  }

  runner(runner: RunnerRecord): Record<string, unknown> {
    return runnerEntity(this.state, runner);
  }

}

const detailedStatuses: Partial<Record<JobStatus | 'success_with_warnings', [string, string, string, string]>> = {
  created: ['status_created', 'Created', 'created', 'created'],
  waiting_for_resource: ['status_pending', 'Waiting', 'waiting for resource', 'waiting-for-resource'],
  preparing: ['status_preparing', 'Preparing', 'preparing', 'preparing'],
  waiting_for_callback: ['status_pending', 'Waiting', 'waiting for callback', 'waiting-for-callback'],
  pending: ['status_pending', 'Pending', 'pending', 'pending'],
  running: ['status_running', 'Running', 'running', 'running'],
  success: ['status_success', 'Passed', 'passed', 'success'],
  success_with_warnings: ['status_warning', 'Warning', 'passed with warnings', 'success-with-warnings'],
  failed: ['status_failed', 'Failed', 'failed', 'failed'],
  canceling: ['status_canceled', 'Canceling', 'canceling', 'canceling'],
  canceled: ['status_canceled', 'Canceled', 'canceled', 'canceled'],
  skipped: ['status_skipped', 'Skipped', 'skipped', 'skipped'],
  manual: ['status_manual', 'Blocked', 'waiting for manual action', 'manual'],
  scheduled: ['status_scheduled', 'Scheduled', 'waiting for delayed job', 'scheduled'],
};
