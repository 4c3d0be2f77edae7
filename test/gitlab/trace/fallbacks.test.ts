// What a trace reader does on GitLabs without slices, and behind servers that drop what it relies on.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitLab, GitLabHttpError } from '../../../src/gitlab';
import { TraceCapabilities } from '../../../src/gitlab/trace/capabilities';
import { followTrace } from '../../../src/gitlab/trace/follower';
import { featuresOf, generations, startFakeGitLab, type FakeGitLab } from '../../fake-gitlab';
import { startRewritingProxy } from '../rewritingProxy';

const PROJECT = 'demo-group/demo-app';

for (const generation of generations) {
  describe(`trace slice probe on the fake GitLab ${generation}`, () => {
    let fake: FakeGitLab;
    let gitlab: GitLab;
    let jobId: number;

    before(async () => {
      fake = await startFakeGitLab({ generation });
      gitlab = new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer, retry: { maxAttempts: 1 } });
      const job = fake.state.findJobs({ projectId: 1, status: 'success', kind: 'build' }).find((candidate) => candidate.trace.size > 0);
      assert.ok(job);
      jobId = job.id;
    });
    after(() => fake.close());
    afterEach(() => fake.faults.clear());

    const probes = () => fake.requests.filter((request) => request.path.endsWith('/trace') && request.query.get('byte_limit') === '0').length;

    it(`says ${featuresOf(generation).traceByteRange ? 'yes' : 'no'}, asking once per instance until told to forget`, async () => {
      const capabilities = new TraceCapabilities();
      const before = probes();
      assert.equal(await capabilities.servesSlices(gitlab, PROJECT, jobId), featuresOf(generation).traceByteRange);
      assert.equal(await capabilities.servesSlices(gitlab, PROJECT, jobId), featuresOf(generation).traceByteRange);
      assert.equal(probes() - before, 1);
      capabilities.forget(gitlab);
      assert.equal(await capabilities.servesSlices(gitlab, PROJECT, jobId), featuresOf(generation).traceByteRange);
      assert.equal(probes() - before, 2);
    });

    it('does not remember a failed probe', async () => {
      const capabilities = new TraceCapabilities();
      fake.faults.add({ route: new RegExp(`/jobs/${jobId}/trace$`), method: 'GET', kind: 'serverError', status: 500, times: 1 });
      await assert.rejects(capabilities.servesSlices(gitlab, PROJECT, jobId), (error: unknown) => error instanceof GitLabHttpError && error.status === 500);
      assert.equal(await capabilities.servesSlices(gitlab, PROJECT, jobId), featuresOf(generation).traceByteRange);
    });
  });
}

describe('trace slice probe on a GitLab that ignores byte_limit', () => {
  it('answers at once, never reading the log it did not ask for (here an endless one)', async () => {
    let closed = false;
    // A log that never ends: a probe that read the body would never return.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const write = () => {
        while (!closed && response.write(chunk));
      };
      response.on('drain', write);
      response.on('close', () => (closed = true));
      write();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const gitlab = new GitLab({ instanceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'glpat-probe-test' });
      assert.equal(await new TraceCapabilities().servesSlices(gitlab, PROJECT, 1), false);
      while (!closed) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('following through a proxy that strips ETags, GitLab 18.2', () => {
  it('still delivers exactly the log, asking no If-None-Match', async () => {
    const fake = await startFakeGitLab({ generation: '18.2' });
    const proxy = await startRewritingProxy(fake.url, {
      response: (_url, { status, headers: { etag: _etag, ...headers } }) => ({ status, headers }),
    });
    try {
      const job = fake.state.findJobs({ projectId: 1, status: 'success', kind: 'build' }).find((candidate) => candidate.trace.size > 0);
      assert.ok(job);
      const gitlab = new GitLab({ instanceUrl: proxy.url, token: fake.tokens.maintainer });
      const chunks: Uint8Array[] = [];
      for await (const event of followTrace(gitlab, PROJECT, job.id, { capabilities: new TraceCapabilities() })) {
        if (event.type === 'bytes') chunks.push(event.bytes);
      }
      assert.ok(Buffer.concat(chunks).equals(job.trace.toBuffer()));
      assert.ok(fake.requests.every((request) => request.headers['if-none-match'] === undefined));
    } finally {
      await proxy.close();
      await fake.close();
    }
  });
});
