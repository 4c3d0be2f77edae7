/**
 * The SGR (Select Graphic Rendition) state of a run of text. A colour is a palette index (0–7 normal, 8–15 bright,
 * 16–255 the xterm 256-colour cube and greys) or `#rrggbb` for truecolour. Absent means the terminal default.
 */
export interface TraceStyle {
  readonly fg?: number | string;
  readonly bg?: number | string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly inverse?: boolean;
  readonly strikethrough?: boolean;
}

/**
 * The renderer's own form of a style: every attribute present, so all states share one object shape and the hot
 * paths (applying SGR, comparing cells) stay fast. Spans get the sparse TraceStyle.
 */
export interface SgrState {
  fg: number | string | undefined;
  bg: number | string | undefined;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
  strikethrough: boolean;
}

// Not frozen: copying a frozen object is several times slower, and `Readonly` already keeps it unchanged.
export const DEFAULT_SGR: Readonly<SgrState> = {
  fg: undefined,
  bg: undefined,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
  strikethrough: false,
};

/** Parameters an SGR sequence may carry; anything else (private markers, intermediates) is not SGR. */
const SGR_PARAMS = /^[0-9;:]*$/;

export function isSgrParams(params: string): boolean {
  return SGR_PARAMS.test(params);
}

/** The state after `ESC [ <params> m`, e.g. params `1;38;5;208`, `38;2;255;0;0` or the colon form `38:2::255:0:0`. */
export function applySgr(current: Readonly<SgrState>, params: string): Readonly<SgrState> {
  if (params === '' || params === '0') return DEFAULT_SGR;
  const state = copy(current);
  const codes = parseParameters(params);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (typeof code !== 'number') {
      applyColonForm(state, code);
      continue;
    }
    const n = code === EMPTY ? 0 : code; // as in `ESC [ 0 ; m`
    if (n !== 38 && n !== 48 && n !== 58) {
      applyCode(state, n);
    } else if (codes[i + 1] === 5) {
      setColor(state, n, byteValue(codes[i + 2])); // 38;5;<index>
      i += 2;
    } else if (codes[i + 1] === 2) {
      setColor(state, n, rgb(codes[i + 2], codes[i + 3], codes[i + 4])); // 38;2;<r>;<g>;<b>
      i += 4;
    } else {
      break; // an unknown colour model: where its arguments end is unknown, so the rest is dropped
    }
  }
  return isDefault(state) ? DEFAULT_SGR : state;
}

/** An empty parameter, as in `ESC [ ; 1 m`. */
const EMPTY = -1;
const SEMICOLON = 0x3b;
const COLON = 0x3a;
const ZERO = 0x30;

/**
 * `1;38:2::255:0:0` → `[1, [38, 2, EMPTY, 255, 0, 0]]`: numbers, or a group for a parameter with `:` sub-parameters.
 * By hand rather than with `split`, which costs more than all the rest of an SGR. `params` holds only digits, `;`, `:`.
 */
function parseParameters(params: string): (number | number[])[] {
  const codes: (number | number[])[] = [];
  let group: number[] | undefined;
  let value = EMPTY;
  for (let i = 0; i <= params.length; i++) {
    const c = i < params.length ? params.charCodeAt(i) : SEMICOLON;
    if (c === COLON) {
      (group ??= []).push(value);
      value = EMPTY;
    } else if (c === SEMICOLON) {
      if (group === undefined) codes.push(value);
      else codes.push([...group, value]);
      group = undefined;
      value = EMPTY;
    } else {
      value = (value === EMPTY ? 0 : value * 10) + c - ZERO;
    }
  }
  return codes;
}

