import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { MergeRequests } from './merge-requests';
import {
  compositeStatus, TraceLog,
  type JobRecord, type JobTemplate, type PipelineRecord, type PipelineTemplate, type PipelineVariable,
  type ProjectRecord, type RefRecord, type RunnerRecord, type StoredArtifact, type TokenRecord, type UserRecord,
} from './model';
import { activeStatuses, completedStatuses, type JobStatus, type PipelineSource } from './types';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to; seeding and tests use it to get stable timestamps. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface CreatePipelineOptions {
  ref: string;
  userId: number;
  source?: PipelineSource;
  variables?: PipelineVariable[];
  name?: string | null;
  /** Defaults to the project's own CI template. */
  template?: PipelineTemplate;
}

export interface JobFilter {
  projectId?: number;
  pipelineId?: number;
  name?: string;
  status?: JobStatus;
  kind?: 'build' | 'bridge';
  includeRetried?: boolean;
}

export interface SeedBigPipelineOptions {
  projectId: number;
  jobCount: number;
  ref?: string;
  stages?: string[];
  status?: JobStatus;
  /** Bytes of log per job (a repeated runner-like line). */
  traceBytes?: number;
}

export type TraceAppendResult = { status: 202 | 416; size: number } | { status: 403; size: number };

const cancelableStatuses: readonly JobStatus[] = [
  'created', 'waiting_for_resource', 'preparing', 'waiting_for_callback', 'pending', 'running', 'scheduled',
];
const retryableStatuses: readonly JobStatus[] = ['success', 'failed', 'canceled', 'canceling'];

const expireInUnits: Record<string, number> = {
  s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hr: 3600, hour: 3600,
  d: 86400, day: 86400, w: 604800, wk: 604800, week: 604800, mo: 2592000, month: 2592000, y: 31536000, yr: 31536000, year: 31536000,
};

/** Parses GitLab's `expire_in` ("1 week", "30 mins", "never"); null means never expire. */
export function parseExpireIn(text: string): number | null {
  if (text.trim() === 'never') return null;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)\s*([a-z]+)?/gi)) {
    const key = (unit ?? 's').toLowerCase().replace(/s$/, '');
    seconds += Number(amount) * (expireInUnits[key] ?? expireInUnits[key.slice(0, 2)] ?? 1);
  }
  return seconds * 1000;
}

function newJobToken(): string {
  return `glcbt-${randomBytes(20).toString('hex')}`;
}

/**
 * The whole in-memory GitLab: users, projects, pipelines, jobs and their logs and artifacts, with the
 * state machine GitLab's ProcessPipelineService implements (stages run in order; manual jobs wait; a
 * failed job that may not fail skips later stages; bridges mirror their downstream pipeline).
 */
/** Statuses of a job that has not started running (GitLab's `started_at` is null then). */
const notStartedStatuses: readonly JobStatus[] = ['created', 'pending', 'preparing', 'waiting_for_resource', 'manual', 'scheduled'];

export class FakeState {
  readonly users = new Map<number, UserRecord>();
  readonly tokens: TokenRecord[] = [];
  readonly runners = new Map<number, RunnerRecord>();
  readonly projects = new Map<number, ProjectRecord>();
  readonly pipelines = new Map<number, PipelineRecord>();
  readonly jobs = new Map<number, JobRecord>();
  readonly mergeRequests = new MergeRequests(this);
  clock: Clock = systemClock;
  /** GitLab's default max_artifacts_size (100 MB). */
  maxArtifactsSize = 100 * 1024 * 1024;
  /** GitLab's default ci_jobs_trace_size_limit (100 MB). */
  maxTraceSize = 100 * 1024 * 1024;
  nextPipelineId = 1;
  nextJobId = 1;
  private readonly jobsByPipeline = new Map<number, JobRecord[]>();
  private readonly settleQueue = new Set<number>();
  private settling = false;

  now(): Date {
    return new Date(this.clock.now());
  }

  // ---- look-ups -------------------------------------------------------------------------------------

  findProject(idOrPath: string | number): ProjectRecord | undefined {
    if (typeof idOrPath === 'number' || /^\d+$/.test(idOrPath)) return this.projects.get(Number(idOrPath));
    return [...this.projects.values()].find((p) => p.fullPath === idOrPath);
  }

