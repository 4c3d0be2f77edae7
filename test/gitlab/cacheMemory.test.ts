import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { queryObjects } from 'node:v8';
import { GitLab } from '../../src/gitlab';
import { type FakeGitLab, startFakeGitLab } from '../fake-gitlab';

/** undici's response body stream, the class the client's requests create (src/gitlab/http.ts loads the same module). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- queryObjects takes any constructor
const BodyReadable = (createRequire(__filename)('undici/lib/api/readable.js') as { Readable: Function }).Readable;

const PROJECT = 'demo-group/demo-app';
const JOB_COUNT = 60;

describe('GitLab client: what the ETag cache holds', () => {
  let fake: FakeGitLab;

  beforeEach(async () => {
    fake = await startFakeGitLab();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('keeps each answer and its headers, not the HTTP exchange that carried it', async () => {
    const gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer });
    const pipeline = fake.state.seedBigPipeline({ projectId: 1, jobCount: JOB_COUNT });
    const jobs = fake.state.findJobs({ pipelineId: pipeline.id });
    for (const job of jobs) await gitlab.jobs.get(PROJECT, job.id);
    assert.ok(gitlab.client.etagCache.size >= JOB_COUNT, 'every answer is cached');

    // Counted after a full garbage collection: what is still reachable. One per cached answer was the leak.
    const held = queryObjects(BodyReadable, { format: 'count' });
    assert.ok(held <= 2, `response bodies held: ${held}`);

    // A 304 still answers with the cached object, its headers filled in from the cache.
    const again = await gitlab.jobs.get(PROJECT, jobs[0].id);
    assert.equal(again.id, jobs[0].id);
    assert.ok(fake.requests.at(-1)?.headers['if-none-match'], 'asked conditionally');
  });
});