function applyCode(state: SgrState, n: number): void {
  if (n >= 30 && n <= 37) state.fg = n - 30;
  else if (n >= 90 && n <= 97) state.fg = n - 90 + 8;
  else if (n >= 40 && n <= 47) state.bg = n - 40;
  else if (n >= 100 && n <= 107) state.bg = n - 100 + 8;
  else {
    switch (n) {
      case 0: Object.assign(state, DEFAULT_SGR); break; // rare: mid-sequence reset, as in `0;36;1`
      case 1: state.bold = true; break;
      case 2: state.dim = true; break;
      case 3: state.italic = true; break;
      case 4: case 21: state.underline = true; break; // 21 is double underline
      case 7: state.inverse = true; break;
      case 9: state.strikethrough = true; break;
      case 22: state.bold = false; state.dim = false; break;
      case 23: state.italic = false; break;
      case 24: state.underline = false; break;
      case 27: state.inverse = false; break;
      case 29: state.strikethrough = false; break;
      case 39: state.fg = undefined; break;
      case 49: state.bg = undefined; break;
      default: break; // blink, conceal, fonts, overline...: nothing an editor shows
    }
  }
}

/** Field by field: an object literal of one shape, far cheaper than a spread. */
function copy(state: Readonly<SgrState>): SgrState {
  const { fg, bg, bold, dim, italic, underline, inverse, strikethrough } = state;
  return { fg, bg, bold, dim, italic, underline, inverse, strikethrough };
}

function isDefault(state: Readonly<SgrState>): boolean {
  return sameSgr(state, DEFAULT_SGR);
}

/** The sparse public form: only the attributes that are set. */
export function toTraceStyle(state: Readonly<SgrState>): TraceStyle {
  const { fg, bg, bold, dim, italic, underline, inverse, strikethrough } = state;
  const style: { -readonly [K in keyof TraceStyle]: TraceStyle[K] } = {};
  if (fg !== undefined) style.fg = fg;
  if (bg !== undefined) style.bg = bg;
  if (bold) style.bold = true;
  if (dim) style.dim = true;
  if (italic) style.italic = true;
  if (underline) style.underline = true;
  if (inverse) style.inverse = true;
  if (strikethrough) style.strikethrough = true;
  return style;
}

/** `38:5:<index>`, `38:2:<r>:<g>:<b>` or `38:2:<colour space>:<r>:<g>:<b>`; `4:<n>` underline styles. */
function applyColonForm(state: SgrState, parts: number[]): void {
  const [n, model] = parts;
  if (n === 4) {
    state.underline = model > 0;
    return;
  }
  if (n !== 38 && n !== 48 && n !== 58) return;
  let color: number | string | undefined;
  if (model === 5) color = byteValue(parts[2]);
  else if (model === 2) color = parts.length >= 6 ? rgb(parts[3], parts[4], parts[5]) : rgb(parts[2], parts[3], parts[4]);
  setColor(state, n, color);
}

function setColor(state: SgrState, code: number, color: number | string | undefined): void {
  if (color === undefined) return;
  if (code === 38) state.fg = color;
  else if (code === 48) state.bg = color;
  // 58 is the underline colour, which TraceStyle does not carry.
}

/** A colour component or palette index, 0–255; anything else (a group, an empty or missing one) is not a colour. */
function byteValue(code: number | number[] | undefined): number | undefined {
  return typeof code === 'number' && code >= 0 && code <= 255 ? code : undefined;
}

const HEX_BYTES = Array.from({ length: 256 }, (_, value) => value.toString(16).padStart(2, '0'));

/** `#rrggbb`. */
function rgb(...components: (number | number[] | undefined)[]): string | undefined {
  let hex = '#';
  for (const component of components) {
    const value = byteValue(component);
    if (value === undefined) return undefined;
    hex += HEX_BYTES[value];
  }
  return hex;
}

export function sameSgr(a: Readonly<SgrState>, b: Readonly<SgrState>): boolean {
  return (
    a === b ||
    (a.fg === b.fg &&
      a.bg === b.bg &&
      a.bold === b.bold &&
      a.dim === b.dim &&
      a.italic === b.italic &&
      a.underline === b.underline &&
      a.inverse === b.inverse &&
      a.strikethrough === b.strikethrough)
  );
}
