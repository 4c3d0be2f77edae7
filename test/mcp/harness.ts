// Runs the real server (tsc output) over stdio with the SDK's own client, against the fake GitLab.
// Every answer and all of stderr are checked for secrets as they arrive, so no test can forget to.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { type FakeGitLab, type FakeGitLabOptions, startFakeGitLab } from '../fake-gitlab';

export const execFileAsync = promisify(execFile);

/** out/test/mcp → the repository root. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const SERVER_ENTRY = join(REPO_ROOT, 'out', 'src', 'mcp', 'main.js');
/** The bundle users run (`npm run build`). */
export const BUNDLED_SERVER = join(REPO_ROOT, 'dist', 'mcp.js');
export const DEMO_PROJECT = 'demo-group/demo-app';

export interface ToolAnswer {
  isError: boolean;
  /** All text blocks, joined. */
  text: string;
  /** structuredContent: the JSON answer (or `{ error }` for a failure). */
  data: Record<string, unknown>;
}

export interface ProgressReport {
  progress: number;
  total?: number;
  message?: string;
}

export interface McpSession {
  client: Client;
  /** Calls a tool; with `progress`, asks for progress notifications and collects them there. */
  call(name: string, args?: Record<string, unknown>, progress?: ProgressReport[]): Promise<ToolAnswer>;
  stderr(): string;
  close(): Promise<void>;
}

export interface SessionOptions {
  env: Record<string, string>;
  args?: string[];
  cwd?: string;
  /** Strings no answer and no stderr line may contain. */
  secrets: readonly string[];
  /** The server's script; default the tsc output. */
  entry?: string;
}

export async function startSession(options: SessionOptions): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [options.entry ?? SERVER_ENTRY, ...(options.args ?? [])],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...options.env },
    cwd: options.cwd ?? tmpdir(),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'mcp-tests', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    async call(name, args = {}, progress) {
      const onprogress = progress && ((report: ProgressReport) => void progress.push(report));
      const answer = await client.callTool({ name, arguments: args }, CallToolResultSchema, onprogress ? { onprogress } : {});
      const result: CallToolResult = CallToolResultSchema.parse(answer);
      assertNoSecrets(JSON.stringify(result), options.secrets, `the answer of ${name}`);
      const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
      return { isError: result.isError === true, text, data: result.structuredContent ?? {} };
    },
    stderr: () => stderr,
    async close() {
      await client.close();
      assertNoSecrets(stderr, options.secrets, 'the server\'s stderr');
    },
  };
}

/** The usual session: the maintainer's token, the demo project named explicitly. */
export function startDemoSession(gitlab: FakeGitLab, token = gitlab.tokens.maintainer, env: Record<string, string> = {}, entry?: string): Promise<McpSession> {
  return startSession({
    env: { GITLAB_URL: gitlab.url, GITLAB_TOKEN: token, GITLAB_PROJECT: DEMO_PROJECT, ...env },
    secrets: allUserTokens(gitlab),
    entry,
  });
}

export interface DemoGitLab {
  gitlab: FakeGitLab;
  session: McpSession;
}

/** What most suites run against: a fake GitLab and the usual session on it (`entry`: the server's script). */
export async function startDemoGitLab(options: FakeGitLabOptions = {}, entry?: string): Promise<DemoGitLab> {
  const gitlab = await startFakeGitLab(options);
  try {
    return { gitlab, session: await startDemoSession(gitlab, gitlab.tokens.maintainer, {}, entry) };
  } catch (error) {
    await gitlab.close(); // the suite never got it to close
    throw error;
  }
}

/** Closes what startDemoGitLab started, the session first (its close checks the server's stderr); either may be missing when `before` failed. */
export async function closeDemoGitLab(session: McpSession | undefined, gitlab: FakeGitLab | undefined): Promise<void> {
  await session?.close();
  await gitlab?.close();
}

/** The tokens a user or runner holds (job tokens are meant to be handed out by request-job). */
export function allUserTokens(gitlab: FakeGitLab): string[] {
  return Object.values(gitlab.tokens);
}

export function assertNoSecrets(text: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) {
    assert.ok(!text.includes(secret) && !text.includes(encodeURIComponent(secret)), `${where} contains a token`);
  }
}

export function ok(answer: ToolAnswer): Record<string, unknown> {
  assert.equal(answer.isError, false, `expected success, got: ${answer.text}`);
  return answer.data;
}

export function failed(answer: ToolAnswer): string {
  assert.equal(answer.isError, true, `expected a tool error, got: ${answer.text}`);
  return answer.text;
}
