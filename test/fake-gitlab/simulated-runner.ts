import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GitLab } from '../../src/gitlab';
import { GitLabHttpError } from '../../src/gitlab/errors';
import { RunnerApi, type RunnerJobPayload } from '../../src/gitlab/runner';
import { sleep } from '../../src/gitlab/retry';
import { sharedGitLabApiDir } from './paths';
import { gzip, writeZip } from './zips';

export interface SimulatedRunnerOptions {
  instanceUrl: string;
  runnerToken: string;
  /** Logs replayed as the jobs' output, one after another. Default: the real runner logs in shared/. */
  logs?: Buffer[];
  /** Bytes sent per trace update and the pause between updates: how fast a log grows. */
  chunkBytes?: number;
  chunkIntervalMs?: number;
  /** Pause between job requests while none is pending. */
  pollIntervalMs?: number;
  /** Jobs run at once. */
  concurrency?: number;
  /** How a job ends. Default: success. */
  outcome?: (job: RunnerJobPayload) => { status: 'success' | 'failed'; failureReason?: string };
  /** A job's own log, in place of the next of `logs` (the demo's failing jobs print real tool output). */
  logFor?: (job: RunnerJobPayload, status: 'success' | 'failed') => Buffer | undefined;
  /** The JUnit XML a job that declares a junit report uploads (gzipped). Default: one passing case. */
  junitReport?: (job: RunnerJobPayload, status: 'success' | 'failed') => string;
  onEvent?: (event: RunnerEvent) => void;
}

export type RunnerEvent =
  | { type: 'picked'; jobId: number; name: string }
  | { type: 'finished'; jobId: number; status: 'success' | 'failed' | 'canceled' }
  | { type: 'error'; error: unknown };

/**
 * A runner that makes the fake GitLab's pipelines really run, speaking only the runner protocol through the
 * client's own runner operations: it asks for pending jobs, appends their logs in chunks over time (real
 * runner logs), uploads zip artifacts, and reports success or failure — so statuses advance and traces grow
 * the way they do on GitLab.
 */
export class SimulatedRunner {
  private readonly gitlab: GitLab;
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly logs: Buffer[];
  private nextLog = 0;

  constructor(private readonly options: SimulatedRunnerOptions) {
    this.gitlab = new GitLab({ instanceUrl: options.instanceUrl, retry: { maxAttempts: 2, baseDelayMs: 50 } });
    this.logs = options.logs ?? defaultLogs();
  }

  /** Starts polling for jobs in the background, `concurrency` at a time. */
  start(): void {
    for (let slot = 0; slot < (this.options.concurrency ?? 2); slot++) this.loops.push(this.loop());
  }

