import * as vscode from 'vscode';
import { isPaused, type Runner } from '../../gitlab/runners';
import type { ProjectContext } from '../services';

const STATUS_ICONS: Record<string, [icon: string, color?: string]> = {
  online: ['vm-running', 'testing.iconPassed'],
  offline: ['vm-outline', 'disabledForeground'],
  stale: ['warning', 'list.warningForeground'],
  never_contacted: ['circle-outline', 'disabledForeground'],
};

const TYPE_LABELS: Record<string, string> = { instance_type: 'instance', group_type: 'group', project_type: 'project' };

/**
 * A runner the project can use. Pausing shows over the contact status (a paused runner takes no job
 * whatever its state); both are in the description. `contextValue`: `runner pausable` or `runner resumable`.
 */
export class RunnerNode {
  readonly kind = 'runner';
  constructor(
    readonly project: ProjectContext,
    readonly runner: Runner,
  ) {}

  get id(): string {
    return `runner:${this.project.key}:${this.runner.id}`;
  }

  get paused(): boolean {
    return isPaused(this.runner);
  }

  toTreeItem(): vscode.TreeItem {
    const { runner } = this;
    const item = new vscode.TreeItem(runnerName(runner), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = [runner.status.replace(/_/g, ' '), this.paused ? vscode.l10n.t('paused') : undefined, TYPE_LABELS[runner.runner_type] ?? runner.runner_type, `#${runner.id}`]
      .filter(Boolean)
      .join(' · ');
    const [icon, color] = this.paused ? ['debug-pause', 'charts.yellow'] : (STATUS_ICONS[runner.status] ?? ['question']);
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    const type = TYPE_LABELS[runner.runner_type] ?? runner.runner_type;
    const status = runner.status.replace(/_/g, ' ');
    item.tooltip = this.paused
      ? vscode.l10n.t('{0} (#{1}): {2} runner, {3}, paused (takes no new jobs)', runnerName(runner), runner.id, type, status)
      : vscode.l10n.t('{0} (#{1}): {2} runner, {3}', runnerName(runner), runner.id, type, status);
    item.contextValue = this.paused ? 'runner resumable' : 'runner pausable';
    return item;
  }
}

/** How messages and the tree name a runner: its description, else its id. */
export function runnerName(runner: Pick<Runner, 'id' | 'description'>): string {
  return runner.description?.trim() || vscode.l10n.t('Runner #{0}', runner.id);
}