  requireProject(idOrPath: string | number): ProjectRecord {
    const project = this.findProject(idOrPath);
    if (!project) throw new Error(`no project ${idOrPath}`);
    return project;
  }

  requireJob(id: number): JobRecord {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    return job;
  }

  requirePipeline(id: number): PipelineRecord {
    const pipeline = this.pipelines.get(id);
    if (!pipeline) throw new Error(`no pipeline ${id}`);
    return pipeline;
  }

  findRef(project: ProjectRecord, name: string): RefRecord | undefined {
    return project.refs.find((r) => r.name === name);
  }

  /** Jobs of a pipeline, oldest first; retried ones left out unless asked for. */
  pipelineJobs(pipelineId: number, includeRetried = false): JobRecord[] {
    const jobs = this.jobsByPipeline.get(pipelineId) ?? [];
    return includeRetried ? jobs : jobs.filter((j) => !j.retried);
  }

  findJobs(filter: JobFilter = {}): JobRecord[] {
    const source = filter.pipelineId !== undefined ? this.jobsByPipeline.get(filter.pipelineId) ?? [] : this.jobs.values();
    return [...source].filter((j) =>
      (filter.projectId === undefined || j.projectId === filter.projectId)
      && (filter.name === undefined || j.name === filter.name)
      && (filter.status === undefined || j.status === filter.status)
      && (filter.kind === undefined || j.kind === filter.kind)
      && (filter.includeRetried === true || !j.retried));
  }

  /** Child pipelines (and their children) of a pipeline, via its bridges. */
  descendantPipelines(pipeline: PipelineRecord): PipelineRecord[] {
    const children = this.pipelineJobs(pipeline.id)
      .flatMap((j) => (j.downstreamPipelineId !== null ? [this.requirePipeline(j.downstreamPipelineId)] : []))
      .filter((p) => p.source === 'parent_pipeline');
    return children.flatMap((child) => [child, ...this.descendantPipelines(child)]);
  }

  findJobByToken(token: string): JobRecord | undefined {
    if (!token) return undefined;
    return [...this.jobs.values()].find((j) => j.token === token);
  }

  // ---- creating pipelines ---------------------------------------------------------------------------

  createPipeline(project: ProjectRecord, options: CreatePipelineOptions, upstreamBridge?: JobRecord): PipelineRecord {
    const ref = this.findRef(project, options.ref);
    if (!ref) throw new Error('Reference not found');
    const head = ref.commits[ref.commits.length - 1];
    if (!head) throw new Error(`ref ${ref.name} has no commits`);
    const template = options.template ?? project.ciTemplate;
    const now = this.now();
    const pipeline: PipelineRecord = {
      id: this.nextPipelineId++,
      iid: [...this.pipelines.values()].filter((p) => p.projectId === project.id).length + 1,
      projectId: project.id,
      ref: ref.name,
      tag: ref.kind === 'tag',
      sha: head.sha,
      beforeSha: head.parentSha,
      source: options.source ?? 'push',
      name: options.name ?? null,
      status: 'created',
      hasWarnings: false,
      userId: options.userId,
      stages: template.stages,
      variables: options.variables ?? [],
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
      upstreamBridgeId: upstreamBridge?.id ?? null,
    };
    this.pipelines.set(pipeline.id, pipeline);
    this.jobsByPipeline.set(pipeline.id, []);
    for (const jobTemplate of template.jobs) this.addJob(pipeline, jobTemplate);
    this.settle(pipeline);
    return pipeline;
  }

  /** A pipeline for a branch or tag from the project's template, started by its first maintainer unless told. */
  createPipelineForRef(projectIdOrPath: string | number, ref: string, options: Partial<CreatePipelineOptions> = {}): PipelineRecord {
    const project = this.requireProject(projectIdOrPath);
    const maintainer = [...project.members].find(([, role]) => role === 'maintainer')?.[0];
    return this.createPipeline(project, { userId: maintainer ?? 1, ...options, ref });
  }

