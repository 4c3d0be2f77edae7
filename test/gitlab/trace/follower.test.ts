import assert from 'node:assert/strict';
import { GitLab } from '../../../src/gitlab';
import { GitLabError, GitLabHttpError } from '../../../src/gitlab/errors';
import { TraceCapabilities } from '../../../src/gitlab/trace/capabilities';
import type { FollowOptions } from '../../../src/gitlab/trace/follower';
import { generations, startFakeGitLab, type FakeGitLab, type RecordedRequest } from '../../fake-gitlab';
import { PROJECT, pieces, Recording, ScriptedRunner, until } from './followSupport';
import { readTrace, TRACE_NAMES } from './support';
/** Every real and synthetic runner log, one after another: ANSI, sections, timestamps, multi-byte text. */
const LOG = Buffer.concat(TRACE_NAMES.map(readTrace));

/** The slice probe: `byte_limit=0`, which newest GitLab refuses and older ones ignore. */
const isProbe = (request: RecordedRequest) => request.query.get('byte_limit') === '0';

for (const generation of generations) {
  describe(`trace follower against the fake GitLab ${generation}`, () => {
    let fake: FakeGitLab;
    let gitlab: GitLab;
    /** Quick polls so tests run fast; small slices so one poll takes several requests when ranges are on. */
    const options = (): FollowOptions => ({
      capabilities: new TraceCapabilities(),
      minIntervalMs: 2,
      maxIntervalMs: 25,
      statusIntervalMs: 10,
      sliceBytes: 4096,
    });

    /** Leaves no job pending or running, so the runner takes the next test's job (the seed leaves one waiting too). */
    const cancelUnfinished = () => {
      for (const pipeline of fake.state.pipelines.values()) fake.state.cancelPipeline(pipeline);
    };

    before(async () => {
      fake = await startFakeGitLab({ generation });
      cancelUnfinished();
      // No retries in the client: every injected failure reaches the follower.
      gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer, retry: { maxAttempts: 1 } });
    });
    after(() => fake.close());
    afterEach(() => {
      fake.faults.clear();
      cancelUnfinished();
    });

    /** A new pipeline with one job, pending until a runner takes it. */
    function newPendingJob(): number {
      const pipeline = fake.state.createPipeline(fake.state.requireProject(PROJECT), {
        ref: 'main',
        userId: 1,
        template: { stages: ['test'], jobs: [{ name: 'grow', stage: 'test' }] },
      });
      const [job] = fake.state.pipelineJobs(pipeline.id);
      assert.equal(job?.status, 'pending');
      return job.id;
    }

    const traceRequests = (jobId: number) => fake.requests.filter((request) => request.method === 'GET' && request.path.endsWith(`/jobs/${jobId}/trace`));
    /** The log reads, the probe left out. */
    const logReads = (jobId: number) => traceRequests(jobId).filter((request) => !isProbe(request));
    const finalLog = (jobId: number) => fake.state.requireJob(jobId).trace.toBuffer();

    it('delivers exactly the final log of a job whose log grows in many appends while followed', async () => {
      const jobId = newPendingJob();
      const runner = await ScriptedRunner.take(fake);
      const follow = new Recording(gitlab, jobId, options());
      const chunks = pieces(LOG, 120);
      for (const [index, chunk] of chunks.entries()) {
        await runner.append(chunk);
        // Now and then, let the follower catch up: the log is then surely read in many pieces.
        if (index % 10 === 0) await until(() => follow.deliveredSize === finalLog(jobId).length);
      }
      await runner.finish();
      await follow.done;

      assert.ok(follow.delivered().equals(LOG), 'delivered bytes equal the log');
      assert.ok(follow.ofType('bytes').length >= chunks.length / 10, `${follow.ofType('bytes').length} byte events`);
      assert.equal(follow.ofType('restart').length, 0);
      const end = follow.last;
      assert.equal(end?.type, 'end');
      assert.equal(end.job.status, 'success');
      assert.ok(end.job.finished_at);

      // What this GitLab was asked: one probe, then slices from the last byte shown, or the whole log with its ETag.
      assert.equal(traceRequests(jobId).filter(isProbe).length, 1, 'one probe');
      const reads = logReads(jobId);
      if (fake.features.traceByteRange) {
        const offsets = reads.map((request) => Number(request.query.get('byte_offset')));
        assert.ok(reads.every((request) => request.query.get('byte_limit') === '4096'), 'every read is a slice');
        assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b), 'slices only move forward');
        assert.ok(reads.every((request) => request.headers['if-none-match'] === undefined));
      } else {
        assert.ok(reads.every((request) => !request.query.has('byte_offset') && !request.query.has('byte_limit')), 'no request carries byte_offset after the probe');
        assert.ok(reads.slice(1).every((request) => typeof request.headers['if-none-match'] === 'string'), 'every poll after the first asks with the ETag');
      }
    });

    it('waits for a pending job to start without asking for its log, then follows it to the end', async () => {
      const jobId = newPendingJob();
      const follow = new Recording(gitlab, jobId, options());
      const jobRequests = () => fake.requests.filter((request) => request.method === 'GET' && request.path.endsWith(`/jobs/${jobId}`));
      await until(() => jobRequests().length >= 3);
      assert.equal(traceRequests(jobId).length, 0, 'no trace request while the job is pending');

      const runner = await ScriptedRunner.take(fake);
      await runner.append(Buffer.from('hello\n'));
      await until(() => follow.deliveredSize === 6);
      await runner.append(Buffer.from('world\n'));
      await runner.finish('failed');
      await follow.done;

      assert.equal(follow.delivered().toString(), 'hello\nworld\n');
      assert.deepEqual(follow.ofType('job').map((event) => event.job.status), ['pending', 'running', 'failed']);
      const end = follow.last;
      assert.equal(end?.type, 'end');
      assert.equal(end.job.status, 'failed');
    });

    it('reads a finished job in one go and ends', async () => {
      const finished = fake.state.findJobs({ projectId: 1, status: 'success' }).find((job) => job.trace.size > 0);
      assert.ok(finished);
      const follow = new Recording(gitlab, finished.id, options());
      await follow.done;

      assert.ok(follow.delivered().equals(finished.trace.toBuffer()));
      const types = follow.events.map((event) => event.type);
      assert.deepEqual([types[0], ...new Set(types.slice(1, -1)), types[types.length - 1]], ['job', 'bytes', 'end']);
      // One read (a slice at a time on newest): nothing polls a finished job.
      const reads = logReads(finished.id);
      const slices = Math.ceil((finished.trace.size - 1) / 4095); // each slice after the first repeats one byte
      assert.equal(reads.length, fake.features.traceByteRange ? slices + (finished.trace.size % 4095 === 1 ? 1 : 0) : 1, `${reads.length} reads`);
    });

    it('starts again, saying why, when the log shrinks', async () => {
      const jobId = newPendingJob();
      const runner = await ScriptedRunner.take(fake);
      const follow = new Recording(gitlab, jobId, options());
      await runner.append(Buffer.from('a first attempt that will be thrown away\n'));
      await until(() => follow.deliveredSize > 0);

      // The log is replaced by a shorter one, as when GitLab drops a log and the runner sends it again.
      fake.state.setJobTrace(jobId, 'again\n');
      await until(() => follow.ofType('restart').length > 0);
      await runner.append(Buffer.from('and more\n'));
      await runner.finish();
      await follow.done;

      assert.match(follow.ofType('restart')[0]?.reason ?? '', /shrank|changed|erased/);
      assert.equal(follow.delivered().toString(), 'again\nand more\n');
    });

    it('starts again when a job is erased while followed', async () => {
      const jobId = newPendingJob();
      const runner = await ScriptedRunner.take(fake);
      const follow = new Recording(gitlab, jobId, options());
      await runner.append(Buffer.from('some output\n'));
      await until(() => follow.deliveredSize > 0);
      // Finished and erased before the follower looks again.
      fake.state.finishJob(fake.state.requireJob(jobId), 'success');
      fake.state.eraseJob(fake.state.requireJob(jobId));
      await follow.done;

      assert.equal(follow.ofType('restart').length, 1);
      assert.equal(follow.delivered().length, 0);
      assert.equal(follow.last?.type, 'end');
    });

    /** Ten-minute waits: if an abort did not cut them short, the test would time out. */
    const slow = (): FollowOptions => ({ ...options(), minIntervalMs: 600_000, maxIntervalMs: 600_000, statusIntervalMs: 600_000 });

    it('stops promptly when aborted while waiting for a job to start', async () => {
      const follow = new Recording(gitlab, newPendingJob(), slow());
      await until(() => follow.events.length > 0);
      follow.abort.abort();
      await follow.done;
      assert.deepEqual(follow.events.map((event) => event.type), ['job']);
    });

    it('stops promptly when aborted while waiting between polls', async () => {
      const jobId = newPendingJob();
      const runner = await ScriptedRunner.take(fake);
      await runner.append(Buffer.from('output\n'));
      const follow = new Recording(gitlab, jobId, slow());
      await until(() => follow.deliveredSize > 0);
      follow.abort.abort();
      await follow.done;
      assert.deepEqual(follow.events.map((event) => event.type), ['job', 'bytes'], 'nothing after the abort, no error');
    });

    for (const fault of [
      { kind: 'serverError', status: 500 },
      { kind: 'serverError', status: 502 },
      { kind: 'rateLimit', retryAfter: 0 },
      { kind: 'reset', bytes: 100 },
      { kind: 'truncate', bytes: 100 },
    ] as const) {
      it(`reports ${fault.kind}${'status' in fault ? ` ${fault.status}` : ''} faults as retrying and still delivers exactly the log`, async () => {
        const jobId = newPendingJob();
        const runner = await ScriptedRunner.take(fake);
        const follow = new Recording(gitlab, jobId, options());
        await until(() => follow.events.length > 0); // failures from here on are passing ones, not a failed start
        const chunks = pieces(LOG, 30);
        for (const [index, chunk] of chunks.entries()) {
          // Every few appends, the next two log requests (and one job request) fail.
          if (index % 5 === 0) {
            fake.faults.add({ route: new RegExp(`/jobs/${jobId}/trace$`), method: 'GET', times: 2, ...fault });
            fake.faults.add({ route: new RegExp(`/jobs/${jobId}$`), method: 'GET', times: 1, ...fault });
          }
          await runner.append(chunk);
          if (index % 5 === 4) await until(() => follow.deliveredSize === finalLog(jobId).length);
        }
        await runner.finish();
        await follow.done;

        assert.ok(follow.delivered().equals(LOG), 'delivered bytes equal the log');
        const retrying = follow.ofType('retrying');
        assert.ok(retrying.length > 0, 'failures were reported');
        for (const event of retrying) {
          assert.ok(event.error instanceof GitLabError);
          assert.ok(['server-error', 'rate-limited', 'network'].includes(event.error.reason), event.error.message);
        }
        assert.equal(follow.last?.type, 'end');
      });
    }

    it('ends with a typed error when the token stops working', async () => {
      const token = 'glpat-follower-test-token-01';
      fake.state.tokens.push({ id: 9001, token, name: 'follower test', userId: 1, scopes: ['api'], createdAt: new Date(), expiresAt: null, revoked: false });
      const jobId = newPendingJob();
      const runner = await ScriptedRunner.take(fake);
      const follow = new Recording(new GitLab({ instanceUrl: fake.url, token, retry: { maxAttempts: 1 } }), jobId, options());
      await runner.append(Buffer.from('output\n'));
      await until(() => follow.deliveredSize > 0);

      const record = fake.state.tokens.find((candidate) => candidate.token === token);
      assert.ok(record);
      record.revoked = true;
      const error: unknown = await follow.done.then(
        () => assert.fail('the follow ended without an error'),
        (failure: unknown) => failure,
      );
      assert.ok(error instanceof GitLabHttpError, String(error));
      assert.equal(error.status, 401);
      assert.equal(error.reason, 'token-expired');
      assert.equal(follow.ofType('retrying').length, 0, 'a 401 is not retried');
    });
  });
}
