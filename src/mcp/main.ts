// The stdio MCP server: `GITLAB_URL=... GITLAB_TOKEN=... node dist/mcp.js [--url URL] [--project PATH]`.
// stdout carries the protocol only; everything for humans goes to stderr, scrubbed of the token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { GitLab } from '../gitlab';
import { TraceCapabilities } from '../gitlab/trace/capabilities';
import { describeRoute } from '../gitlab/network/proxy';
import { ConfigError, USAGE, loadConfig, loadNetwork } from './config';
import { scrubText } from './output';
import { SERVER_NAME, SERVER_VERSION, createServer } from './server';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(USAGE + '\n');
    return;
  }
  const config = await loadConfig(argv, process.env, process.cwd());
  const secrets = config.token === undefined ? [] : [config.token];
  const log = (message: string) => process.stderr.write(scrubText(`${SERVER_NAME} MCP: ${message}\n`, secrets));

  // Archives downloaded only to list them live as long as this process.
  const cacheDirectory = mkdtempSync(join(tmpdir(), 'gitlab-mcp-cache-'));
  const removeCache = () => rmSync(cacheDirectory, { recursive: true, force: true });
  process.once('exit', removeCache);

  const network = await loadNetwork(process.env);
  const gitlab = new GitLab({ instanceUrl: config.instanceUrl, token: config.token, ...network, userAgent: `${SERVER_NAME}-mcp/${SERVER_VERSION}` });
  const server = createServer({ gitlab, defaultProject: config.defaultProject, secrets, cacheDirectory, traceCapabilities: new TraceCapabilities() });

  const transport = new StdioServerTransport();
  await server.connect(transport);
  // The client closing our stdin is the end of the session; pooled connections must not keep us alive.
  const shutdown = () => void server.close().finally(() => process.exit(0));
  process.stdin.once('end', shutdown);
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  const project = config.defaultProject === undefined ? 'no default project (pass project_id)' : `project ${config.defaultProject} (from ${config.projectSource})`;
  log(`serving ${config.instanceUrl} (${describeRoute(config.instanceUrl, network.proxy)}), ${project}`);
  if (config.token === undefined) log('GITLAB_TOKEN is not set: only the runner-side tools (runner and job tokens) will work.');
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  const token = process.env.GITLAB_TOKEN;
  process.stderr.write(scrubText(`${SERVER_NAME} MCP: ${message}\n`, token ? [token] : []));
  process.exit(error instanceof ConfigError ? 2 : 1);
});
