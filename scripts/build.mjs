// Bundles the extension (and the MCP server) with esbuild. Type-checking is `npm run typecheck`.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// http: undici, which the client requires from beside itself with its first request (src/gitlab/http.ts),
// kept out of the other bundles so that activation does not compile it.
// yaml: the YAML parser, which the CI-file features require from beside themselves when a CI file is first
// parsed (src/gitlab/ciConfig/yamlLib.ts), kept out for the same reason.
const entryPoints = { extension: 'src/extension.ts', http: 'src/gitlab/http.ts', yaml: 'src/gitlab/ciConfig/yaml.ts' };
if (existsSync('src/mcp/main.ts')) entryPoints.mcp = 'src/mcp/main.ts';

/**
 * undici as the client uses it (HTTP/1.1 through Agent and ProxyAgent), about 110 KB smaller:
 * - left out, as nothing here loads them: the SIMD build of its HTTP parser (undici falls back to the plain
 *   build, which runs everywhere, when loading it fails); fetch's body code, needed only for FormData request
 *   bodies (src/gitlab/multipart.ts streams uploads instead); HTTP/2, used only with `allowH2`, never set;
 *   SOCKS proxies, which the client refuses (it tunnels through http(s) proxies only).
 * - the plain parser's WebAssembly, 72 KB of base64, stored brotli-compressed as a binary file beside the
 *   bundles (dist/llhttp.wasm.br, about 15 KB; as base64 inside the bundle it took 20 KB), read and unpacked in
 *   under a millisecond on the first connection, when undici first loads it.
 */
const require = createRequire(import.meta.url);
const WASM_FILE = 'llhttp.wasm.br';
const undiciFile = /\/node_modules\/undici\/lib\/(llhttp\/llhttp_simd-wasm|web\/fetch\/body|dispatcher\/client-h2|dispatcher\/socks5-proxy-agent|llhttp\/llhttp-wasm)\.js$/;
const slimUndici = {
  name: 'slim-undici',
  setup(build) {
    build.onLoad({ filter: undiciFile }, ({ path }) => {
      if (path.endsWith('llhttp-wasm.js')) {
        const packed = brotliCompressSync(require(path), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } });
        mkdirSync('dist', { recursive: true });
        writeFileSync(`dist/${WASM_FILE}`, packed);
        return {
          contents: `module.exports = require('node:zlib').brotliDecompressSync(require('node:fs').readFileSync(require('node:path').join(__dirname, '${WASM_FILE}')));`,
          loader: 'js',
        };
      }
      const refusal = `throw new Error(${JSON.stringify(`${path.slice(path.indexOf('undici/'))} is not bundled (scripts/build.mjs)`)});`;
      // client.js loads the HTTP/2 module up front and calls it only for a connection that negotiated h2;
      // proxy-agent.js its SOCKS one, used only for socks:// proxies (src/gitlab/network/proxy.ts refuses them).
      const loadedUpFront = path.endsWith('client-h2.js') || path.endsWith('socks5-proxy-agent.js');
      return { contents: loadedUpFront ? `module.exports = function () { ${refusal} };` : refusal, loader: 'js' };
    });
  },
};

/**
 * `import * as vscode from 'vscode'` in each of some 45 files would each copy the whole API object into a
 * namespace of its own at load (esbuild's interop for an external CommonJS module): about 8 ms of
 * activation in the extension host. Importing it through one ES module copies it once.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, ({ namespace }) =>
      namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
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
  // Non-ASCII text (…, ·, —) as itself, not as \uXXXX escapes: about 1 % of the bundle, and Node reads UTF-8.
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
  plugins: [slimUndici, vscodeOnce],
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
