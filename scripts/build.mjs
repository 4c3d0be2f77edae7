// Bundles the extension (and the MCP server) with esbuild. Type-checking is `npm run typecheck`.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entryPoints = { extension: 'src/extension.ts' };
if (existsSync('src/mcp/main.ts')) entryPoints.mcp = 'src/mcp/main.ts';

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
