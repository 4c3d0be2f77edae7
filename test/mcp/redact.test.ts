// No token, not even a piece of one, in a job log answer: the token at every offset of a read window, across
// the cut of a long line (the answer's and the renderer's 64 KiB one), and cut off by the end of a log still
// being written, over real HTTP on every fake GitLab generation; and the masker alone, at every chunk cut.
import * as assert from 'node:assert/strict';
import { MAX_LINE_LENGTH } from '../../src/gitlab/trace/renderer';
import { MIN_FRAGMENT, SecretMasker } from '../../src/mcp/redact';
import { type FakeGitLab, type JobRecord, generations } from '../fake-gitlab';
import { DEMO_PROJECT, type McpSession, closeDemoGitLab, ok, startDemoGitLab } from './harness';

/** glpat- is public; no MIN_FRAGMENT characters in a row of the rest may show. */
function assertNoFragment(text: string, token: string, where: string): void {
  const secret = token.slice('glpat-'.length);
  for (let start = 0; start + MIN_FRAGMENT <= secret.length; start++) {
    const piece = secret.slice(start, start + MIN_FRAGMENT);
    assert.ok(!text.includes(piece), `${where}: "${piece}" of the token shows in ${JSON.stringify(text.slice(Math.max(0, text.indexOf(piece) - 40), text.indexOf(piece) + 40))}`);
  }
}

const FILLER_LINE = 'step done\n';
const filler = (bytes: number): string => FILLER_LINE.repeat(Math.ceil(bytes / FILLER_LINE.length)).slice(0, bytes);

describe('MCP job logs: the masker alone', () => {
  const token = 'glpat-maintainer-token-0001';

  it('masks a token split between two chunks at every byte, keeping every offset', () => {
    const log = Buffer.from(`${filler(40)}${token}${filler(40)}`);
    for (let cut = 0; cut <= log.byteLength; cut++) {
      const masker = new SecretMasker([token]);
      const out = Buffer.concat([masker.push(log.subarray(0, cut)), masker.push(log.subarray(cut)), masker.end()]);
      assert.equal(out.byteLength, log.byteLength, 'a mask is as long as what it hides');
      assertNoFragment(out.toString(), token, `cut at ${cut}`);
      assert.equal(masker.finishText(out.toString()).split('[REDACTED]').length, 2, 'one mask, read as [REDACTED]');
    }
  });

  it('masks the beginning of a token that the end of the log cuts off, and nothing shorter than a fragment', () => {
    for (let length = MIN_FRAGMENT; length < token.length; length++) {
      const masker = new SecretMasker([token]);
      const out = Buffer.concat([masker.push(Buffer.from(filler(30) + token.slice(0, length))), masker.end()]).toString();
      assertNoFragment(out, token, `${length} bytes of the token at the end`);
    }
    const masker = new SecretMasker([token]);
    assert.equal(Buffer.concat([masker.push(Buffer.from('ok glp')), masker.end()]).toString(), 'ok glp', 'three letters are not a fragment');
  });
});

for (const generation of generations) {
  describe(`MCP job logs: no token fragment in any answer (GitLab ${generation})`, () => {
    let gitlab: FakeGitLab;
    let session: McpSession;
    let job: JobRecord;
    let token: string;

    before(async () => {
      ({ gitlab, session } = await startDemoGitLab({ generation }));
      token = gitlab.tokens.maintainer;
      const found = gitlab.state.findJobs({ projectId: gitlab.state.requireProject(DEMO_PROJECT).id, kind: 'build' })[0];
      assert.ok(found);
      job = found;
    });

    after(() => closeDemoGitLab(session, gitlab));

    const readLog = async (args: Record<string, unknown>): Promise<Record<string, unknown>> => ok(await session.call('gitlab_read_job_log', { job_id: job.id, ...args }));
    const WINDOW = 1024;

    it('a range read whose window starts or ends at any byte of the token', async () => {
      const before = 3000;
      gitlab.state.setJobTrace(job.id, `${filler(before)}${token}\n${filler(3000)}`);
      for (let inside = 0; inside <= token.length; inside++) {
        // The window starts `inside` bytes into the token, then ends there.
        const startsInside = await readLog({ byte_offset: before + inside, max_bytes: WINDOW });
        assertNoFragment(String(startsInside.text), token, `window starting ${inside} bytes into the token`);
        // Masks are as long as what they hide: positions stay those of the raw log (the cut falls after a newline).
        assert.equal(startsInside.skipped_bytes, before + inside);
        assert.equal(Number(startsInside.next_offset) - (before + inside), Buffer.byteLength(`${filler(before)}${token}\n${filler(3000)}`.slice(before + inside, before + inside + WINDOW).replace(/[^\n]*$/, '')));
        const endsInside = await readLog({ byte_offset: before + inside - WINDOW, max_bytes: WINDOW });
        assertNoFragment(String(endsInside.text), token, `window ending ${inside} bytes into the token`);
      }
    });

    it('a range read of a log whose end cuts the token short, as a running job writes it', async () => {
      for (let length = MIN_FRAGMENT; length < token.length; length++) {
        gitlab.state.setJobTrace(job.id, `${filler(2000)}${token.slice(0, length)}`);
        assertNoFragment(String((await readLog({ byte_offset: 1500, max_bytes: WINDOW })).text), token, `${length} bytes written, range read`);
        assertNoFragment(String((await readLog({ tail_lines: 3 })).text), token, `${length} bytes written, tail read`);
      }
    });

    it("a tail read whose max_bytes cut falls at any byte of the token's line", async () => {
      for (let kept = 1; kept < token.length; kept++) {
        // One long line; the answer keeps its last WINDOW bytes, `kept` of them the token's.
        gitlab.state.setJobTrace(job.id, `${filler(200)}${'x'.repeat(2000)}${token}${'x'.repeat(WINDOW - kept)}\n`);
        const data = await readLog({ tail_lines: 1, max_bytes: WINDOW });
        assert.equal(data.truncated, true);
        assertNoFragment(String(data.text), token, `cut ${kept} bytes before the token's end`);
      }
    });

    it("a tail read of a line the renderer cuts at 64 KiB at any byte of the token", async () => {
      for (let inside = 1; inside < token.length; inside++) {
        gitlab.state.setJobTrace(job.id, `${'x'.repeat(MAX_LINE_LENGTH - inside)}${token}${'x'.repeat(100)}\n`);
        const data = await readLog({ tail_lines: 2, max_bytes: 256 * 1024 });
        assertNoFragment(String(data.text), token, `renderer cut ${inside} bytes into the token`);
        // The mask is cut with the line: its pieces show, not the token's.
        assert.ok(/\[REDACTED|\*{4}/.test(String(data.text)), 'the mask shows where the token was');
      }
    });
  });
}
