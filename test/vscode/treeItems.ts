import type * as vscode from 'vscode';

/** What a row of the extension's trees shows, read as VS Code reads it: through `toTreeItem()`. */
interface Row {
  toTreeItem(): vscode.TreeItem;
}

export function labelOf(node: Row): string {
  const { label } = node.toTreeItem();
  return typeof label === 'string' ? label : (label?.label ?? '');
}

export function descriptionOf(node: Row): string {
  return String(node.toTreeItem().description ?? '');
}
