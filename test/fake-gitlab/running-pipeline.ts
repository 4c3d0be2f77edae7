// A big pipeline that keeps running, for the scale benchmark and its soak: most jobs finished, a bounded
// set active in the last stage, and a steady churn (a running job finishes, a pending one starts, a
// finished one is retried) so that the pipeline never ends however long the run, its job count never
// changes, and its active set stays the same size. Built directly on the state, as seedBigPipeline is.
import type { JobRecord, PipelineRecord } from './model';
import type { FakeState } from './state';

export interface RunningPipelineOptions {
  readonly projectId: number;
  readonly jobCount: number;
  /** Jobs in active states (half running, half pending), all in the last stage; at most jobCount / 2. */
  readonly activeJobs: number;
  readonly ref?: string;
  readonly stages?: readonly string[];
}

/** Five stages, so that a big pipeline has several that are all finished. */
export const RUNNING_PIPELINE_STAGES = ['build', 'test', 'integration', 'package', 'deploy'] as const;

// One line of a runner's output, as the followed log grows.
const LOG_LINE = '\u001b[32;1m$ make test\u001b[0;m ok: a line of output from the job script\n';

export class RunningPipeline {
  /** A running job that churn never finishes: the one whose log grows (and is followed). */
  readonly followedJob: JobRecord;

  private constructor(
    private readonly state: FakeState,
    readonly pipeline: PipelineRecord,
  ) {
    const running = this.jobsIn('running');
    if (running.length === 0) throw new Error('a running pipeline needs at least one running job');
    this.followedJob = running[0];
  }

  static seed(state: FakeState, options: RunningPipelineOptions): RunningPipeline {
    const stages = [...(options.stages ?? RUNNING_PIPELINE_STAGES)];
    if (options.activeJobs < 2 || options.activeJobs > options.jobCount / 2) {
      throw new Error(`activeJobs must be between 2 and half the jobs (${options.jobCount / 2}), not ${options.activeJobs}`);
    }
    const pipeline = state.seedBigPipeline({ projectId: options.projectId, jobCount: options.jobCount, ref: options.ref, stages, status: 'success' });
    const lastStage = stages[stages.length - 1];
    const active = state.pipelineJobs(pipeline.id).filter((job) => job.stage === lastStage).slice(-options.activeJobs);
    if (active.length < options.activeJobs) throw new Error(`the last stage holds only ${active.length} jobs; ask for fewer active jobs`);
    active.forEach((job, index) => state.setJobStatus(job.id, index % 2 === 0 ? 'running' : 'pending'));
    return new RunningPipeline(state, pipeline);
  }

  /** Jobs of the pipeline (retried ones left out) in this status. */
  jobsIn(status: JobRecord['status']): JobRecord[] {
    return this.state.pipelineJobs(this.pipeline.id).filter((job) => job.status === status);
  }

  /**
   * One step of churn: the longest-running job but the followed one finishes, the oldest pending job
   * starts, and the oldest finished job of the running stage is retried (its new attempt waits as pending).
   */
  tick(): void {
    const finishing = this.jobsIn('running').find((job) => job.id !== this.followedJob.id);
    const starting = this.jobsIn('pending')[0];
    if (!finishing || !starting) return;
    this.state.finishJob(finishing, 'success');
    this.state.setJobStatus(starting.id, 'running');
    const retried = this.jobsIn('success').find((job) => job.stage === this.followedJob.stage);
    if (retried) this.state.retryJob(retried, this.pipeline.userId);
  }

  /** Appends about `bytes` of runner output to the followed job's log. */
  growFollowedLog(bytes: number): void {
    const lines = Math.max(1, Math.round(bytes / LOG_LINE.length));
    this.followedJob.trace.append(Buffer.from(LOG_LINE.repeat(lines)));
  }

  /** Finishes every active job of the project's other pipelines, so that only this one runs. */
  finishOtherPipelines(): void {
    for (const job of this.state.findJobs({ projectId: this.pipeline.projectId })) {
      if (job.pipelineId !== this.pipeline.id && ['created', 'pending', 'running', 'preparing', 'waiting_for_resource'].includes(job.status)) {
        this.state.setJobStatus(job.id, 'success');
      }
    }
  }
}
