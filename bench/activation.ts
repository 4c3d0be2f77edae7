// How light the extension is to load: the size of the release bundle, and what activation costs the extension
// in the real VS Code extension host (require of the bundle, then activate()), over several fresh windows.
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultRow, Section } from './report';
import { formatBytes, median, ratio } from './stats';
import { ACTIVATION_MARKER, type ActivationReport } from './vscode/contract';
import { loadCodeServerModule, runSession } from './vscode/session';

const DIST = join(__dirname, '../../dist');
// extension.js is what activation loads; http.js (undici) and the parser's compressed WebAssembly beside it
// are loaded with the first request, yaml.js (the YAML parser) when a CI file is first parsed. All count.
const BUNDLES = ['extension.js', 'http.js', 'llhttp.wasm.br', 'yaml.js'];
const BUNDLE_GOAL_BYTES = 300_000;
const ACTIVATION_GOAL_MS = 20;
const ACTIVATION_RUNS = 5;

/** Expects dist/ from `npm run build:release` (bench/run.mjs builds it first). */
export async function runActivationBench(log: (line: string) => void): Promise<Section> {
  const sizes = await Promise.all(BUNDLES.map(async (name) => ({ name, bytes: (await stat(join(DIST, name))).size })));
  const bundleBytes = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
  const reports: ActivationReport[] = [];
  const failures: string[] = [];
  const codeServer = await loadCodeServerModule();
  for (let run = 1; run <= ACTIVATION_RUNS; run++) {
    log(`activation: VS Code window ${run} of ${ACTIVATION_RUNS}`);
    const runDir = await codeServer.createRunDir();
    const workspace = join(runDir, 'empty-folder');
    await mkdir(workspace, { recursive: true });
    const session = await runSession({ runDir, workspace, env: {}, testsModule: join(__dirname, 'vscode', 'activationHost.js'), timeoutMs: 120_000 });
    const line = session.output.find((text) => text.startsWith(ACTIVATION_MARKER));
    if (session.exitCode === 0 && line) reports.push(JSON.parse(line.slice(ACTIVATION_MARKER.length)) as ActivationReport);
    else failures.push(`window ${run} exited with ${session.exitCode}: ${session.output.slice(-3).join(' / ')}`);
  }
  const ours = reports.map((report) => report.requireMs + report.activateMs);
  const ms = (values: number[]) => values.map((value) => value.toFixed(1)).join(', ');
  const rows: ResultRow[] = [
    {
      measure: 'Bundle size, minified (npm run build:release): dist/extension.js, dist/http.js (undici) with its llhttp.wasm.br that it loads with the first request, and dist/yaml.js that it loads with the first CI file',
      ratio: `${ratio(bundleBytes, BUNDLE_GOAL_BYTES)} of the goal`,
      ours: `${bundleBytes.toLocaleString('en')} B (${formatBytes(bundleBytes)}): ${sizes.map(({ name, bytes }) => `${name} ${bytes.toLocaleString('en')} B`).join(' + ')}`,
      baseline: '300 KB goal',
      goal: '≤ 300 KB',
      met: bundleBytes <= BUNDLE_GOAL_BYTES,
    },
    {
      measure: `require + activate() in the extension host (median of ${reports.length})`,
      ratio: `${ratio(median(ours), ACTIVATION_GOAL_MS)} of the goal`,
      ours: reports.length ? `${median(ours).toFixed(1)} ms (require ${median(reports.map((report) => report.requireMs)).toFixed(1)}, activate ${median(reports.map((report) => report.activateMs)).toFixed(1)}; runs: ${ms(ours)})` : 'not measured',
      baseline: '20 ms goal',
      goal: '≤ 20 ms',
      met: reports.length > 0 && median(ours) <= ACTIVATION_GOAL_MS,
    },
    {
      measure: 'extension.activate() end to end, VS Code\'s part included (median)',
      ratio: 'n/a',
      ours: reports.length ? `${median(reports.map((report) => report.endToEndMs)).toFixed(1)} ms (runs: ${ms(reports.map((report) => report.endToEndMs))})` : 'not measured',
      baseline: 'context for the row above',
      goal: '',
    },
  ];
  return {
    title: 'Activation',
    method: `Bundle: the files' sizes after \`npm run build:release\`. Activation: ${ACTIVATION_RUNS} fresh windows of the real VS Code (code-server, headless Chromium) on an empty folder, where nothing activates the extension. A bench module in the extension host waits 4 s for the window's own start-up to settle, \`require\`s the bundle (timed), hands VS Code the same exports with \`activate\` timed, and calls \`extension.activate()\`. End to end is what test/vscode/activation.test.ts prints as \`ACTIVATION_MS\` (measured there right at start-up).`,
    rows,
    notes: failures.length ? failures : undefined,
  };
}
