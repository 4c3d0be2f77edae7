// The messages the VS Code layer shows go through vscode.l10n.t, as the manifest's strings go through
// package.nls.json. A plain scan of the source, not a parser: it finds the usual places a user-visible string
// is written as a bare literal (a string or template literal not wrapped in `l10n.t(`), which is how a new
// message slips in untranslated. It does not follow strings through variables or helpers it does not list.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** A literal at the start of `text`: `'…'`, `"…"` or a template literal. */
const LITERAL = String.raw`(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\`(?:[^\`\\]|\\.)*\`)`;

/** Where a bare literal is user-visible text. Each rule names the place, and matches the literal that follows. */
const RULES: { place: string; pattern: RegExp }[] = [
  // A message, and its buttons: every argument of show{Information,Warning,Error}Message that is a literal.
  { place: 'show*Message argument', pattern: new RegExp(String.raw`\bshow(?:Information|Warning|Error)Message\(\s*(?:[^()]*?,\s*)?(${LITERAL})`, 'g') },
  // notify(services, severity, message, …actions): the message.
  { place: 'notify message', pattern: new RegExp(String.raw`\bnotify\(\s*services\s*,\s*'(?:info|warning|error)'\s*,\s*(${LITERAL})`, 'g') },
  // A button compared to the user's choice by its English text: compare to the same translated constant.
  { place: 'choice compared to a literal', pattern: new RegExp(String.raw`(?<!typeof )\b(?:choice|answer|picked)\s*[!=]==?\s*(${LITERAL})`, 'g') },
  { place: 'setStatusBarMessage text', pattern: new RegExp(String.raw`\bsetStatusBarMessage\(\s*(${LITERAL})`, 'g') },
  // Options of quick picks, input boxes, progress, message details, buttons' and CodeLenses' titles.
  { place: 'title/placeHolder/prompt/detail/tooltip/label/description property', pattern: new RegExp(String.raw`\b(?:title|placeHolder|placeholder|prompt|detail|tooltip|label|description|saveLabel|openLabel)\s*:\s*(${LITERAL})`, 'g') },
  // Assignments to a quick pick's, input box's, status bar item's or tree item's text.
  {
    place: '.title/.placeholder/.prompt/.validationMessage/.text/.tooltip/.description/.label assignment',
    pattern: new RegExp(String.raw`\.(?:title|placeholder|prompt|validationMessage|text|tooltip|description|label|name)\s*=(?!=)\s*(?:[^;\n]*?\?\s*)?(${LITERAL})`, 'g'),
  },
  {
    place: 'the other branch of such an assignment',
    pattern: new RegExp(String.raw`\.(?:title|placeholder|prompt|validationMessage|text|tooltip|description|label|name)\s*=(?!=)[^;\n]*\?[^;\n]*:\s*(${LITERAL})\s*[;)]`, 'g'),
  },
  // A quick pick's items given as literals, an input box's validation answer.
  { place: 'showQuickPick items', pattern: new RegExp(String.raw`\bshowQuickPick\(\s*\[\s*(${LITERAL})`, 'g') },
  { place: 'validateInput answer', pattern: new RegExp(String.raw`\bvalidateInput\s*:[^\n]*?(?:\?|:|return)\s*(${LITERAL})`, 'g') },
  // Tree rows with fixed words, CodeLenses.
  { place: 'tree item label', pattern: new RegExp(String.raw`\bnew (?:vscode\.)?TreeItem\(\s*(${LITERAL})`, 'g') },
  { place: 'message row text', pattern: new RegExp(String.raw`\bnew MessageNode\(\s*(?:${LITERAL}|[^(),]*)\s*,\s*(${LITERAL})`, 'g') },
];

/** Literals that carry no words: `${a} · ${b}`, '', ' · ', `$(sync~spin) ${label}` (an icon is no word). */
const wordless = (literal: string): boolean => !/[A-Za-z]/.test(literal.slice(1, -1).replace(/\$\{[^}]*\}/g, '').replace(/\$\([a-z~-]+\)/g, ''));

/** The source with its comments blanked, same offsets. Naive about comment markers inside strings, which our sources avoid. */
const withoutComments = (source: string): string =>
  source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])(\/\/[^\n]*)/g, (_line, before: string, comment: string) => before + ' '.repeat(comment.length));

const shorten = (literal: string): string => (literal.length > 70 ? `${literal.slice(0, 67)}…` : literal);

/** The top-level arguments of the call whose `(` ends before `start` that are literals (a message, its buttons). */
function literalArguments(code: string, start: number): { at: number; literal: string }[] {
  const literals: { at: number; literal: string }[] = [];
  const literalAt = new RegExp(`^${LITERAL}`);
  let depth = 0;
  let argumentStart = true;
  for (let index = start; index < code.length; index++) {
    const char = code[index];
    if (char === "'" || char === '"' || char === '`') {
      const literal = literalAt.exec(code.slice(index))?.[0];
      if (!literal) break;
      if (depth === 0 && argumentStart) literals.push({ at: index, literal });
      index += literal.length - 1;
      argumentStart = false;
    } else if ('([{'.includes(char)) {
      depth++;
      argumentStart = false;
    } else if (')]}'.includes(char)) {
      if (depth === 0) break;
      depth--;
    } else if (char === ',' && depth === 0) argumentStart = true;
    else if (!/\s/.test(char)) argumentStart = false;
  }
  return literals;
}