  private addJob(pipeline: PipelineRecord, template: JobTemplate, status: JobStatus = 'created'): JobRecord {
    const stageIndex = pipeline.stages.indexOf(template.stage);
    if (stageIndex < 0) throw new Error(`job ${template.name}: stage ${template.stage} is not in ${pipeline.stages.join(', ')}`);
    const when = template.when ?? 'on_success';
    const job: JobRecord = {
      id: this.nextJobId++,
      kind: template.trigger ? 'bridge' : 'build',
      projectId: pipeline.projectId,
      pipelineId: pipeline.id,
      name: template.name,
      stage: template.stage,
      stageIndex,
      status,
      when,
      allowFailure: template.allowFailure ?? when === 'manual',
      script: template.script ?? [`echo "${template.name}"`],
      image: template.image ?? null,
      tags: template.tags ?? [],
      artifactsSpec: template.artifacts ?? null,
      trigger: template.trigger ?? null,
      userId: pipeline.userId,
      createdAt: this.now(),
      queuedAt: null,
      startedAt: null,
      finishedAt: null,
      erasedAt: null,
      coverage: null,
      failureReason: null,
      exitCode: null,
      retried: false,
      token: null,
      runnerId: null,
      playVariables: [],
      trace: new TraceLog(),
      traceWatchedUntil: 0,
      artifacts: [],
      artifactsExpireAt: null,
      downstreamPipelineId: null,
    };
    this.jobs.set(job.id, job);
    this.jobsByPipeline.get(pipeline.id)?.push(job);
    return job;
  }

  /** A pipeline with `jobCount` finished jobs, built directly (no runner) so benchmarks can start fast. */
  seedBigPipeline(options: SeedBigPipelineOptions): PipelineRecord {
    const project = this.requireProject(options.projectId);
    const stages = options.stages ?? ['build', 'test', 'deploy'];
    const status = options.status ?? 'success';
    const userId = [...project.members.keys()][0] ?? 1;
    const pipeline = this.createPipeline(project, {
      ref: options.ref ?? project.defaultBranch, userId, template: { stages, jobs: [] },
    });
    const line = Buffer.from('\u001b[32;1m$ make test\u001b[0;m ok: a line of output from the job script\n');
    const traceBytes = options.traceBytes ?? 0;
    const trace = Buffer.alloc(traceBytes);
    for (let offset = 0; offset < traceBytes; offset += line.length) line.copy(trace, offset);
    const start = this.clock.now();
    for (let i = 0; i < options.jobCount; i++) {
      const stage = stages[Math.floor((i * stages.length) / options.jobCount)] ?? 'test';
      const job = this.addJob(pipeline, { name: `${stage}:${i + 1}`, stage }, status);
      job.queuedAt = new Date(start);
      if (status !== 'created' && status !== 'pending' && status !== 'manual' && status !== 'skipped') {
        job.startedAt = new Date(start + 1000);
        if (completedStatuses.includes(status)) job.finishedAt = new Date(start + 1000 + (i % 60) * 1000);
      }
      if (status === 'failed') job.failureReason = 'script_failure';
      if (traceBytes > 0) job.trace.replace(trace);
    }
    this.settle(pipeline);
    return pipeline;
  }

  // ---- the state machine ----------------------------------------------------------------------------

  /** Re-derives what can run next and the pipeline's status; safe to call at any time. */
  settle(pipeline: PipelineRecord): void {
    this.settleQueue.add(pipeline.id);
    if (this.settling) return;
    this.settling = true;
    try {
      for (let id = this.takeQueued(); id !== undefined; id = this.takeQueued()) this.process(this.requirePipeline(id));
    } finally {
      this.settling = false;
    }
  }

  private takeQueued(): number | undefined {
    const [first] = this.settleQueue;
    if (first !== undefined) this.settleQueue.delete(first);
    return first;
  }

  private process(pipeline: PipelineRecord): void {
    const jobs = this.pipelineJobs(pipeline.id);
    const stageIndexes = [...new Set(jobs.map((j) => j.stageIndex))].sort((a, b) => a - b);
    const earlier: JobRecord[] = [];
    for (const stageIndex of stageIndexes) {
      const prior = compositeStatus(earlier).status;
      if (prior !== null && !completedStatuses.includes(prior)) break;
      const stageJobs = jobs.filter((j) => j.stageIndex === stageIndex);
      for (const job of stageJobs) if (job.status === 'created') this.decide(job, prior);
      earlier.push(...stageJobs);
    }
    this.refreshPipelineStatus(pipeline);
  }

