import * as vscode from 'vscode';
import type { Status } from '../../gitlab/models';

const ICONS: Record<string, [icon: string, color?: string]> = {
  success: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  running: ['sync~spin', 'charts.blue'],
  pending: ['clock', 'charts.yellow'],
  preparing: ['loading~spin', 'charts.yellow'],
  waiting_for_resource: ['watch', 'charts.yellow'],
  waiting_for_callback: ['watch', 'charts.yellow'],
  created: ['circle-outline'],
  canceled: ['circle-slash', 'disabledForeground'],
  canceling: ['loading~spin', 'disabledForeground'],
  skipped: ['debug-step-over', 'disabledForeground'],
  manual: ['gear', 'charts.purple'],
  scheduled: ['history', 'charts.purple'],
};

/** A codicon for a status; a failure that was allowed shows as a warning, like GitLab's orange mark. */
export function statusIcon(status: Status, allowFailure = false): vscode.ThemeIcon {
  if (status === 'failed' && allowFailure) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  const [icon, color] = ICONS[status] ?? ['question'];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

/** `waiting_for_resource` → `waiting for resource`. */
export function statusLabel(status: Status): string {
  return status.replace(/_/g, ' ');
}

/** The codicon name alone, for status bar text. */
export function statusCodicon(status: Status): string {
  return (ICONS[status] ?? ['question'])[0];
}
