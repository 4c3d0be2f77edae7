// Bundles the extension (and the MCP server) with esbuild. Type-checking is `npm run typecheck`.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entryPoints = { extension: 'src/extension.ts' };
if (existsSync('src/mcp/main.ts')) entryPoints.mcp = 'src/mcp/main.ts';

/**
 * Two modules undici loads lazily, left out of the bundle (145 KB of about 250): the SIMD build of its HTTP
 * parser (undici falls back to the plain build, which every platform runs, when loading it fails) and
 * fetch's body machinery, which it needs only for FormData request bodies — the client sends none
 * (src/gitlab/multipart.ts streams its uploads).
 */
const leaveOutOfUndici = {
  name: 'leave-out-of-undici',
  setup(build) {
    build.onResolve({ filter: /\/(llhttp_simd-wasm|web\/fetch\/body)\.js$/ }, ({ path, importer }) =>
      importer.includes('/node_modules/undici/') ? { path, namespace: 'left-out' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, ({ path }) => ({
      contents: `throw new Error(${JSON.stringify(`${path} is not bundled (scripts/build.mjs)`)});`,
      loader: 'js',
    }));
  },
};

const options = {
  entryPoints,
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  plugins: [leaveOutOfUndici],
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  const result = await esbuild.build(options);
  for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) console.log(`${file}: ${(bytes / 1024).toFixed(1)} KB`);
  }
}