  private decide(job: JobRecord, prior: JobStatus | null): void {
    const priorPassed = prior === null || prior === 'success' || prior === 'skipped';
    switch (job.when) {
      case 'on_success':
        return priorPassed ? this.enqueue(job) : this.setStatus(job, 'skipped');
      case 'manual':
        return this.setStatus(job, priorPassed ? 'manual' : 'skipped');
      case 'always':
        return this.enqueue(job);
      case 'on_failure':
        return prior === 'failed' ? this.enqueue(job) : this.setStatus(job, 'skipped');
    }
  }

  private enqueue(job: JobRecord): void {
    job.queuedAt = this.now();
    if (job.kind === 'build') return this.setStatus(job, 'pending');
    this.setStatus(job, 'pending');
    this.triggerDownstream(job);
  }

  private triggerDownstream(bridge: JobRecord): void {
    const trigger = bridge.trigger;
    const parent = this.requirePipeline(bridge.pipelineId);
    const parentProject = this.requireProject(parent.projectId);
    try {
      if (trigger?.kind === 'child') {
        const child = this.createPipeline(parentProject, {
          ref: parent.ref, userId: bridge.userId, source: 'parent_pipeline', template: trigger.template,
          variables: parent.variables,
        }, bridge);
        bridge.downstreamPipelineId = child.id;
      } else if (trigger?.kind === 'project') {
        const target = this.findProject(trigger.projectPath);
        if (!target) throw new Error(`no project ${trigger.projectPath}`);
        const downstream = this.createPipeline(target, {
          ref: trigger.branch ?? target.defaultBranch, userId: bridge.userId, source: 'pipeline',
        }, bridge);
        bridge.downstreamPipelineId = downstream.id;
      }
    } catch {
      this.setStatus(bridge, 'failed', 'downstream_pipeline_creation_failed');
    }
  }

  private refreshPipelineStatus(pipeline: PipelineRecord): void {
    const { status, warnings } = compositeStatus(this.pipelineJobs(pipeline.id));
    if (status === null) return;
    const now = this.now();
    if (status !== pipeline.status || warnings !== pipeline.hasWarnings) pipeline.updatedAt = now;
    pipeline.status = status;
    pipeline.hasWarnings = warnings;
    if (status === 'running' && pipeline.startedAt === null) pipeline.startedAt = now;
    if (completedStatuses.includes(status)) {
      pipeline.finishedAt ??= now;
      pipeline.startedAt ??= now;
    } else pipeline.finishedAt = null;
    if (pipeline.upstreamBridgeId !== null) this.mirrorDownstream(this.requireJob(pipeline.upstreamBridgeId), pipeline);
  }

  private mirrorDownstream(bridge: JobRecord, downstream: PipelineRecord): void {
    if (bridge.retried || bridge.downstreamPipelineId !== downstream.id) return;
    const mirrored: JobStatus = completedStatuses.includes(downstream.status) ? downstream.status : 'running';
    if (bridge.status === mirrored) return;
    this.setStatus(bridge, mirrored, mirrored === 'failed' ? 'unknown_failure' : null);
    this.settle(this.requirePipeline(bridge.pipelineId));
  }

  /** Moves a job to a status with the timestamps GitLab would set; does not settle the pipeline. */
  private setStatus(job: JobRecord, status: JobStatus, failureReason: string | null = null): void {
    const now = this.now();
    job.status = status;
    if (status === 'pending' || status === 'running') job.queuedAt ??= now;
    // An active job has not finished, nor started before it runs (a test moving a finished job back starts it afresh).
    if (!completedStatuses.includes(status)) {
      if (notStartedStatuses.includes(status) || (status === 'running' && job.finishedAt !== null)) job.startedAt = null;
      job.finishedAt = null;
    }
    // A job canceled before it ran never started: GitLab keeps started_at (and so duration) null.
    if (status === 'running' || (completedStatuses.includes(status) && status !== 'canceled' && job.queuedAt !== null)) job.startedAt ??= now;
    if (completedStatuses.includes(status)) job.finishedAt = now;
    job.failureReason = status === 'failed' ? failureReason ?? 'unknown_failure' : null;
    if (completedStatuses.includes(status) && status !== 'skipped') this.onJobFinished(job);
  }

