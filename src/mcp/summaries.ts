import type { Bridge, Job, Pipeline } from '../gitlab';
import type { Page } from '../gitlab/pagination';
import type { JobSummary, PipelineSummary } from './schemas';

/** What an agent needs of a job to decide its next step; GitLab's full record is mostly noise. */
export function summarizeJob(job: Job): JobSummary {
  return {
    id: job.id,
    name: job.name,
    stage: job.stage,
    status: job.status,
    failure_reason: job.failure_reason,
    allow_failure: job.allow_failure,
    ref: job.ref,
    pipeline_id: job.pipeline?.id,
    // Lists that span projects (a runner's jobs) say whose job it is.
    project_id: job.pipeline?.project_id,
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

export function summarizePipeline(pipeline: Pipeline): PipelineSummary {
  return {
    id: pipeline.id,
    iid: pipeline.iid,
    project_id: pipeline.project_id,
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

/** A trigger job and the pipeline it started: how an agent gets from a parent pipeline to a failed child. */
export function summarizeBridge(bridge: Bridge) {
  const downstream = bridge.downstream_pipeline;
  return {
    id: bridge.id,
    name: bridge.name,
    stage: bridge.stage,
    status: bridge.status,
    allow_failure: bridge.allow_failure,
    web_url: bridge.web_url,
    downstream_pipeline: downstream
      ? { id: downstream.id, project_id: downstream.project_id, status: downstream.status, ref: downstream.ref, web_url: downstream.web_url }
      : null,
  };
}

/** Where the caller is in a list, and how to get the next page. */
export function pageInfo(page: Page<unknown>) {
  return {
    page: page.page,
    per_page: page.perPage,
    next_page: page.nextPage ?? null,
    total: page.total,
    total_pages: page.totalPages,
  };
}