export function bareStrings(source: string): { line: number; place: string; literal: string; at: number; whole: string }[] {
  const code = withoutComments(source);
  const found: { line: number; place: string; literal: string; at: number; whole: string }[] = [];
  for (const call of code.matchAll(/\bshow(?:Information|Warning|Error)Message\(/g)) {
    for (const { at, literal } of literalArguments(code, (call.index ?? 0) + call[0].length)) {
      if (!wordless(literal)) found.push({ line: code.slice(0, at).split('\n').length, place: 'show*Message argument', literal: shorten(literal), at, whole: literal });
    }
  }
  for (const { place, pattern } of RULES) {
    for (const match of code.matchAll(pattern)) {
      const literal = match[1];
      if (wordless(literal)) continue;
      const at = (match.index ?? 0) + match[0].lastIndexOf(literal);
      found.push({ line: code.slice(0, at).split('\n').length, place, literal: shorten(literal), at, whole: literal });
    }
  }
  const unique = found.filter((hit, index) => found.findIndex((other) => other.at === hit.at) === index);
  return unique.sort((a, b) => a.at - b.at);
}

async function sourceFiles(): Promise<string[]> {
  const ui = (await readdir(join(REPO_ROOT, 'src', 'ui'), { recursive: true })).filter((file) => file.endsWith('.ts')).map((file) => join(REPO_ROOT, 'src', 'ui', file));
  return [join(REPO_ROOT, 'src', 'extension.ts'), ...ui.sort()];
}

describe('message localization (vscode.l10n)', () => {
  it('shows no bare string literal in src/ui and src/extension.ts: each goes through vscode.l10n.t', async () => {
    const offences: string[] = [];
    for (const file of await sourceFiles()) {
      for (const { line, place, literal } of bareStrings(await readFile(file, 'utf8'))) offences.push(`${relative(REPO_ROOT, file)}:${line} ${place}: ${literal}`);
    }
    assert.deepEqual(offences, [], `${offences.length} user-visible strings not wrapped in vscode.l10n.t:\n${offences.join('\n')}`);
  });

  it('flags the bare literals it looks for, and passes them wrapped in l10n.t', () => {
    const bare = [
      `void vscode.window.showInformationMessage('No job log is being followed.');`,
      'const answer = await vscode.window.showWarningMessage(`Erase job ${title}?`, { modal: true }, \'Erase\');',
      `notify(services, 'info', \`Copied \${id}.\`);`,
      `const pick = await vscode.window.showQuickPick(items, { title: 'Filter Pipelines (2/3)', placeHolder: 'Status' });`,
      `await vscode.window.withProgress({ location, title: \`Saving the log of \${name}…\` }, run);`,
      `this.item.text = '$(sync~spin) GitLab';`,
      `this.item.tooltip = project ? \`Looking for \${ref}\` : 'No project';`,
      `input.validationMessage = short ? 'That is too short' : undefined;`,
      `input.onDidChangeValue((value) => (input.validationMessage = value.length < 8 && value !== '' ? 'Too short' : undefined));`,
      `this.hint.tooltip = project ? vscode.l10n.t('Sign in to {0}', url) : 'No GitLab project for this folder';`,
      `validateInput: (value) => (ok(value) ? undefined : 'A path like group/project'),`,
      `return [new MessageNode(\`loading:\${key}\`, 'Loading pipelines…', 'loading~spin')];`,
      `const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Accept?'), 'Turn Off', OPEN);`,
      `if (choice === 'Turn Off') return;`,
      `lenses.push(new vscode.CodeLens(at, { title: 'Follow Log', command: 'gitlabCiLens.followJobLog' }));`,
    ];
    for (const line of bare) assert.ok(bareStrings(line).length > 0, line);
    const wrapped = [
      `void vscode.window.showInformationMessage(vscode.l10n.t('No job log is being followed.'));`,
      'const answer = await vscode.window.showWarningMessage(vscode.l10n.t("Erase job {0}?", title), { modal: true }, ERASE);',
      `notify(services, 'info', vscode.l10n.t('Copied {0}.', id));`,
      `const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Filter Pipelines (2/3)'), placeHolder: vscode.l10n.t('Status') });`,
      `this.item.text = \`$(sync~spin) \${label}\`;`,
      `this.item.tooltip = project ? vscode.l10n.t('Looking for {0}', ref) : project.projectPath;`,
      `// showInformationMessage('a comment is not a message')`,
    ];
    for (const line of wrapped) assert.deepEqual(bareStrings(line), [], line);
  });
});
