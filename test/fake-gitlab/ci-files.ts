import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { PipelineTemplate, ProjectRecord } from './model';
import { repoRoot } from './paths';

/** The demo project's CI files are the demo workspace's own, so what the editor lints is what the fake holds. */
const DEMO_PROJECT = 'demo-group/demo-app';
const DEMO_CI_FILES = ['.gitlab-ci.yml', '.gitlab/ci/deploy.yml'];

const filesByProject = new WeakMap<ProjectRecord, Map<string, string>>();

/**
 * The files of a project's repository the CI config reads (one version for every ref: the fake keeps no
 * trees). The demo project's come from demo/workspace; other projects get a `.gitlab-ci.yml` written from
 * their pipeline template.
 */
export function repositoryFiles(project: ProjectRecord): Map<string, string> {
  let files = filesByProject.get(project);
  if (!files) {
    files = new Map();
    if (project.fullPath === DEMO_PROJECT) {
      for (const file of DEMO_CI_FILES) files.set(file, readFileSync(path.join(repoRoot(), 'demo', 'workspace', file), 'utf8'));
    } else {
      files.set('.gitlab-ci.yml', ciYamlOf(project.ciTemplate));
    }
    filesByProject.set(project, files);
  }
  return files;
}

/** Tests change a project's CI file (or add an include) through this. */
export function setRepositoryFile(project: ProjectRecord, filePath: string, content: string | undefined): void {
  const files = repositoryFiles(project);
  if (content === undefined) files.delete(filePath);
  else files.set(filePath, content);
}

function ciYamlOf(template: PipelineTemplate): string {
  const config: Record<string, unknown> = { stages: template.stages };
  for (const job of template.jobs) {
    config[job.name] = job.trigger
      ? { stage: job.stage, trigger: job.trigger.kind === 'project' ? { project: job.trigger.projectPath } : { include: 'child.yml' } }
      : { stage: job.stage, ...(job.when ? { when: job.when } : {}), script: job.script ?? [] };
  }
  return stringify(config);
}