  private onJobFinished(job: JobRecord): void {
    const expireIn = job.artifactsSpec?.expireIn;
    if (expireIn && job.artifacts.some((a) => a.fileType !== 'trace')) {
      const ms = parseExpireIn(expireIn);
      job.artifactsExpireAt = ms === null ? null : new Date(this.clock.now() + ms);
    }
  }

  // ---- what the runner does -------------------------------------------------------------------------

  /** The oldest pending build this runner may take (tags must all be on the runner); it starts running. */
  assignJob(runner: RunnerRecord): JobRecord | undefined {
    const job = [...this.jobs.values()].find((j) =>
      j.kind === 'build' && j.status === 'pending' && !j.retried
      && (j.tags.length > 0 ? j.tags.every((t) => runner.tags.includes(t)) : runner.runUntagged));
    if (!job) return undefined;
    job.runnerId = runner.id;
    job.token = newJobToken();
    this.setStatus(job, 'running');
    this.settle(this.requirePipeline(job.pipelineId));
    return job;
  }

  finishJob(job: JobRecord, status: 'success' | 'failed', options: { failureReason?: string; exitCode?: number } = {}): void {
    job.exitCode = options.exitCode ?? job.exitCode;
    this.setStatus(job, status, options.failureReason ?? (status === 'failed' ? 'script_failure' : null));
    this.settle(this.requirePipeline(job.pipelineId));
  }

  /** GitLab's Trace#append: only an append at exactly the current size is taken. */
  appendTrace(job: JobRecord, offset: number, data: Buffer): TraceAppendResult {
    if (offset + data.length > this.maxTraceSize) {
      this.finishJob(job, 'failed', { failureReason: 'trace_size_exceeded' });
      return { status: 403, size: job.trace.size };
    }
    if (offset !== job.trace.size) return { status: 416, size: job.trace.size };
    job.trace.append(data);
    return { status: 202, size: job.trace.size };
  }

  // ---- what users do --------------------------------------------------------------------------------

  /** Cancels when the job can be canceled; otherwise leaves it as it is (the API answers 201 either way). */
  cancelJob(job: JobRecord): void {
    if (!cancelableStatuses.includes(job.status)) return;
    this.setStatus(job, 'canceled');
    if (job.downstreamPipelineId !== null) this.cancelPipeline(this.requirePipeline(job.downstreamPipelineId));
    this.settle(this.requirePipeline(job.pipelineId));
  }

  isRetryable(job: JobRecord): boolean {
    return retryableStatuses.includes(job.status) && !job.retried;
  }

  /** Clones the job with a new id and enqueues it; later-stage jobs that were skipped wait again. */
  retryJob(job: JobRecord, userId: number, playVariables = job.playVariables): JobRecord {
    const pipeline = this.requirePipeline(job.pipelineId);
    job.retried = true;
    const clone = this.addJob(pipeline, {
      name: job.name, stage: job.stage, when: job.when, allowFailure: job.allowFailure, script: job.script,
      tags: job.tags, ...(job.image ? { image: job.image } : {}),
      ...(job.artifactsSpec ? { artifacts: job.artifactsSpec } : {}), ...(job.trigger ? { trigger: job.trigger } : {}),
    });
    clone.userId = userId;
    clone.playVariables = playVariables;
    for (const later of this.pipelineJobs(pipeline.id)) {
      if (later.stageIndex > job.stageIndex && later.status === 'skipped') {
        Object.assign(later, { status: 'created', startedAt: null, finishedAt: null, queuedAt: null });
      }
    }
    this.enqueue(clone);
    this.settle(pipeline);
    return clone;
  }

  isPlayable(job: JobRecord): boolean {
    return job.when === 'manual' && (job.status === 'manual' || job.status === 'scheduled' || this.isRetryable(job));
  }

  /** Starts a manual job (a finished one is retried, as GitLab does), remembering the variables given. */
  playJob(job: JobRecord, userId: number, variables: { key: string; value: string }[]): JobRecord {
    if (job.status !== 'manual' && job.status !== 'scheduled') return this.retryJob(job, userId, variables);
    job.userId = userId;
    job.playVariables = variables;
    this.enqueue(job);
    this.settle(this.requirePipeline(job.pipelineId));
    return job;
  }

