import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { GitLab } from '../../../src/gitlab';
import { type CiLintResult, LintScheduler } from '../../../src/gitlab/ciConfig';
import { waitFor } from '../../vscode/waitFor';

/** A lint endpoint that answers after `latencyMs` and counts what it receives, requests in flight included. */
async function lintServer(latencyMs: number, status = 200): Promise<{ server: Server; url: string; received: string[]; maxConcurrent: () => number }> {
  const received: string[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const server = createServer((req, res) => {
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { content: string }).content);
      setTimeout(() => {
        concurrent--;
        if (status === 429) {
          res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '30' }).end('Retry later\n');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ valid: true, errors: [], warnings: [], merged_yaml: '', includes: [] }));
      }, latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, maxConcurrent: () => maxConcurrent };
}

function schedulerFor(url: string, debounceMs: number, shown: string[], errors: unknown[] = []): LintScheduler {
  const gitlab = new GitLab({ instanceUrl: url, token: 'glpat-test-token', retry: { baseDelayMs: 10 } });
  return new LintScheduler({
    debounceMs,
    check: (text) => !text.includes('\t'),
    lint: (text, signal): Promise<CiLintResult> => gitlab.ciLint.lintContent(7, text, { signal }),
    onResult: (text) => shown.push(text),
    onError: (_text, error) => errors.push(error),
  });
}

describe('lint scheduling while typing', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  it('sends one lint after typing stops, none for unchanged text, and shows only the newest answer', async () => {
    const fake = await lintServer(5);
    server = fake.server;
    const shown: string[] = [];
    const scheduler = schedulerFor(fake.url, 60, shown);
    let text = 'build:\n  script: ';
    for (const char of 'echo hello') {
      text += char;
      scheduler.schedule(text);
      await delay(5);
    }
    await waitFor(() => scheduler.idle && shown.length === 1, 'one answer shown');
    assert.deepEqual(fake.received, [text]);
    scheduler.schedule(text);
    scheduler.schedule(text, true);
    await delay(100);
    assert.equal(fake.received.length, 1, 'unchanged text is not sent again');
    assert.equal(scheduler.stats.skippedUnchanged, 2);
    scheduler.dispose();
  });

  it('never has two lints in flight: a text typed meanwhile goes once the answer is in', async () => {
    const fake = await lintServer(150);
    server = fake.server;
    const shown: string[] = [];
    const scheduler = schedulerFor(fake.url, 0, shown);
    scheduler.schedule('a: 1', true);
    await delay(20);
    scheduler.schedule('a: 2', true);
    await delay(20);
    scheduler.schedule('a: 3', true);
    await waitFor(() => scheduler.idle && fake.received.length === 2, 'two lints answered');
    assert.deepEqual(fake.received, ['a: 1', 'a: 3']);
    assert.equal(fake.maxConcurrent(), 1);
    assert.equal(scheduler.stats.maxInFlight, 1);
    assert.deepEqual(shown, ['a: 3'], 'the answer for an outdated text is dropped');
    scheduler.dispose();
  });

  it('keeps a text with a local syntax problem to itself', async () => {
    const fake = await lintServer(5);
    server = fake.server;
    const scheduler = schedulerFor(fake.url, 0, []);
    scheduler.schedule('build:\n\tscript: x', true);
    await delay(50);
    assert.equal(fake.received.length, 0);
    assert.equal(scheduler.stats.skippedLocal, 1);
    scheduler.dispose();
  });

  it('waits out a 429 instead of storming', async () => {
    const fake = await lintServer(0, 429);
    server = fake.server;
    const errors: unknown[] = [];
    const scheduler = schedulerFor(fake.url, 0, [], errors);
    for (let i = 0; i < 20; i++) {
      scheduler.schedule(`a: ${i}`, true);
      await delay(10);
    }
    assert.equal(fake.received.length, 1, 'one request, then quiet until Retry-After');
    assert.equal(errors.length, 1);
    scheduler.dispose();
  });
});
