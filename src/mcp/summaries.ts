import type { Job, Pipeline } from '../gitlab';
import type { Page } from '../gitlab/pagination';

/** What an agent needs of a job to decide its next step; GitLab's full record is mostly noise. */
export function summarizeJob(job: Job): Record<string, unknown> {
  return {
    id: job.id,
    name: job.name,
    stage: job.stage,
    status: job.status,
    failure_reason: job.failure_reason,
    allow_failure: job.allow_failure,
    ref: job.ref,
    pipeline_id: job.pipeline?.id,
    created_at: job.created_at,
    started_at: job.started_at,
    finished_at: job.finished_at,
    duration: job.duration,
    queued_duration: job.queued_duration,
    retried: job.retried,
    erased_at: job.erased_at ?? undefined,
    runner: job.runner ? { id: job.runner.id, description: job.runner.description } : null,
    artifacts: (job.artifacts ?? []).map(({ file_type, filename, size }) => ({ file_type, filename, size })),
    artifacts_expire_at: job.artifacts_expire_at,
    web_url: job.web_url,
  };
}

export function summarizePipeline(pipeline: Pipeline): Record<string, unknown> {
  return {
    id: pipeline.id,
    iid: pipeline.iid,
    status: pipeline.status,
    ref: pipeline.ref,
    sha: pipeline.sha,
    source: pipeline.source,
    name: pipeline.name ?? undefined,
    created_at: pipeline.created_at,
    updated_at: pipeline.updated_at,
    web_url: pipeline.web_url,
  };
}

/** Where the caller is in a list, and how to get the next page. */
export function pageInfo(page: Page<unknown>): Record<string, unknown> {
  return {
    page: page.page,
    per_page: page.perPage,
    next_page: page.nextPage ?? null,
    total: page.total,
    total_pages: page.totalPages,
  };
}
