import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitLab, findBranchPipeline } from '../../src/gitlab';

type Answer = { status: number; body: unknown };

/** A GitLab look-alike that answers each path as the test says (and 404 otherwise), recording what was asked. */
async function lookAlike(answers: Record<string, Answer>): Promise<{ gitlab: GitLab; asked: string[]; close: () => Promise<void> }> {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    asked.push(path);
    const answer = answers[path] ?? { status: 404, body: { message: '404 Not found' } };
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const gitlab = new GitLab({ instanceUrl: `http://127.0.0.1:${port}`, token: 'glpat-odd-server-test', retry: { baseDelayMs: 1 } });
  return { gitlab, asked, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const base = '/api/v4/projects/7';
const pipeline = (id: number, ref: string) => ({ id, project_id: 7, status: 'success', ref, sha: 'abc', web_url: `http://x/-/pipelines/${id}`, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' });
const mergeRequest = (iid: number, sourceBranch: string, extra: Record<string, unknown> = {}) => ({
  id: 300 + iid, iid, project_id: 7, title: `MR ${iid}`, state: 'opened', source_branch: sourceBranch, target_branch: 'main', sha: 'abc',
  web_url: `http://x/-/merge_requests/${iid}`, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', ...extra,
});

describe('finding a branch\'s pipeline on servers that do not answer as asked', () => {
  it('uses the branch when merge requests are switched off (403 on the list)', async () => {
    const server = await lookAlike({
      [`${base}/merge_requests`]: { status: 403, body: { message: '403 Forbidden' } },
      [`${base}/pipelines/latest`]: { status: 200, body: pipeline(11, 'topic') },
    });
    try {
      const found = await findBranchPipeline(server.gitlab, 7, 'topic');
      assert.deepEqual([found.source, found.pipeline?.id, found.mergeRequest], ['branch', 11, undefined]);
    } finally {
      await server.close();
    }
  });

  it('ignores merge requests of other branches and of forks when the server ignores source_branch', async () => {
    const server = await lookAlike({
      [`${base}/merge_requests`]: { status: 200, body: [mergeRequest(1, 'other'), mergeRequest(2, 'topic', { source_project_id: 99 }), mergeRequest(3, 'topic', { state: 'merged' })] },
      [`${base}/pipelines/latest`]: { status: 200, body: pipeline(12, 'topic') },
    });
    try {
      const found = await findBranchPipeline(server.gitlab, 7, 'topic');
      assert.deepEqual([found.source, found.pipeline?.id, found.mergeRequest], ['branch', 12, undefined]);
      assert.ok(!server.asked.some((path) => path.includes('/merge_requests/')), 'no other MR was read');
    } finally {
      await server.close();
    }
  });

  it('falls back to the branch, naming the MR, when neither its head pipeline nor its pipelines may be read', async () => {
    const server = await lookAlike({
      [`${base}/merge_requests`]: { status: 200, body: [mergeRequest(4, 'topic')] },
      [`${base}/merge_requests/4`]: { status: 403, body: { message: '403 Forbidden' } },
      [`${base}/merge_requests/4/pipelines`]: { status: 403, body: { message: '403 Forbidden' } },
      [`${base}/pipelines/latest`]: { status: 403, body: { message: '403 Forbidden' } },
    });
    try {
      const found = await findBranchPipeline(server.gitlab, 7, 'topic');
      assert.deepEqual(found, { pipeline: undefined, mergeRequest: { iid: 4, title: 'MR 4', web_url: 'http://x/-/merge_requests/4' }, source: 'none' });
    } finally {
      await server.close();
    }
  });

  it('reports a server error as an error, never as "no pipeline"', async () => {
    const server = await lookAlike({
      [`${base}/merge_requests`]: { status: 200, body: [mergeRequest(5, 'topic')] },
      [`${base}/merge_requests/5`]: { status: 500, body: { message: '500 Internal Server Error' } },
    });
    try {
      await assert.rejects(findBranchPipeline(server.gitlab, 7, 'topic'), (error: Error) => /500/.test(error.message) && !error.message.includes('glpat-odd'));
    } finally {
      await server.close();
    }
  });
});
