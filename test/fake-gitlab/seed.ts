import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Fixture, FixtureOutcome, FixturePipeline, FixtureRunner } from './fixture';
import { seedMergeRequests } from './merge-requests';
import type { JobRecord, PipelineRecord, ProjectRecord, RunnerRecord, StoredArtifact } from './model';
import { sharedGitLabApiDir } from './paths';
import { ManualClock, type FakeState } from './state';
import { gzip, writeZip } from './zips';

const hour = 3600 * 1000;

/** Fills an empty state from a fixture: people, tokens, runners, projects, then pipelines run to their end. */
export async function seedState(state: FakeState, fixture: Fixture, storageDir: string): Promise<void> {
  const realClock = state.clock;
  const now = realClock.now();
  const userIdByName = new Map(fixture.users.map((u) => [u.username, u.id]));
  const userId = (username: string): number => {
    const id = userIdByName.get(username);
    if (id === undefined) throw new Error(`fixture: unknown user ${username}`);
    return id;
  };
  for (const user of fixture.users) state.users.set(user.id, { ...user, createdAt: new Date(now - 365 * 24 * hour) });
  Object.values(fixture.tokens).forEach((t, index) => {
    state.tokens.push({
      id: index + 1, token: t.token, name: t.name, userId: userId(t.username), scopes: t.scopes,
      createdAt: new Date(now - 30 * 24 * hour), expiresAt: t.expiresAt, revoked: t.revoked ?? false,
    });
  });
  for (const p of fixture.projects) {
    const project: ProjectRecord = {
      id: p.id, name: p.name, path: p.path, fullPath: `${p.namespace.fullPath}/${p.path}`, description: p.description,
      namespace: p.namespace, defaultBranch: p.defaultBranch, createdAt: new Date(now - 200 * 24 * hour),
      members: new Map(Object.entries(p.members).map(([name, role]) => [userId(name), role])),
      refs: p.refs.map((ref) => ({
        name: ref.name, kind: ref.kind, protected: ref.protected,
        commits: ref.commits.map((c) => {
          const author = fixture.users.find((u) => u.username === c.author);
          return {
            sha: c.sha, parentSha: c.parentSha, title: c.title, message: `${c.title}\n`,
            authorName: author?.name ?? c.author, authorEmail: author?.email ?? `${c.author}@example.com`,
            createdAt: new Date(now - c.hoursAgo * hour),
          };
        }),
      })),
      ciTemplate: p.ci,
    };
    state.projects.set(project.id, project);
  }
  for (const runner of fixture.runners) state.runners.set(runner.id, runnerRecord(state, runner, now));
  seedMergeRequests(state, fixture, userId);
  state.nextPipelineId = fixture.firstIds.pipeline;
  state.nextJobId = fixture.firstIds.job;

  const archives = await buildArchives(fixture, storageDir);
  const runner = [...state.runners.values()][0];
  try {
    for (const seeded of fixture.pipelines) {
      const clock = new ManualClock(now - seeded.hoursAgo * hour);
      state.clock = seeded.run ? clock : realClock;
      const project = state.findProject(seeded.project);
      if (!project) throw new Error(`fixture: unknown project ${seeded.project}`);
      const pipeline = state.createPipeline(project, {
        ref: seeded.ref, userId: userId(seeded.user), source: seeded.source, name: seeded.name ?? null,
      });
      if (seeded.run) {
        if (!runner) throw new Error('fixture: a pipeline to run needs a runner');
        runToTheEnd(state, pipeline, seeded, runner, clock, archives);
      }
    }
  } finally {
    state.clock = realClock;
  }
}

async function buildArchives(fixture: Fixture, storageDir: string): Promise<Map<string, StoredArtifact[]>> {
  const built = new Map<string, StoredArtifact[]>();
  for (const [name, archive] of Object.entries(fixture.archives)) {
    const zipPath = path.join(storageDir, `fixture-${name}.zip`);
    await writeZip(zipPath, archive.files);
    const stored: StoredArtifact[] = [{
      fileType: 'archive', fileFormat: 'zip', filename: 'artifacts.zip', size: readFileSync(zipPath).length, filePath: zipPath,
    }];
    if (archive.junitReport !== undefined) {
      const junitPath = path.join(storageDir, `fixture-${name}-junit.xml.gz`);
      const compressed = gzip(archive.junitReport);
      writeFileSync(junitPath, compressed);
      stored.push({ fileType: 'junit', fileFormat: 'gzip', filename: 'junit.xml.gz', size: compressed.length, filePath: junitPath });
    }
    built.set(name, stored);
  }
  return built;
}

