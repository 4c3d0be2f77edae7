// What the VS Code suites set up alike: the extension's API, the fake GitLab on the setup hook's port (where the
// workspace's git remote points), an account on it, and VS Code's message functions answered at once.
// The suites run one after another in ONE extension host: the API, its accounts and the port are shared, so
// each suite signs out and closes its fake after itself (`signOut`).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Job } from '../../src/gitlab/models';
import type { ProjectContext, Services } from '../../src/ui/services';
import { type FakeGitLab, type Generation, type JobRecord, startFakeGitLab } from '../fake-gitlab';
import { FAKE_PORT_VARIABLE, PROJECT_PATH } from './setup';
import { waitFor } from './waitFor';

export const EXTENSION_ID = 'gitlab-ci-lens.gitlab-ci-lens';

/** The extension's API. VS Code activates it once: every suite gets the same services. */
export async function activateExtension(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

/** The fake GitLab on the port the setup hook chose, so the workspace's `origin` names it. */
export function startWorkspaceFakeGitLab(generation?: Generation): Promise<FakeGitLab> {
  const port = Number(process.env[FAKE_PORT_VARIABLE]);
  assert.ok(port, `${FAKE_PORT_VARIABLE} is set by the setup hook (VSCODE_TEST_SETUP=out/test/vscode/setup.js)`);
  return startFakeGitLab({ port, ...(generation ? { generation } : {}) });
}

export interface SignedIn {
  fake: FakeGitLab;
  api: ExtensionApi;
}

/** The workspace's fake GitLab and the extension, signed in there with the token of `role`. */
export async function signIn(role: 'maintainer' | 'developer', generation?: Generation): Promise<SignedIn> {
  const fake = await startWorkspaceFakeGitLab(generation);
  const api = await activateExtension();
  await api.services.accounts.add(fake.url, fake.tokens[role]);
  return { fake, api };
}

/** Undoes `signIn` (or what of it was done): the next suite starts a fake of its own on the same port. */
export async function signOut(services: Services | undefined, fake: FakeGitLab | undefined): Promise<void> {
  if (services && fake) await services.accounts.remove(fake.url);
  await fake?.close();
}

/** Waits for the extension to find the workspace's project from its git remote. */
export async function waitForDetectedProject(api: ExtensionApi): Promise<void> {
  await waitFor(() => api.services.projects.list().some((project) => project.projectPath === PROJECT_PATH), 'the project to be detected');
}

export interface SeededBuild {
  fake: FakeGitLab;
  services: Services;
  project: ProjectContext;
  /** The workspace folder on disk, where downloads land. */
  workspaceFolder: string;
  /** The seed's `build` job of the successful pipeline on main, the one with artifacts, in the fake... */
  buildRecord: JobRecord;
  /** ...and as GitLab's API gives it. */
  build: Job;
}

/** Where the artifact suites start: signed in as a maintainer, the project added by hand (not waiting for git), the seed's build job. */
export async function signInWithSeededBuild(): Promise<SeededBuild> {
  const { fake, api: { services } } = await signIn('maintainer');
  await services.projects.addManual(fake.url, PROJECT_PATH);
  const project = await waitFor(() => services.projects.list().find((candidate) => candidate.key === `${fake.url}|${PROJECT_PATH}`), 'the project');
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs with a workspace folder');
  const mainPipeline = [...fake.state.pipelines.values()].find((pipeline) => pipeline.ref === 'main' && pipeline.status === 'success' && pipeline.upstreamBridgeId === null);
  assert.ok(mainPipeline, 'the seed has a successful pipeline on main');
  const [buildRecord] = fake.state.findJobs({ pipelineId: mainPipeline.id, name: 'build' });
  const build = await (await services.gitlabFor(project)).jobs.get(PROJECT_PATH, buildRecord.id);
  return { fake, services, project, workspaceFolder: folder.uri.fsPath, buildRecord, build };
}

export type MessageFunction = 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage';

export interface CapturedMessages {
  texts: string[];
  restore: () => void;
}

/**
 * Records the messages shown through `names` and answers each at once as if dismissed, so no toast waits for
 * a click; `restore` puts VS Code's own functions back.
 */
export function captureMessages(...names: MessageFunction[]): CapturedMessages {
  const window = vscode.window as unknown as Record<MessageFunction, (message: string) => Thenable<undefined>>;
  const texts: string[] = [];
  const originals = names.map((name) => {
    const original = window[name];
    window[name] = (message: string) => {
      texts.push(message);
      return Promise.resolve(undefined);
    };
    return () => (window[name] = original);
  });
  return { texts, restore: () => originals.forEach((restore) => restore()) };
}

/** The messages `action` showed through `name` (none answered). */
export async function messagesShownDuring(name: MessageFunction, action: () => Thenable<unknown>): Promise<string[]> {
  const captured = captureMessages(name);
  try {
    await action();
  } finally {
    captured.restore();
  }
  return captured.texts;
}
