import assert from 'node:assert/strict';
import { render } from './support';

/** The spans of the first line of `input`. */
function spansOf(input: string): unknown {
  const [line] = render(input);
  assert.ok(line.kind !== 'section-end');
  return line.spans;
}

describe('trace renderer: SGR styles as spans', () => {
  it('gives colour, bold and reset their offsets in the text', () => {
    const [line] = render('\x1b[31mred\x1b[0m plain \x1b[1;32mbold green\x1b[0m!\n');
    assert.equal(line.text, 'red plain bold green!');
    assert.deepEqual(spansOf('\x1b[31mred\x1b[0m plain \x1b[1;32mbold green\x1b[0m!\n'), [
      { start: 0, end: 3, style: { fg: 1 } },
      { start: 10, end: 20, style: { fg: 2, bold: true } },
    ]);
  });

  it('reads bright, 256-colour and truecolour foregrounds and backgrounds', () => {
    assert.deepEqual(spansOf('\x1b[38;5;208mA\x1b[48;2;1;2;255mB\x1b[0m\x1b[91;104mC\n'), [
      { start: 0, end: 1, style: { fg: 208 } },
      { start: 1, end: 2, style: { fg: 208, bg: '#0102ff' } },
      { start: 2, end: 3, style: { fg: 9, bg: 12 } },
    ]);
  });

  it('reads the colon forms of extended colours and underline styles', () => {
    assert.deepEqual(spansOf('\x1b[38:2::255:0:0mA\x1b[38:5:3;4:3mB\x1b[4:0mC\n'), [
      { start: 0, end: 1, style: { fg: '#ff0000' } },
      { start: 1, end: 2, style: { fg: 3, underline: true } },
      { start: 2, end: 3, style: { fg: 3 } },
    ]);
  });

  it('turns attributes on and off one by one', () => {
    assert.deepEqual(spansOf('\x1b[1;2;3;4;7;9mA\x1b[22;23mB\x1b[24;27;29mC\x1b[33;44mD\x1b[39mE\x1b[49mF\n'), [
      { start: 0, end: 1, style: { bold: true, dim: true, italic: true, underline: true, inverse: true, strikethrough: true } },
      { start: 1, end: 2, style: { underline: true, inverse: true, strikethrough: true } },
      { start: 3, end: 4, style: { fg: 3, bg: 4 } },
      { start: 4, end: 5, style: { bg: 4 } },
    ]);
  });

  it('resets on an empty SGR and on `0;`, as the runner writes it', () => {
    assert.deepEqual(spansOf('\x1b[32;1mA\x1b[0;mB\x1b[36mC\x1b[mD\n'), [
      { start: 0, end: 1, style: { fg: 2, bold: true } },
      { start: 2, end: 3, style: { fg: 6 } },
    ]);
  });

  it('ignores malformed colours without losing the rest of the state', () => {
    assert.deepEqual(spansOf('\x1b[1;38;5;999mA\x1b[38;2;1;2mB\x1b[38;7;1;31mC\n'), [{ start: 0, end: 3, style: { bold: true } }]);
  });

  it('merges runs of equal style and splits where an overwrite changed it', () => {
    assert.deepEqual(spansOf('\x1b[31ma\x1b[31mb\n'), [{ start: 0, end: 2, style: { fg: 1 } }]);
    const [line] = render('\x1b[31mabc\r\x1b[0mX\n');
    assert.equal(line.text, 'Xbc');
    assert.deepEqual(spansOf('\x1b[31mabc\r\x1b[0mX\n'), [{ start: 1, end: 3, style: { fg: 1 } }]);
  });

  it('carries the style over to the next lines until it is reset', () => {
    const lines = render('\x1b[33mone\ntwo\x1b[0m three\n');
    assert.deepEqual(
      lines.map((line) => (line.kind === 'section-end' ? [] : line.spans)),
      [[{ start: 0, end: 3, style: { fg: 3 } }], [{ start: 0, end: 3, style: { fg: 3 } }]],
    );
  });

  it('counts offsets in UTF-16 units, as editors do', () => {
    const [line] = render('😀é\x1b[31mx\n');
    assert.equal(line.text, '😀éx');
    assert.deepEqual(spansOf('😀é\x1b[31mx\n'), [{ start: 3, end: 4, style: { fg: 1 } }]);
  });

  it('leaves unstyled text without spans', () => {
    assert.deepEqual(spansOf('plain text\n'), []);
  });
});
