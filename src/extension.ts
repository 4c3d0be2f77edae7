import * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Services, views and commands are registered here as they land.
}

export function deactivate(): void {}
