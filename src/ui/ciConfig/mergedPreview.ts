import * as vscode from 'vscode';
import type { CiLintResult } from '../../gitlab/ciConfig';
import { registerCommand } from '../commands/register';
import type { Services } from '../services';
import { ciProjectOf } from './ciFiles';
import { type CiTarget, ciTarget, rootCiTarget } from './target';

export const MERGED_SCHEME = 'gitlab-ci-merged';

/**
 * "Show Merged CI Configuration": GitLab's `merged_yaml` of the root CI file (includes resolved) as a
 * read-only YAML document headed by the includes that went into it; saved again when a CI file of the
 * project is saved.
 */
export function registerMergedPreview(services: Services): void {
  const texts = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const previewUri = (projectPath: string) => vscode.Uri.from({ scheme: MERGED_SCHEME, path: `/${projectPath}/merged.gitlab-ci.yml` });
  const render = async (services: Services, target: CiTarget): Promise<vscode.Uri> => {
    const gitlab = await services.gitlabFor(target.project);
    const result = await gitlab.ciLint.lintContent(target.project.projectPath, target.text, { includeJobs: true });
    const uri = previewUri(target.project.projectPath);
    texts.set(uri.toString(), mergedDocument(target.project.projectPath, result));
    changed.fire(uri);
    return uri;
  };
  services.context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(MERGED_SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (uri) => texts.get(uri.toString()) ?? '' }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      const project = ciProjectOf(services.projects, document);
      if (!project || !texts.has(previewUri(project.projectPath).toString())) return;
      void rootCiTarget(project).then((target) => target && render(services, target)).catch((error: unknown) => services.log.warn(`Merged CI configuration not refreshed: ${error instanceof Error ? error.message : String(error)}`));
    }),
  );
  registerCommand(services, 'gitlabCiLens.showMergedCiConfig', 'Show merged CI configuration', async () => {
    const target = await ciTarget(services);
    if (!target) return undefined;
    const document = await vscode.workspace.openTextDocument(await render(services, target));
    await vscode.languages.setTextDocumentLanguage(document, 'yaml');
    return vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  });
}

/** The preview's text: where it came from and what it includes, then GitLab's merged YAML (or why there is none). */
export function mergedDocument(projectPath: string, result: CiLintResult): string {
  const includes = (result.includes ?? []).map((include) => `#   - ${include.type}: ${include.location}`);
  const header = [
    `# Merged CI configuration of ${projectPath}, as GitLab's CI Lint resolved it (read-only; refreshed on save).`,
    includes.length ? `# Includes:\n${includes.join('\n')}` : '# Includes: none',
    ...(result.valid ? [] : ['# The configuration is invalid:', ...result.errors.map((error) => `#   ${error.replace(/\n/g, ' ')}`)]),
  ];
  return `${header.join('\n')}\n${result.merged_yaml ?? ''}`;
}
