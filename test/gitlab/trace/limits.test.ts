import assert from 'node:assert/strict';
import { MAX_LINE_LENGTH, RenderedLine, TraceRenderer } from '../../../src/gitlab/trace/renderer';
import { render, renderChunks, texts } from './support';

describe('trace renderer: bad bytes and pathological input', () => {
  it('replaces invalid UTF-8 with U+FFFD and goes on', () => {
    const bytes = Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x63, 0x0a, 0xe2, 0x82]);
    assert.deepEqual(texts(bytes), ['a\uFFFDb\uFFFD(\uFFFD\uFFFD\uFFFDc', '\uFFFD']);
  });

  it('decodes multibyte characters split across chunks', () => {
    const text = 'é ✓ 😀 █\n';
    const bytes = Buffer.from(text, 'utf8');
    assert.deepEqual(texts(bytes), ['é ✓ 😀 █']);
    for (let cut = 0; cut <= bytes.length; cut++) {
      assert.deepEqual(renderChunks(bytes, [cut]), render(bytes), `split at byte ${cut}`);
    }
  });

  it('cuts a line without newline at MAX_LINE_LENGTH and hands the pieces out as they fill', () => {
    const renderer = new TraceRenderer();
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const lines: RenderedLine[] = [];
    let chunks = 0;
    for (; chunks < 40 && lines.length === 0; chunks++) lines.push(...renderer.push(chunk));
    assert.ok(lines.length > 0, 'a long line is not held back whole');
    lines.push(...renderer.end());
    assert.ok(lines.every((line) => line.text.length <= MAX_LINE_LENGTH));
    assert.equal(lines.map((line) => line.text).join(''), 'x'.repeat(chunks * chunk.length));
  });

  it('does not cut a long line between the halves of a surrogate pair', () => {
    const lines = texts('x'.repeat(MAX_LINE_LENGTH - 1) + '😀yz\n');
    assert.deepEqual(lines, ['x'.repeat(MAX_LINE_LENGTH - 1), '😀yz']);
  });

  it('keeps an endless progress bar on one line: \\r rewrites it, nothing piles up', () => {
    const renderer = new TraceRenderer();
    for (let i = 0; i <= 100_000; i++) assert.deepEqual(renderer.push(Buffer.from(`\rprogress ${i}`)), []);
    assert.deepEqual(renderer.end().map((line) => line.text), ['progress 100000']);
  });

  it('shows what follows an unterminated escape sequence', () => {
    const lines = texts(`before \x1b[${'9;'.repeat(200_000)}after\n`);
    assert.ok(lines.every((line) => line.length <= MAX_LINE_LENGTH));
    const text = lines.join('');
    assert.ok(text.startsWith('before 9;9;') && text.endsWith('9;after'));
    assert.ok(text.length > 390_000, 'only the sequence-length limit was swallowed');
  });

  it('never throws on random bytes', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = Buffer.from('section_start:1:a[]\r\n\x1b[0K;m]\x07\\ 2024-05-21T13:37:00.000000Z 00O+é');
    for (let run = 0; run < 200; run++) {
      const bytes = Buffer.from(Array.from({ length: 300 }, () => (random() < 0.8 ? alphabet[Math.floor(random() * alphabet.length)] : Math.floor(random() * 256))));
      const cuts = [Math.floor(random() * 300), 300].sort((a, b) => a - b);
      assert.deepEqual(renderChunks(bytes, cuts), render(bytes));
    }
  });
});