  isErasable(job: JobRecord): boolean {
    return job.kind === 'build' && completedStatuses.includes(job.status) && job.status !== 'skipped'
      && (job.trace.size > 0 || job.artifacts.length > 0);
  }

  eraseJob(job: JobRecord): void {
    job.trace.replace(Buffer.alloc(0));
    job.artifacts = [];
    job.artifactsExpireAt = null;
    job.erasedAt = this.now();
  }

  retryPipeline(pipeline: PipelineRecord, userId: number): void {
    for (const job of this.pipelineJobs(pipeline.id)) {
      if ((job.status === 'failed' || job.status === 'canceled') && this.isRetryable(job)) this.retryJob(job, userId);
    }
    this.settle(pipeline);
  }

  cancelPipeline(pipeline: PipelineRecord): void {
    for (const job of this.pipelineJobs(pipeline.id)) {
      if (!cancelableStatuses.includes(job.status)) continue;
      this.setStatus(job, 'canceled');
      if (job.downstreamPipelineId !== null) this.cancelPipeline(this.requirePipeline(job.downstreamPipelineId));
    }
    this.settle(pipeline);
  }

  /** Removes the pipeline with its jobs (logs and artifacts go with them), as Ci::DestroyPipelineService does. */
  deletePipeline(pipeline: PipelineRecord): void {
    for (const job of this.jobsByPipeline.get(pipeline.id) ?? []) this.jobs.delete(job.id);
    this.jobsByPipeline.delete(pipeline.id);
    this.pipelines.delete(pipeline.id);
  }

  // ---- direct set-up for tests, benchmarks and the demo ----------------------------------------------

  /** Sets a job's status as if it got there on its own (timestamps too), then lets the pipeline move on. */
  setJobStatus(jobId: number, status: JobStatus, failureReason?: string): JobRecord {
    const job = this.requireJob(jobId);
    if (activeStatuses.includes(status) || completedStatuses.includes(status)) job.queuedAt ??= this.now();
    if (status === 'running') job.token ??= newJobToken();
    this.setStatus(job, status, failureReason ?? null);
    this.settle(this.requirePipeline(job.pipelineId));
    return job;
  }

  setJobTrace(jobId: number, log: string | Buffer): JobRecord {
    const job = this.requireJob(jobId);
    job.trace.replace(Buffer.isBuffer(log) ? log : Buffer.from(log));
    return job;
  }

  /** Registers a zip on disk as the job's archive. Only its size is read now; downloads stream it. */
  attachArchiveFile(jobId: number, filePath: string, options: { sha256?: string; expireAt?: Date | null } = {}): StoredArtifact {
    const job = this.requireJob(jobId);
    const artifact: StoredArtifact = {
      fileType: 'archive', fileFormat: 'zip', filename: 'artifacts.zip', size: statSync(filePath).size, filePath,
      ...(options.sha256 ? { sha256: options.sha256 } : {}),
    };
    this.attachArtifact(job, artifact);
    if (options.expireAt !== undefined) job.artifactsExpireAt = options.expireAt;
    return artifact;
  }

  attachArtifact(job: JobRecord, artifact: StoredArtifact): void {
    job.artifacts = job.artifacts.filter((a) => a.fileType !== artifact.fileType).concat(artifact);
  }

  archiveOf(job: JobRecord): StoredArtifact | undefined {
    return job.artifacts.find((a) => a.fileType === 'archive');
  }

  /** sha256 of a stored file, hashed by streaming on first use and then kept. */
  async artifactSha256(artifact: StoredArtifact): Promise<string> {
    if (artifact.sha256) return artifact.sha256;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(artifact.filePath) as AsyncIterable<Buffer>) hash.update(chunk);
    artifact.sha256 = hash.digest('hex');
    return artifact.sha256;
  }

  keepArtifacts(job: JobRecord): void {
    job.artifactsExpireAt = null;
  }

  deleteJobArtifacts(job: JobRecord): void {
    job.artifacts = [];
    job.artifactsExpireAt = null;
  }

  /** What DELETE /projects/:id/artifacts does in the background: every job's artifacts expire now. */
  expireProjectArtifacts(projectId: number): void {
    for (const job of this.findJobs({ projectId, includeRetried: true })) {
      if (job.artifacts.length === 0) continue;
      job.artifacts = [];
      job.artifactsExpireAt = this.now();
    }
  }
}
