// `npm run bench`: installs what the measures need (idempotent), builds the release bundle, compiles the
// TypeScript, then runs out/bench/main.js, which writes docs/BENCHMARKS.md. Traffic stays on loopback.
// BENCH_SOAK_MINUTES (default 10) sets the length of the real-VS-Code soak (bench/scale/).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// python-gitlab's CLI (a baseline) and curl (the artifacts throughput baseline).
const APT_PACKAGES = ['gitlab-cli', 'curl'];

const say = (message) => console.log(`[bench] ${message}`);

function run(command, args, options = {}) {
  say(`$ ${[command, ...args].join(' ')}`);
  return spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', ...options }).status === 0;
}

function installed(name) {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return query.status === 0 && query.stdout.includes('install ok installed');
}

function ensureAptPackages(packages) {
  const missing = packages.filter((name) => !installed(name));
  if (missing.length === 0) return;
  const [command, ...prefix] = process.getuid?.() === 0 ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
  const apt = (...args) => run(command, [...prefix, ...args], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0 || !apt('update', '-qq') || !apt('install', '-y', '-qq', '--no-install-recommends', ...missing)) {
    say(`note: could not install ${missing.join(', ')} with apt-get; the measures that need them say so in the report`);
  }
}

ensureAptPackages(APT_PACKAGES);
for (const script of ['build:release', 'compile-tests']) {
  if (!run('npm', ['run', script])) {
    say(`npm run ${script} failed`);
    process.exit(1);
  }
}
if (!run('npm', ['run', 'vscode-test:install'])) say('note: the VS Code test tools did not install; the VS Code measures will fail and say so');
const benchmarks = spawnSync(process.execPath, [path.join(repoRoot, 'out/bench/main.js')], { cwd: repoRoot, stdio: 'inherit' });
process.exit(benchmarks.status ?? 1);
