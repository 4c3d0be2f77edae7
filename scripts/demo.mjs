// `npm run demo`: the extension against a fake GitLab whose pipelines really run, in VS Code in the browser.
// Starts the fake GitLab (seeded project demo-group/demo-app), a simulated runner that runs its jobs with
// real runner logs and uploads artifacts, a new pipeline on `main` whenever the last one is done, and
// code-server with the extension installed and signed in. Prints the URL to open; Ctrl-C stops it all.
//
//   DEMO_PORT          code-server's port (default 8080; 0 picks a free one)
//   DEMO_GITLAB_PORT   the fake GitLab's port (default: a free one)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createRunDir, findFreePort, repoRoot, startCodeServer } from './vscode-test/codeServer.mjs';

const require = createRequire(import.meta.url);
const { startFakeGitLab } = require(path.join(repoRoot, 'out/test/fake-gitlab/index.js'));
const { SimulatedRunner } = require(path.join(repoRoot, 'out/test/fake-gitlab/simulated-runner.js'));

const PROJECT = 'demo-group/demo-app';
const NEW_PIPELINE_EVERY_MS = 20_000;

const fake = await startFakeGitLab({ port: Number(process.env.DEMO_GITLAB_PORT ?? 0) });
let pipelinesStarted = 0;
const runner = new SimulatedRunner({
  instanceUrl: fake.url,
  runnerToken: fake.tokens.runner,
  chunkBytes: 240,
  chunkIntervalMs: 300,
  pollIntervalMs: 1_000,
  concurrency: 2,
  // Every other pipeline fails its unit tests, so the demo shows failures, retries and skipped stages too.
  outcome: (job) => (job.job_info.name === 'test:unit' && pipelinesStarted % 2 === 0 ? { status: 'failed', failureReason: 'script_failure' } : { status: 'success' }),
  onEvent: (event) => {
    if (event.type === 'error') console.error('[demo] runner:', event.error instanceof Error ? event.error.message : event.error);
  },
});
runner.start();

// Keep something running: a new pipeline on main once the newest one there has settled.
const keepBusy = setInterval(() => {
  const mainPipelines = [...fake.state.pipelines.values()].filter((pipeline) => pipeline.ref === 'main' && pipeline.upstreamBridgeId === null);
  const newest = mainPipelines.sort((a, b) => b.id - a.id)[0];
  if (newest && ['running', 'pending', 'created'].includes(newest.status)) return;
  pipelinesStarted++;
  fake.state.createPipelineForRef(PROJECT, 'main', { source: 'push' });
}, NEW_PIPELINE_EVERY_MS);

const runDir = await createRunDir();
const workspace = path.join(runDir, 'workspace', 'demo-app');
mkdirSync(workspace, { recursive: true });
writeFileSync(path.join(workspace, '.gitlab-ci.yml'), 'stages: [build, test, deploy]\n# The pipelines come from the fake GitLab this demo started.\n');
writeFileSync(path.join(workspace, 'README.md'), `# demo-app\n\nA workspace whose git remote points at the fake GitLab at ${fake.url}.\n`);
const git = (...args) => execFileSync('git', ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', ...args], { cwd: workspace, stdio: 'pipe' });
git('init', '-q', '-b', 'main');
git('add', '.');
git('commit', '-q', '-m', 'Initial commit');
git('remote', 'add', 'origin', `${fake.url}/${PROJECT}.git`);

const port = process.env.DEMO_PORT === undefined ? 8080 : Number(process.env.DEMO_PORT) || (await findFreePort());
const server = await startCodeServer({
  runDir,
  workspace,
  port,
  installExtension: true,
  settings: { 'workbench.colorTheme': 'Default Dark Modern', 'gitlabCiLens.refresh.activeIntervalSeconds': 3 },
  // Signs the extension in on start; the token then lives in VS Code's SecretStorage like any other.
  env: { GITLAB_CI_LENS_INSTANCE_URL: fake.url, GITLAB_CI_LENS_TOKEN: fake.tokens.maintainer },
});

console.log(`
GitLab CI Lens demo is running.

  Open VS Code:   ${server.url}/?folder=${encodeURIComponent(workspace)}
  Fake GitLab:    ${fake.url}  (project ${PROJECT}, signed in as maria)

Click the GitLab CI icon in the activity bar. A simulated runner is running pipeline jobs on main; a new
pipeline starts whenever the last one is done. Press Ctrl-C to stop.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(keepBusy);
  await Promise.allSettled([server.stop(), runner.stop()]);
  await fake.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
