import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { GitLab, type RequestEvent } from '../../src/gitlab';
import { GitLabError } from '../../src/gitlab/errors';
import { type ScriptedServer, type SeenRequest, sendJson, startScriptedServer } from './scriptedServer';

const JOBS = Array.from({ length: 100 }, (_, index) => ({ id: 9000 - index, name: `job ${index}`, status: 'success', stage: 'test' }));
const LOG = Buffer.from(Array.from({ length: 20_000 }, (_, line) => `\u001b[32mline ${line}\u001b[0m all good\n`).join(''));

/** Answers like Omnibus GitLab's nginx: gzip for text and JSON of 250 bytes or more, when asked; no Content-Length then. */
function gzipWhenAsked(request: SeenRequest, res: ServerResponse, body: Buffer, contentType: string): void {
  const asked = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (!asked || body.length < 250) {
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(body.length), Vary: 'Accept-Encoding' });
    res.end(body);
    return;
  }
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' });
  res.end(gzipSync(body));
}

describe('GitLab client: compressed answers', () => {
  let server: ScriptedServer;
  let answer: (request: SeenRequest, res: ServerResponse) => void;
  const events: RequestEvent[] = [];
  const gitlab = (retry = { maxAttempts: 1 }) => new GitLab({ instanceUrl: server.url, token: 'glpat-compression-test-token', retry, onEvent: (event) => events.push(event) });

  beforeEach(async () => {
    events.length = 0;
    server = await startScriptedServer((request, res) => answer(request, res));
  });
  afterEach(async () => {
    await server.close();
  });

  it('asks for gzip and decodes JSON, counting the compressed bytes on the wire', async () => {
    const json = Buffer.from(JSON.stringify(JOBS));
    answer = (request, res) => gzipWhenAsked(request, res, json, 'application/json');
    const client = gitlab();
    const page = await client.jobs.list('group/project');
    assert.deepEqual(page.items, JOBS);
    assert.equal(server.requests[0].headers['accept-encoding'], 'gzip');
    const wire = gzipSync(json).length;
    assert.equal(client.client.traffic.requests, 1);
    assert.equal(client.client.traffic.wireBytes, wire, 'the compressed size, not the decoded one');
    assert.ok(wire * 4 < json.length, 'several-fold smaller on the wire');
    assert.equal(events[0].wireBytes, wire);
  });

  it('decodes a streamed text body chunk by chunk (a job log), and hides the wire length and encoding', async () => {
    answer = (_request, res) => {
      const compressed = gzipSync(LOG); // some servers send a pre-compressed body with its (compressed) length
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Encoding': 'gzip', 'Content-Length': String(compressed.length) });
      res.end(compressed);
    };
    const client = gitlab();
    const trace = await client.client.stream('GET', '/projects/1/jobs/7/trace');
    assert.equal(trace.header('content-encoding'), undefined);
    assert.equal(trace.header('content-length'), undefined);
    const chunks: Buffer[] = [];
    for await (const chunk of trace.body as AsyncIterable<Buffer>) chunks.push(chunk);
    assert.ok(chunks.length > 1, 'streamed, not handed over whole');
    assert.ok(Buffer.concat(chunks).equals(LOG));
    assert.equal(client.client.traffic.wireBytes, gzipSync(LOG).length);
  });

  it('keeps the helpers callers use: text(), arrayBuffer(), dump()', async () => {
    answer = (request, res) => gzipWhenAsked(request, res, LOG, 'text/plain');
    const client = gitlab();
    assert.equal(await (await client.jobs.trace('p', 1)).body.text(), LOG.toString());
    assert.ok(Buffer.from(await (await client.jobs.trace('p', 1)).body.arrayBuffer()).equals(LOG));
    await (await client.jobs.trace('p', 1)).body.dump();
    assert.equal((await (await client.jobs.trace('p', 1)).body.text()).length, LOG.length, 'the next request goes through');
  });

  it('asks for no compression on ranged reads, artifact downloads, with compress: false, nor from another host', async () => {
    answer = (request, res) => gzipWhenAsked(request, res, LOG, 'application/octet-stream');
    const client = gitlab();
    await (await client.client.stream('GET', '/projects/1/jobs/2/trace', { headers: { range: 'bytes=0-9' } })).body.dump();
    await (await client.artifacts.downloadArchive('p', { jobId: 2 })).body.dump();
    await (await client.artifacts.downloadFile('p', { ref: 'main', job: 'build' }, 'logs/out.txt')).body.dump();
    await (await client.client.stream('GET', '/projects/1/jobs/2/trace', { compress: false })).body.dump();
    assert.deepEqual(server.requests.map((request) => request.headers['accept-encoding']), [undefined, undefined, undefined, undefined]);

    const other = await startScriptedServer((request, res) => gzipWhenAsked(request, res, LOG, 'text/plain'));
    try {
      answer = (_request, res) => {
        res.writeHead(302, { Location: `${other.url}/bucket/log.txt` });
        res.end();
      };
      const moved = await client.client.stream('GET', '/projects/1/jobs/2/trace');
      assert.ok(Buffer.from(await moved.body.arrayBuffer()).equals(LOG));
      assert.equal(server.requests.at(-1)?.headers['accept-encoding'], 'gzip', 'GitLab itself was asked');
      assert.equal(other.requests[0].headers['accept-encoding'], undefined, 'the other host was not');
    } finally {
      await other.close();
    }
  });

  it('turns a corrupt gzip answer into a clear malformed-response error, for JSON and for a stream', async () => {
    answer = (_request, res) => {
      const broken = gzipSync(Buffer.from(JSON.stringify(JOBS)));
      broken.fill(0x41, 20, 60); // a proxy mangled the deflate data
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(broken);
    };
    const jsonError = await gitlab().jobs.list('p').catch((error: unknown) => error);
    assert.ok(jsonError instanceof GitLabError);
    assert.equal(jsonError.reason, 'malformed-response');
    assert.match(jsonError.message, /compressed \(gzip\) answer was corrupt.*proxy/);
    assert.equal(server.requests.length, 1, 'not retried: sending again would not help');

    answer = (_request, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all, whatever the header says'));
    };
    const trace = await gitlab().jobs.trace('p', 1);
    const streamError = await (async () => {
      for await (const _chunk of trace.body as AsyncIterable<Buffer>) assert.fail('no bytes from a corrupt stream');
    })().catch((error: unknown) => error);
    assert.ok(streamError instanceof GitLabError);
    assert.equal(streamError.reason, 'malformed-response');
  });

  it('reports a gzip stream cut short as an error, never as a shorter body', async () => {
    answer = (_request, res) => {
      const whole = gzipSync(LOG);
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
      res.end(whole.subarray(0, whole.length - 100));
    };
    const error = await (await gitlab().jobs.trace('p', 1)).body.text().catch((caught: unknown) => caught);
    assert.ok(error instanceof GitLabError);
    assert.match(error.message, /corrupt or cut short/);
  });

  it('refuses a JSON answer that decodes beyond the cap (a gzip bomb) without holding it', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('["'), Buffer.alloc(80 * 1024 * 1024, 'a'), Buffer.from('"]')]));
    answer = (_request, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(bomb);
    };
    const error = await gitlab().jobs.list('p').catch((caught: unknown) => caught);
    assert.ok(error instanceof GitLabError);
    assert.equal(error.reason, 'malformed-response');
    assert.match(error.message, /larger than 64 MB once decoded/);
  });

  it('refuses an encoding it cannot decode, and gzip on a byte range', async () => {
    answer = (_request, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'br' });
      res.end(Buffer.from('not brotli either'));
    };
    const error = await gitlab().jobs.list('p').catch((caught: unknown) => caught);
    assert.ok(error instanceof GitLabError);
    assert.equal(error.reason, 'malformed-response');
    assert.match(error.message, /encoded as "br".*cannot decode/);

    answer = (_request, res) => {
      res.writeHead(206, { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip', 'Content-Range': 'bytes 0-9/100' });
      res.end(gzipSync(Buffer.alloc(10)));
    };
    const ranged = await gitlab().client.stream('GET', '/projects/1/jobs/2/artifacts', { headers: { range: 'bytes=0-9' } }).catch((caught: unknown) => caught);
    assert.ok(ranged instanceof GitLabError);
    assert.match(ranged.message, /on a byte range/);
  });

  it('reads an empty answer labelled gzip as empty, and still decodes gzip it did not ask for', async () => {
    answer = (_request, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
      res.end();
    };
    assert.equal(await (await gitlab().jobs.trace('p', 1)).body.text(), '');
    answer = (_request, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
      res.end(gzipSync(LOG));
    };
    const unasked = await gitlab().client.stream('GET', '/projects/1/jobs/2/trace', { compress: false });
    assert.ok(Buffer.from(await unasked.body.arrayBuffer()).equals(LOG));
  });

  it('reads a compressed error answer for GitLab\'s message', async () => {
    answer = (_request, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(gzipSync(Buffer.from(JSON.stringify({ message: '404 Project Not Found' }))));
    };
    const error = await gitlab().jobs.list('p').catch((caught: unknown) => caught);
    assert.ok(error instanceof GitLabError);
    assert.equal(error.reason, 'not-found');
    assert.match(error.message, /404 Project Not Found/);
  });

  it('counts every request and the wire bytes of plain answers too', async () => {
    answer = (_request, res) => sendJson(res, { id: 1, username: 'maria' });
    const client = gitlab();
    await client.account.currentUser();
    await client.account.currentUser();
    assert.equal(client.client.traffic.requests, 2);
    assert.equal(client.client.traffic.wireBytes, 2 * Buffer.byteLength(JSON.stringify({ id: 1, username: 'maria' })));
  });
});