/** Plays the runner for a seeded pipeline and everything it triggers, with outcomes from the fixture. */
function runToTheEnd(
  state: FakeState, root: PipelineRecord, seeded: FixturePipeline, runner: RunnerRecord, clock: ManualClock,
  archives: Map<string, StoredArtifact[]>,
): void {
  const toPlay = new Set(seeded.play ?? []);
  for (;;) {
    const tree = [root, ...downstreamOf(state, root)];
    const jobs = tree.flatMap((p) => state.pipelineJobs(p.id));
    const pending = jobs.filter((j) => j.kind === 'build' && j.status === 'pending');
    const manual = jobs.find((j) => j.status === 'manual' && toPlay.delete(j.name));
    if (pending.length === 0 && !manual) return;
    if (manual) state.playJob(manual, manual.userId, []);
    for (const job of pending) {
      clock.advance(4000);
      const outcome: FixtureOutcome = seeded.outcomes?.[job.name] ?? { status: 'success' };
      if (outcome.status === 'canceled') {
        state.cancelJob(job);
        continue;
      }
      job.runnerId = runner.id;
      state.setJobStatus(job.id, 'running');
      clock.advance((outcome.seconds ?? 20) * 1000);
      state.setJobTrace(job.id, traceFor(job, outcome));
      for (const artifact of archives.get(outcome.archive ?? '') ?? []) state.attachArtifact(job, { ...artifact });
      state.finishJob(job, outcome.status, {
        exitCode: outcome.status === 'success' ? 0 : 1,
        ...(outcome.failureReason ? { failureReason: outcome.failureReason } : {}),
      });
    }
  }
}

function downstreamOf(state: FakeState, pipeline: PipelineRecord): PipelineRecord[] {
  return state.pipelineJobs(pipeline.id).flatMap((j) => {
    if (j.downstreamPipelineId === null) return [];
    const child = state.requirePipeline(j.downstreamPipelineId);
    return [child, ...downstreamOf(state, child)];
  });
}

function traceFor(job: JobRecord, outcome: FixtureOutcome): Buffer {
  if (outcome.trace) {
    const file = path.join(sharedGitLabApiDir(), 'traces', outcome.trace);
    if (existsSync(file)) return readFileSync(file);
  }
  return Buffer.from(syntheticTrace(job, outcome.status));
}

/** A short log in the runner's format (sections, ANSI colours) for jobs the fixture has no real log for. */
export function syntheticTrace(job: JobRecord, status: FixtureOutcome['status']): string {
  const at = Math.floor((job.startedAt?.getTime() ?? 0) / 1000);
  const section = (name: string, title: string, body: string[]): string =>
    `section_start:${at}:${name}\r\u001b[0K\u001b[0K\u001b[36;1m${title}\u001b[0;m\u001b[0;m\n${body.join('\n')}\n`
    + `section_end:${at + 1}:${name}\r\u001b[0K\n`;
  const script = job.script.flatMap((line) => [`\u001b[32;1m$ ${line}\u001b[0;m`, `output of ${line}`]);
  const ending = status === 'success'
    ? '\u001b[32;1mJob succeeded\u001b[0;m\n'
    : `\u001b[31;1mERROR: Job failed: exit code 1\n\u001b[0;m\n`;
  return '\u001b[0KRunning with gitlab-runner 17.5.0 (abcdef12)\u001b[0;m\n'
    + '\u001b[0K  on fake-runner-1 xyz123, system ID: s_0123456789ab\u001b[0;m\n'
    + section('prepare_executor', 'Preparing the "docker" executor', [`Using Docker executor with image ${job.image ?? 'alpine:3.20'} ...`])
    + section('get_sources', 'Getting source from Git repository', ['Fetching changes with git depth set to 20...'])
    + section('step_script', 'Executing "step_script" stage of the job script', script)
    + ending;
}

/** Runners come after projects: a project or group runner names its owners by path. */
function runnerRecord(state: FakeState, runner: FixtureRunner, now: number): RunnerRecord {
  const { type = 'instance_type', projects = [], group, paused = false, contactedHoursAgo = null, createdHoursAgo = 30 * 24, ...rest } = runner;
  const projectIds = projects.map((fullPath) => {
    const project = state.findProject(fullPath);
    if (!project) throw new Error(`fixture: runner ${runner.id} names unknown project ${fullPath}`);
    return project.id;
  });
  const namespace = group === undefined ? undefined : [...state.projects.values()].map((p) => p.namespace).find((n) => n.fullPath === group);
  if (group !== undefined && !namespace) throw new Error(`fixture: runner ${runner.id} names unknown group ${group}`);
  return {
    ...rest, ipAddress: '127.0.0.1', paused, type, projectIds, groupId: namespace?.id ?? null,
    contactedAt: contactedHoursAgo === null ? null : new Date(now - contactedHoursAgo * hour),
    createdAt: new Date(now - createdHoursAgo * hour),
  };
}
