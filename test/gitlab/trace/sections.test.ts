import assert from 'node:assert/strict';
import { MAX_SECTION_DEPTH } from '../../../src/gitlab/trace/assembler';
import { formatDuration } from '../../../src/gitlab/trace/renderer';
import { render, renderChunks, texts } from './support';

const start = (time: number, name: string, options = '') => `section_start:${time}:${name}${options}\r\x1b[0K`;
const end = (time: number, name: string) => `section_end:${time}:${name}\r\x1b[0K`;

describe('trace renderer: sections', () => {
  it('turns nested sections into headers and footers with depth and durations', () => {
    const log =
      `${start(100, 'build')}\x1b[36;1mBuilding\x1b[0;m\n` +
      'compiling\n' +
      `${start(105, 'tests', '[collapsed=true]')}Testing\n` +
      'ok\n' +
      `${end(107, 'tests')}\n` +
      `${end(230, 'build')}\n` +
      'after\n';
    assert.deepEqual(render(log), [
      { kind: 'section-start', text: '▸ Building', name: 'build', depth: 0, collapsed: false, spans: [{ start: 2, end: 10, style: { fg: 6, bold: true } }] },
      { kind: 'text', text: 'compiling', spans: [], depth: 1 },
      { kind: 'section-start', text: '▸ Testing', name: 'tests', depth: 1, collapsed: true, spans: [] },
      { kind: 'text', text: 'ok', spans: [], depth: 2 },
      { kind: 'section-end', text: '◂ tests (2s)', name: 'tests', depth: 1, durationSeconds: 2 },
      { kind: 'section-end', text: '◂ build (2m 10s)', name: 'build', depth: 0, durationSeconds: 130 },
      { kind: 'text', text: 'after', spans: [], depth: 0 },
    ]);
    assert.deepEqual(texts(log), ['▸ Building', '  compiling', '  ▸ Testing', '    ok', '  ◂ tests (2s)', '◂ build (2m 10s)', 'after']);
  });

  it('honours hide_duration, with or without a space after the comma', () => {
    for (const options of ['[hide_duration=true]', '[collapsed=true, hide_duration=true]']) {
      const lines = render(`${start(1, 'quiet', options)}Quiet\n${end(9, 'quiet')}\n`);
      assert.deepEqual(lines[1], { kind: 'section-end', text: '◂ quiet', name: 'quiet', depth: 0 });
    }
  });

  it('names the header after the section when no text follows the marker', () => {
    assert.deepEqual(texts(`${start(1, 'bare')}\nbody\n${end(2, 'bare')}\n`), ['▸ bare', '  body', '◂ bare (1s)']);
  });

  it('takes the text after markers that share a line, as the runner writes them', () => {
    const log = `${start(1, 'a')}A\nx\n${end(3, 'a')}${start(3, 'b')}\x1b[0KB\n${end(4, 'b')}\x1b[32;1mJob succeeded\x1b[0;m\n`;
    assert.deepEqual(texts(log), ['▸ A', '  x', '◂ a (2s)', '▸ B', '◂ b (1s)', 'Job succeeded']);
  });

  it('ends the line before a marker written in its middle', () => {
    assert.deepEqual(texts(`partial ${start(1, 'a')}Header\n`), ['partial ', '▸ Header']);
  });

  it('closes sections left open inside the one that ends, without a duration of their own', () => {
    const lines = render(`${start(1, 'outer')}O\n${start(2, 'inner')}I\n${end(10, 'outer')}\n`);
    assert.deepEqual(lines.slice(2), [
      { kind: 'section-end', text: '◂ inner', name: 'inner', depth: 1 },
      { kind: 'section-end', text: '◂ outer (9s)', name: 'outer', depth: 0, durationSeconds: 9 },
    ]);
  });

  it('ignores an end without a start, and leaves no blank line for it', () => {
    assert.deepEqual(texts(`a\n${end(5, 'never')}\nb\n`), ['a', 'b']);
  });

  it('leaves sections open at the end of the log: a running job', () => {
    assert.deepEqual(texts(`${start(1, 'step_script')}Running\nstill going\n`), ['▸ Running', '  still going']);
  });

  it('accepts a marker whose \\r was lost to \\r\\n normalisation, and \\e[K for \\e[0K', () => {
    assert.deepEqual(texts('section_start:1:a\x1b[0KA\nsection_end:2:a\x1b[K\n'), ['▸ A', '◂ a (1s)']);
  });

  it('leaves text that only looks like a marker alone', () => {
    const lookalikes: [string, string[]][] = [
      ['echo section_start:1:foo\n', ['echo section_start:1:foo']],
      ['section_start:abc:foo\r\x1b[0Kx\n', ['x']],
      ['section_start:1:\r\x1b[0Kx\n', ['x']],
      ['section_start:1:na me\n', ['section_start:1:na me']],
      ['section_start:1:foo\r\x1b[31mred\n', ['redtion_start:1:foo']],
      ['section_start:1:foo[unclosed\r\n', ['section_start:1:foo[unclosed']],
      ['section_middle:1:foo\n', ['section_middle:1:foo']],
      ['sss\n', ['sss']],
    ];
    for (const [log, expected] of lookalikes) assert.deepEqual(texts(log), expected, JSON.stringify(log));
  });

  it('finds a marker right after a false start', () => {
    assert.deepEqual(texts(`ssection_start:1:section_start:2:x\r\x1b[0KX\n`), ['ssection_start:1:', '▸ X']);
  });

  it('finds a marker whatever the chunk boundaries', () => {
    const log = `out\n${start(1, 'a', '[collapsed=true]')}A\n${end(2, 'a')}\n`;
    const whole = JSON.stringify(render(log));
    for (let cut = 0; cut <= log.length; cut++) {
      for (let second = cut; second <= log.length; second++) {
        assert.equal(JSON.stringify(renderChunks(log, [cut, second])), whole, `cuts at ${cut}, ${second}`);
      }
    }
  });

  it('keeps text that ends the log inside a half-written marker', () => {
    assert.deepEqual(texts('done section_sta'), ['done section_sta']);
    assert.deepEqual(texts('section_end:12:na'), ['section_end:12:na']);
  });

  it(`stops nesting at ${MAX_SECTION_DEPTH} levels, showing deeper headers as text`, () => {
    const log = Array.from({ length: MAX_SECTION_DEPTH + 3 }, (_, i) => `${start(i, `s${i}`)}H${i}\n`).join('');
    const lines = render(log);
    assert.equal(lines.filter((line) => line.kind === 'section-start').length, MAX_SECTION_DEPTH);
    assert.deepEqual(lines.at(-1), { kind: 'text', text: `H${MAX_SECTION_DEPTH + 2}`, spans: [], depth: MAX_SECTION_DEPTH });
  });

  it('formats durations for people', () => {
    assert.deepEqual([0, 42, 65, 3600, 3723].map(formatDuration), ['0s', '42s', '1m 05s', '1h 00m 00s', '1h 02m 03s']);
  });
});
