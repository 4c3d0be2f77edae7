import assert from 'node:assert/strict';
import { parseTimestampPrefix } from '../../../src/gitlab/trace/timestamps';
import { render, renderChunks, stamp, texts } from './support';

describe('trace renderer: runner timestamps', () => {
  const log = `${stamp(1)}first\n${stamp(2)}second part\n${stamp(3, true)} and more\n${stamp(4, false, '01E')}err\n`;

  it('strips the prefix and joins `+` continuations onto the previous line', () => {
    assert.deepEqual(texts(log), ['first', 'second part and more', 'err']);
  });

  it("shows each line's time, a joined line keeping the time it started at", () => {
    assert.deepEqual(texts(log, { timestamps: 'show' }), ['13:37:01 first', '13:37:02 second part and more', '13:37:04 err']);
    assert.deepEqual(
      render(log, { timestamps: 'show' }).map((line) => line.time),
      ['13:37:01', '13:37:02', '13:37:04'],
    );
  });

  it('applies \\r across continuations, as the runner splits lines after a write with \\r', () => {
    const progress = `${stamp(1, false, '01O')}pulling 10%\r\n${stamp(2, true, '01O')}pulling 100%\r\n${stamp(3, false, '01O')}done\n`;
    assert.deepEqual(texts(progress), ['pulling 100%', 'done']);
  });

  it('finds section markers the runner split over continuation lines, and times them', () => {
    const sections =
      `${stamp(10)}section_start:100:build\r\x1b[0K\n${stamp(11, true)}\x1b[0K\x1b[36;1mBuilding\x1b[0;m\n` +
      `${stamp(12)}work\n${stamp(20)}section_end:108:build\r\x1b[0K\n${stamp(21, true)}\n${stamp(22)}next\n`;
    assert.deepEqual(texts(sections, { timestamps: 'show' }), [
      '13:37:10 ▸ Building',
      '13:37:12   work',
      '13:37:20 ◂ build (8s)',
      '13:37:22 next',
    ]);
  });

  it('shows a blank line as its time alone', () => {
    assert.deepEqual(texts(`${stamp(1)}a\n${stamp(2)}\n${stamp(3)}b\n`, { timestamps: 'show' }), ['13:37:01 a', '13:37:02', '13:37:03 b']);
  });

  it('leaves a log without the prefix untouched, even if a later line looks like one', () => {
    assert.deepEqual(texts(`plain\n${stamp(1)}looks stamped\n`), ['plain', `${stamp(1)}looks stamped`]);
    assert.deepEqual(texts(`plain\n`, { timestamps: 'show' }), ['plain']);
  });

  it('keeps a line without the prefix in a timestamped log as it is', () => {
    assert.deepEqual(texts(`${stamp(1)}a\nno prefix here\n${stamp(2)}b\n`), ['a', 'no prefix here', 'b']);
  });

  it('recognises the prefix by its exact shape only', () => {
    const good = '2024-05-21T13:37:00.123456Z 0fE+';
    assert.deepEqual(parseTimestampPrefix(good), { time: '13:37:00', continuesLine: true });
    assert.deepEqual(parseTimestampPrefix('2024-05-21T13:37:00.123456Z 00O '), { time: '13:37:00', continuesLine: false });
    for (const bad of [
      '2024-05-21T13:37:00.12345Z 00O  ',
      '2024-05-21 13:37:00.123456Z 00O ',
      '2024-05-21T13:37:00.123456Z 00X ',
      '2024-05-21T13:37:00.123456Z 0gO ',
      '2024-05-21T13:37:00.123456Z 00O-',
      '2024-05-21T13:37:00.123456+00O ',
    ]) {
      assert.equal(parseTimestampPrefix(bad), undefined, bad);
    }
  });

  it('renders a first line shorter than a prefix as plain text', () => {
    assert.deepEqual(texts('ok\nfine'), ['ok', 'fine']);
  });

  it('copes with a prefix split anywhere across chunks', () => {
    const whole = JSON.stringify(render(log, { timestamps: 'show' }));
    for (let cut = 0; cut <= log.length; cut++) {
      for (let second = cut; second <= log.length; second += 7) {
        assert.equal(JSON.stringify(renderChunks(log, [cut, second], { timestamps: 'show' })), whole, `cuts at ${cut}, ${second}`);
      }
    }
  });
});
