// The demo session, shared by `npm run demo` (scripts/demo.mjs) and `npm run screenshots`
// (scripts/screenshots.mjs): builds the extension, bundles the fake GitLab (the tests themselves are not
// compiled: the demo needs only the fake), installs code-server the first time, then starts the fake GitLab
// (seeded project demo-group/demo-app), a simulated runner that runs its jobs with real runner logs and
// uploads artifacts, a new pipeline on `main` whenever the last one is done, and code-server with the
// extension installed and signed in. Says what it is doing at each slow step.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { createRunDir, findFreePort, repoRoot, startCodeServer } from './vscode-test/codeServer.mjs';

export const DEMO_PROJECT = 'demo-group/demo-app';
const NEW_PIPELINE_EVERY_MS = 20_000;
const STEPS = 5;

/**
 * Starts the demo. `port` is code-server's (0 picks a free one); `gitlabPort` the fake GitLab's (0: a free
 * one); `label` prefixes the progress lines; `failFirst` makes the first pipeline it starts the failing one
 * (then every other, as always); `settings` add user settings. Resolves to { workbenchUrl, serverUrl, gitlabUrl, workspace, runDir,
 * holdPipelines, stop }: holdPipelines() starts no more pipelines (the screen stops changing once the running
 * ones are done); stop() ends code-server, the runner and the fake GitLab.
 */
export async function startDemo({ port = 0, gitlabPort = 0, label = 'demo', failFirst = false, settings = {} } = {}) {
  let step = 0;
  /** Runs one slow step between a line saying what it does and one saying how long it took. */
  async function progress(what, work) {
    step++;
    const started = Date.now();
    console.log(`[${label}] ${step}/${STEPS} ${what}…`);
    const result = await work();
    console.log(`[${label}] ${step}/${STEPS} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  }
  const run = (command, args) => execFileSync(command, args, { cwd: repoRoot, stdio: 'inherit' });

  await progress('Building the extension (npm run build)', () => run('npm', ['run', '--silent', 'build']));
  const fakeBundle = path.join(repoRoot, 'out/demo/fake-gitlab.js');
  const bundleForNode = (options) => esbuild.build({ bundle: true, platform: 'node', format: 'cjs', packages: 'external', sourcemap: true, logLevel: 'warning', ...options });
  await progress('Bundling the fake GitLab', () =>
    Promise.all([
      bundleForNode({
        stdin: {
          contents: "export { startFakeGitLab } from './test/fake-gitlab/index'; export { SimulatedRunner } from './test/fake-gitlab/simulated-runner'; export { demoJobLog } from './test/fake-gitlab/demo-logs'; export { demoJunitReport } from './test/fake-gitlab/demo-junit';",
          resolveDir: repoRoot,
          loader: 'ts',
        },
        outfile: fakeBundle,
      }),
      // The runner's GitLab client requires its HTTP module from beside itself at run time (src/gitlab/transport.ts).
      bundleForNode({ entryPoints: [path.join(repoRoot, 'src/gitlab/http.ts')], outfile: path.join(path.dirname(fakeBundle), 'http.js') }),
    ]),
  );
  await progress('Installing code-server and Chromium if missing (the first time takes a few minutes)', () => run('bash', ['scripts/vscode-test/install.sh']));

  const require = createRequire(import.meta.url);
  const { startFakeGitLab, SimulatedRunner, demoJobLog, demoJunitReport } = require(fakeBundle);

  const fake = await progress('Starting the fake GitLab and its runner', () => startFakeGitLab({ port: gitlabPort }));
  let pipelinesStarted = failFirst ? 1 : 0;
  const runner = new SimulatedRunner({
    instanceUrl: fake.url,
    runnerToken: fake.tokens.runner,
    chunkBytes: 240,
    chunkIntervalMs: 300,
    pollIntervalMs: 1_000,
    concurrency: 2,
    // Every other pipeline fails its unit tests and lint, so the demo shows failures, retries and skipped stages too.
    outcome: (job) => (['test:unit', 'test:lint'].includes(job.job_info.name) && pipelinesStarted % 2 === 0 ? { status: 'failed', failureReason: 'script_failure' } : { status: 'success' }),
    // In the same pipelines, lint fails on a type error and a lint error in demo/workspace/src (real tsc and ESLint output).
    logFor: demoJobLog,
    // The unit tests' JUnit report: two failures whose traces lead into demo/workspace's files when the job fails.
    junitReport: demoJunitReport,
    onEvent: (event) => {
      if (event.type === 'error') console.error(`[${label}] runner:`, event.error instanceof Error ? event.error.message : event.error);
    },
  });
  runner.start();

  // Keep something running: a new pipeline on main once the newest one there has settled.
  const keepBusy = setInterval(() => {
    const mainPipelines = [...fake.state.pipelines.values()].filter((pipeline) => pipeline.ref === 'main' && pipeline.upstreamBridgeId === null);
    const newest = mainPipelines.sort((a, b) => b.id - a.id)[0];
    if (newest && ['running', 'pending', 'created'].includes(newest.status)) return;
    pipelinesStarted++;
    fake.state.createPipelineForRef(DEMO_PROJECT, 'main', { source: 'push' });
  }, NEW_PIPELINE_EVERY_MS);

  const runDir = await createRunDir();
  const workspace = path.join(runDir, 'workspace', 'demo-app');
  mkdirSync(workspace, { recursive: true });
  // The demo project's files (its CI file and the sources its failing jobs point into) live in demo/workspace.
  cpSync(path.join(repoRoot, 'demo', 'workspace'), workspace, { recursive: true });
  writeFileSync(path.join(workspace, 'README.md'), `# demo-app\n\nA workspace whose git remote points at the fake GitLab at ${fake.url}.\n`);
  const git = (...args) => execFileSync('git', ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', ...args], { cwd: workspace, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'Initial commit');
  git('remote', 'add', 'origin', `${fake.url}/${DEMO_PROJECT}.git`);

  const server = await progress('Starting code-server with the extension installed', async () =>
    startCodeServer({
      runDir,
      workspace,
      port: port || (await findFreePort()),
      installExtension: true,
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'gitlabCiLens.refresh.activeIntervalSeconds': 3, ...settings },
      // Signs the extension in on start; the token then lives in VS Code's SecretStorage like any other.
      env: { GITLAB_CI_LENS_INSTANCE_URL: fake.url, GITLAB_CI_LENS_TOKEN: fake.tokens.maintainer },
    }),
  );

  let stopped;
  return {
    workbenchUrl: `${server.url}/?folder=${encodeURIComponent(workspace)}`,
    serverUrl: server.url,
    gitlabUrl: fake.url,
    workspace,
    runDir,
    holdPipelines: () => clearInterval(keepBusy),
    stop() {
      stopped ??= (async () => {
        clearInterval(keepBusy);
        await Promise.allSettled([server.stop(), runner.stop()]);
        await fake.close();
      })();
      return stopped;
    },
  };
}
