import * as vscode from 'vscode';
import type { Variable } from '../../../gitlab/models';

/** GitLab's rule for variable keys. */
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENTRY_HINT = 'Write KEY=value; the key has letters, digits and _ and does not start with a digit.';

/** The variables automation passed (`[{ key, value }]`, `[]` for none), else asked of the user; undefined when the user escapes. */
export async function resolveVariables(argument: unknown, title: string): Promise<Variable[] | undefined> {
  return argument === undefined ? askVariables(title) : variablesFromArgument(argument);
}

/** `KEY=value` → a variable (the value kept as typed, spaces and all); undefined when it is not one. */
function parseVariable(entry: string): Variable | undefined {
  const equals = entry.indexOf('=');
  if (equals < 0) return undefined;
  const key = entry.slice(0, equals).trim();
  return KEY_PATTERN.test(key) ? { key, value: entry.slice(equals + 1) } : undefined;
}

/**
 * Asks for variables one `KEY=value` at a time; an empty entry finishes. Undefined when the user escapes,
 * which cancels the whole action. A key given twice keeps the last value.
 */
async function askVariables(title: string): Promise<Variable[] | undefined> {
  const variables = new Map<string, Variable>();
  for (;;) {
    const added = [...variables.keys()];
    const entry = await vscode.window.showInputBox({
      title,
      prompt: added.length ? `Added ${added.join(', ')}. Another KEY=value, or Enter on an empty box to go on.` : 'A variable for this run as KEY=value, or Enter on an empty box for none.',
      placeHolder: vscode.l10n.t('KEY=value'),
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' || parseVariable(value) ? undefined : ENTRY_HINT),
    });
    if (entry === undefined) return undefined;
    if (entry.trim() === '') return [...variables.values()];
    const variable = parseVariable(entry);
    if (variable) variables.set(variable.key, variable);
  }
}

/**
 * Variables given by automation, held to the same rule as typed ones so a bad key
 * fails here with a clear message rather than as GitLab's 400.
 */
function variablesFromArgument(argument: unknown): Variable[] {
  if (!Array.isArray(argument)) throw new Error('Variables must be an array of { key, value }');
  return argument.map((item: unknown) => {
    const { key, value } = (typeof item === 'object' && item !== null ? item : {}) as Partial<Record<'key' | 'value', unknown>>;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key) || typeof value !== 'string') throw new Error(`Not a variable: ${JSON.stringify(item)}. ${ENTRY_HINT}`);
    return { key, value };
  });
}
