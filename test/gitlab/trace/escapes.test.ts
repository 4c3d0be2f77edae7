import assert from 'node:assert/strict';
import { MAX_CONTROL_SEQUENCE_LENGTH, MAX_CONTROL_STRING_LENGTH } from '../../../src/gitlab/trace/escape';
import { texts } from './support';

describe('trace renderer: escape sequences and carriage returns', () => {
  it('removes CSI sequences: cursor moves, screen and mode changes, private parameters', () => {
    assert.deepEqual(texts('a\x1b[2Jb\x1b[1;1Hc\x1b[?25ld\x1b[3Ae\x1b[>4;1mf\n'), ['abcdef']);
  });

  it('removes OSC hyperlinks (ST) and window titles (BEL or ST)', () => {
    assert.deepEqual(texts('see \x1b]8;;https://example.com/x?y=1\x1b\\the docs\x1b]8;;\x1b\\ now\n'), ['see the docs now']);
    assert.deepEqual(texts('\x1b]0;build #12\x07\x1b]2;title\x1b\\text\n'), ['text']);
  });

  it('removes other escapes: charset selection (tput sgr0), keypad modes, save and restore cursor', () => {
    assert.deepEqual(texts('\x1b(B\x1b[mplain \x1b=\x1b>keys \x1b7saved\x1b8\n'), ['plain keys saved']);
  });

  it('drops a lone ESC before a control character and keeps the character', () => {
    assert.deepEqual(texts('a\x1b\nb\n'), ['a', 'b']);
  });

  it('drops control characters that have nothing to show, keeps tabs', () => {
    assert.deepEqual(texts('a\x07b\x00c\x7fd\x0ce\tf\n'), ['abcde\tf']);
  });

  it('applies \\r as a return to column 0: later text overwrites, the final state of a progress bar stays', () => {
    assert.deepEqual(texts('progress 10%\rprogress 55%\rprogress 100%\n'), ['progress 100%']);
    assert.deepEqual(texts('abcdef\rXY\n'), ['XYcdef']);
  });

  it('treats \\r\\n as a plain line end, and a lone \\n too', () => {
    assert.deepEqual(texts('one\r\ntwo\nthree\r\n'), ['one', 'two', 'three']);
  });

  it('erases with \\e[K / \\e[0K from the cursor, \\e[1K up to the cursor, \\e[2K the whole line', () => {
    assert.deepEqual(texts('abcdef\r\x1b[Kxy\n'), ['xy']);
    assert.deepEqual(texts('abcdef\r\x1b[0Kxy\n'), ['xy']);
    assert.deepEqual(texts('abcdef\b\b\x1b[1K\n'), ['     f']);
    assert.deepEqual(texts('abc\x1b[2Kxy\n'), ['xy']);
  });

  it('moves back one column on backspace', () => {
    assert.deepEqual(texts('abc\bd\n'), ['abd']);
  });

  it('keeps blank lines, and does not invent one for a final newline', () => {
    assert.deepEqual(texts('a\n\n\x1b[m\nb\n'), ['a', '', '', 'b']);
    assert.deepEqual(texts(''), []);
  });

  it('shows the tail of an over-long CSI sequence as text instead of waiting for its end', () => {
    const params = '1'.repeat(300);
    // ESC and '[' are the first two characters of the sequence: the parameters get the rest of the limit.
    const swallowed = MAX_CONTROL_SEQUENCE_LENGTH - 2;
    assert.deepEqual(texts(`a\x1b[${params}mZ\n`), ['a' + '1'.repeat(300 - swallowed) + 'mZ']);
  });

  it('gives an unterminated OSC string up at the end of the line', () => {
    assert.deepEqual(texts('a\x1b]8;;https://example.com\nnext\n'), ['a', 'next']);
  });

  it('gives an over-long OSC string up and shows its tail', () => {
    const title = 'x'.repeat(5000);
    // ESC, ']', '0' and ';' are the first four characters of the string: the title gets the rest of the limit.
    const swallowed = MAX_CONTROL_STRING_LENGTH - 4;
    assert.deepEqual(texts(`\x1b]0;${title}\x07done\n`), ['x'.repeat(5000 - swallowed) + 'done']);
  });

  it('drops an escape sequence left unfinished at the end of the log', () => {
    assert.deepEqual(texts('abc\x1b'), ['abc']);
    assert.deepEqual(texts('abc\x1b[31'), ['abc']);
    assert.deepEqual(texts('abc\x1b]8;;https://exa'), ['abc']);
  });
});
