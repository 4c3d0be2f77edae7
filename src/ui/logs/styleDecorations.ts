import * as vscode from 'vscode';
import type { TraceStyle } from '../../gitlab/trace/renderer';

/** The 16 ANSI colours as the theme's terminal colours, so logs look as they do in the terminal. */
const ANSI_THEME_COLORS = [
  'terminal.ansiBlack', 'terminal.ansiRed', 'terminal.ansiGreen', 'terminal.ansiYellow',
  'terminal.ansiBlue', 'terminal.ansiMagenta', 'terminal.ansiCyan', 'terminal.ansiWhite',
  'terminal.ansiBrightBlack', 'terminal.ansiBrightRed', 'terminal.ansiBrightGreen', 'terminal.ansiBrightYellow',
  'terminal.ansiBrightBlue', 'terminal.ansiBrightMagenta', 'terminal.ansiBrightCyan', 'terminal.ansiBrightWhite',
];
/** Inverse video of the default colours: the terminal's own foreground and background, swapped. */
const DEFAULT_FOREGROUND = 'default-fg';
const DEFAULT_BACKGROUND = 'default-bg';
/** Truecolour gradients could ask for thousands of types: past this many, further colours show plain. */
const MAX_DECORATION_TYPES = 400;

type Color = number | string;

/**
 * The decoration classes a style needs, one per attribute (`fg:1`, `bg:#ff8800`, `bold`...), so that any mix
 * of attributes is a few overlapping decorations rather than a type per combination.
 */
export function styleClasses(style: TraceStyle): string[] {
  let fg: Color | undefined = style.fg;
  let bg: Color | undefined = style.bg;
  if (style.inverse) [fg, bg] = [bg ?? DEFAULT_BACKGROUND, fg ?? DEFAULT_FOREGROUND];
  const classes: string[] = [];
  if (fg !== undefined) classes.push(`fg:${fg}`);
  if (bg !== undefined) classes.push(`bg:${bg}`);
  if (style.bold) classes.push('bold');
  if (style.dim) classes.push('dim');
  if (style.italic) classes.push('italic');
  if (style.underline) classes.push('underline');
  if (style.strikethrough) classes.push('strikethrough');
  return classes;
}

/** One TextEditorDecorationType per style class, made when first needed and disposed with this. */
export class StyleDecorations implements vscode.Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();

  /** Undefined when the class cannot be shown (or too many types exist). */
  typeFor(styleClass: string): vscode.TextEditorDecorationType | undefined {
    const known = this.types.get(styleClass);
    if (known || this.types.size >= MAX_DECORATION_TYPES) return known;
    const options = renderOptions(styleClass);
    if (!options) return undefined;
    const type = vscode.window.createTextEditorDecorationType({ ...options, rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed });
    this.types.set(styleClass, type);
    return type;
  }

  dispose(): void {
    for (const type of this.types.values()) type.dispose();
    this.types.clear();
  }
}

function renderOptions(styleClass: string): vscode.DecorationRenderOptions | undefined {
  switch (styleClass) {
    case 'bold':
      return { fontWeight: 'bold' };
    case 'dim':
      return { opacity: '0.6' };
    case 'italic':
      return { fontStyle: 'italic' };
    case 'underline':
      return { textDecoration: 'underline' };
    case 'strikethrough':
      return { textDecoration: 'line-through' };
  }
  const [layer, value = ''] = styleClass.split(':', 2);
  const color = themeColor(value);
  if (color === undefined) return undefined;
  return layer === 'fg' ? { color } : { backgroundColor: color };
}

function themeColor(value: string): string | vscode.ThemeColor | undefined {
  if (value === DEFAULT_FOREGROUND) return new vscode.ThemeColor('terminal.foreground');
  if (value === DEFAULT_BACKGROUND) return new vscode.ThemeColor('terminal.background');
  if (value.startsWith('#')) return value;
  const index = Number(value);
  if (!Number.isInteger(index) || index < 0 || index > 255) return undefined;
  return index < 16 ? new vscode.ThemeColor(ANSI_THEME_COLORS[index] ?? 'terminal.foreground') : xtermColor(index);
}

/** xterm's 256-colour palette past the first 16: a 6×6×6 cube, then 24 greys. */
function xtermColor(index: number): string {
  const hex = (level: number) => level.toString(16).padStart(2, '0');
  if (index >= 232) {
    const grey = 8 + (index - 232) * 10;
    return `#${hex(grey)}${hex(grey)}${hex(grey)}`;
  }
  const cube = index - 16;
  const level = (step: number) => (step === 0 ? 0 : 55 + step * 40);
  return `#${hex(level(Math.floor(cube / 36)))}${hex(level(Math.floor(cube / 6) % 6))}${hex(level(cube % 6))}`;
}