  /** Stops taking jobs and abandons the ones running (GitLab would time them out). */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  /** Takes one pending job and runs it to the end; `undefined` when none is pending. For step-by-step tests. */
  async runNextJob(): Promise<{ job: RunnerJobPayload; status: 'success' | 'failed' | 'canceled' } | undefined> {
    const job = await new RunnerApi(this.gitlab.client).requestJob(this.options.runnerToken, { name: 'simulated-runner', version: '17.0.0' }, this.abort.signal);
    if (!job) return undefined;
    this.options.onEvent?.({ type: 'picked', jobId: job.id, name: job.job_info.name });
    const status = await this.run(job);
    this.options.onEvent?.({ type: 'finished', jobId: job.id, status });
    return { job, status };
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const ran = await this.runNextJob();
        if (!ran) await sleep(this.options.pollIntervalMs ?? 300, this.abort.signal);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.options.onEvent?.({ type: 'error', error });
        await sleep(this.options.pollIntervalMs ?? 300, this.abort.signal).catch(() => undefined);
      }
    }
  }

  private async run(job: RunnerJobPayload): Promise<'success' | 'failed' | 'canceled'> {
    const outcome = this.options.outcome?.(job) ?? { status: 'success' as const };
    const log = this.logFor(job, outcome.status);
    const appended = await this.appendLog(job, log);
    if (appended === 'canceled') return 'canceled';
    if (outcome.status === 'success' || job.artifacts?.some((artifact) => artifact.when === 'always')) await this.uploadArtifacts(job, outcome.status);
    await new RunnerApi(this.gitlab.client).updateJob(job.id, job.token, { state: outcome.status, failureReason: outcome.failureReason, exitCode: outcome.status === 'success' ? 0 : 1 }, this.abort.signal);
    return outcome.status;
  }

  /** Sends the log in chunks; resends from where GitLab says on 416; stops when GitLab says the job was canceled. */
  private async appendLog(job: RunnerJobPayload, log: Buffer): Promise<'done' | 'canceled'> {
    const chunkBytes = this.options.chunkBytes ?? 512;
    let offset = 0;
    while (offset < log.length) {
      const chunk = log.subarray(offset, offset + chunkBytes);
      let result;
      try {
        result = await new RunnerApi(this.gitlab.client).appendTrace(job.id, job.token, chunk, offset, this.abort.signal);
      } catch (error) {
        if (error instanceof GitLabHttpError && error.status === 403) return 'canceled'; // the job is no longer running
        throw error;
      }
      if (result.jobStatus === 'canceled' || result.jobStatus === 'canceling' || result.jobStatus === 'failed') return 'canceled';
      offset = result.accepted ? offset + chunk.length : result.serverSize;
      await sleep(this.options.chunkIntervalMs ?? 200, this.abort.signal);
    }
    return 'done';
  }

  private logFor(job: RunnerJobPayload, status: 'success' | 'failed'): Buffer {
    const own = this.options.logFor?.(job, status);
    if (own) return own;
    const body = this.logs[this.nextLog++ % this.logs.length];
    const header = `Running with gitlab-runner 17.0.0 (simulated)\n  on simulated-runner for job ${job.job_info.name} (#${job.id})\n`;
    const footer = status === 'success' ? '' : '\u001b[31;1mERROR: Job failed: exit code 1\n\u001b[0;m';
    // A runner with timestamps on stamps every line it writes, its own lines too.
    const stamp = TIMESTAMP_PREFIX.exec(body.toString('latin1', 0, 32))?.[1];
    const stamped = (text: string) => (stamp === undefined ? text : text.replace(/^(?=.)/gm, `${stamp} 00O `));
    return Buffer.concat([Buffer.from(stamped(header)), body, Buffer.from(stamped(footer))]);
  }

  /** A zip with a file per declared path (and a gzipped junit report when declared), as a runner uploads them. */
  private async uploadArtifacts(job: RunnerJobPayload, status: 'success' | 'failed'): Promise<void> {
    const declared = job.artifacts ?? [];
    if (declared.length === 0) return;
    const dir = await mkdtemp(path.join(tmpdir(), 'simulated-runner-'));
    try {
      for (const artifact of declared) {
        const type = artifact.artifact_type ?? 'archive';
        const file = path.join(dir, `${type}.${type === 'archive' ? 'zip' : 'gz'}`);
        if (type === 'archive') {
          await writeZip(file, archiveContent(job, artifact.paths ?? []));
        } else {
          await writeFile(file, gzip((this.options.junitReport ?? junitReport)(job, status)));
        }
        await new RunnerApi(this.gitlab.client).authorizeArtifact(job.id, job.token, { artifactType: type, artifactFormat: artifact.artifact_format ?? 'zip' }, this.abort.signal);
        await new RunnerApi(this.gitlab.client).uploadArtifact(job.id, job.token, {
          filePath: file,
          artifactType: type,
          artifactFormat: artifact.artifact_format ?? (type === 'archive' ? 'zip' : 'gzip'),
          expireIn: artifact.expire_in ?? undefined,
        }, this.abort.signal);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** gitlab-runner's per-line timestamp: `2025-04-22T20:52:52.434040Z 01O `. */
const TIMESTAMP_PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) [0-9a-f]{2}[OE][ +]/;

function defaultLogs(): Buffer[] {
  const traces = path.join(sharedGitLabApiDir(), 'traces');
  return ['recorded_raw_trace.log', 'SYNTH_plain_trace.log', 'recorded_raw_timestamped_trace.log'].map((name) => readFileSync(path.join(traces, name)));
}

function archiveContent(job: RunnerJobPayload, paths: string[]): Record<string, string> {
  const content: Record<string, string> = {};
  for (const declared of paths.length ? paths : ['output/']) {
    const folder = declared.replace(/\/$/, '');
    content[`${folder}/summary.txt`] = `Artifacts of ${job.job_info.name} (#${job.id}) on ${job.git_info.ref}@${job.git_info.sha.slice(0, 8)}\n`;
    content[`${folder}/nested/data.json`] = JSON.stringify({ job: job.id, name: job.job_info.name, ok: true }, null, 2) + '\n';
  }
  return content;
}

function junitReport(job: RunnerJobPayload): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="1" failures="0"><testsuite name="${job.job_info.name}" tests="1"><testcase name="works"/></testsuite></testsuites>\n`;
}
