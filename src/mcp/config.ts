import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { GitLabClientOptions, ProjectRef } from '../gitlab';
import { CertificateFileError, ProxyConfigError, resolveNetwork } from '../gitlab/network';
import { parseGitRemote, resolveProject } from '../gitlab/remote';

const execFileAsync = promisify(execFile);

export interface ServerConfig {
  instanceUrl: string;
  /** Absent: runner-side tools (runner and job tokens) still work; the others answer 401 with advice. */
  token?: string;
  /** The project tools act on when the caller names none. */
  defaultProject?: ProjectRef;
  /** Where `defaultProject` came from, for the startup line on stderr. */
  projectSource?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const USAGE = `Usage: node dist/mcp.js [--url <gitlab url>] [--project <id or group/project>]

Environment:
  GITLAB_URL      the GitLab instance, e.g. https://gitlab.com (or --url)
  GITLAB_TOKEN    a personal, project or group access token (api scope; read_api for read-only use)
  GITLAB_PROJECT  the default project (or --project)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY (either case)
                  the proxy, credentials in its URL (http://user:password@proxy:8080), hosts to reach directly
  SSL_CERT_FILE, SSL_CERT_DIR, NODE_EXTRA_CA_CERTS
                  certificate authorities to trust besides Node's and the system's (a private GitLab's CA)

The token is read from the environment only: a command line is visible to every user of the machine.
Without a URL or project, both are taken from the git remotes of the working directory.`;

interface Arguments {
  url?: string;
  project?: string;
}

/** `--url X`, `--url=X`, `--project X`; a token on the command line is refused, never used. */
export function parseArguments(argv: readonly string[]): Arguments {
  const result: Arguments = {};
  for (let index = 0; index < argv.length; index++) {
    const [flag, inlineValue] = argv[index].split(/=(.*)/s, 2);
    if (flag === '--token' || flag === '--private-token') {
      throw new ConfigError('Refusing a token on the command line (other users can read it there): set GITLAB_TOKEN in the environment instead.');
    }
    if (flag !== '--url' && flag !== '--project') throw new ConfigError(`Unknown argument ${JSON.stringify(flag)}.\n\n${USAGE}`);
    const value = inlineValue ?? argv[++index];
    if (!value) throw new ConfigError(`${flag} needs a value.\n\n${USAGE}`);
    result[flag === '--url' ? 'url' : 'project'] = value;
  }
  return result;
}

/**
 * Arguments win over the environment; what neither gives comes from the git remotes of `cwd`
 * (`origin` first): the instance when no URL was given, the project when it lives on that instance.
 */
export async function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<ServerConfig> {
  const args = parseArguments(argv);
  const explicitUrl = args.url ?? nonEmpty(env.GITLAB_URL);
  const explicitProject = args.project ?? nonEmpty(env.GITLAB_PROJECT);
  const token = nonEmpty(env.GITLAB_TOKEN);

  if (explicitUrl !== undefined && !isHttpUrl(explicitUrl)) {
    throw new ConfigError(`GITLAB_URL ${JSON.stringify(explicitUrl)} is not a URL (expected e.g. https://gitlab.com).`);
  }
  if (explicitUrl !== undefined && hasCredentials(explicitUrl)) {
    throw new ConfigError('GITLAB_URL must not carry a user or password (it is logged and shown): put the token in GITLAB_TOKEN.');
  }
  const detected = explicitProject === undefined || explicitUrl === undefined ? await detectFromGitRemotes(cwd, explicitUrl) : undefined;
  const instanceUrl = explicitUrl ?? detected?.instanceUrl;
  if (instanceUrl === undefined) {
    throw new ConfigError(`No GitLab instance: set GITLAB_URL (or --url), or start the server in a git checkout whose remote is on GitLab.\n\n${USAGE}`);
  }
  if (explicitProject !== undefined) {
    return { instanceUrl, token, defaultProject: toProjectRef(explicitProject), projectSource: args.project ? '--project' : 'GITLAB_PROJECT' };
  }
  return { instanceUrl, token, defaultProject: detected?.projectPath, projectSource: detected && `git remote ${detected.remoteName}` };
}

/** `42` names a project by id, anything else by its full path. */
export function toProjectRef(value: string | number): ProjectRef {
  if (typeof value === 'number') return value;
  return /^\d+$/.test(value) ? Number(value) : value.replace(/^\/+|\/+$/g, '');
}

interface DetectedProject {
  instanceUrl: string;
  projectPath: string;
  remoteName: string;
}

/** The first remote (origin first) on the given instance, or on any host when no instance is known. */
async function detectFromGitRemotes(cwd: string, instanceUrl: string | undefined): Promise<DetectedProject | undefined> {
  const names = await git(cwd, ['remote']);
  if (names === undefined) return undefined;
  const ordered = names.split('\n').map((name) => name.trim()).filter(Boolean).sort((a, b) => Number(b === 'origin') - Number(a === 'origin'));
  for (const remoteName of ordered) {
    const url = await git(cwd, ['remote', 'get-url', remoteName]);
    const remote = url === undefined ? undefined : parseGitRemote(url);
    if (!remote) continue;
    const resolved = resolveProject(remote, instanceUrl === undefined ? [] : [instanceUrl]);
    // resolveProject falls back to the remote's own host: only a remote on our instance names our project.
    if (resolved && (instanceUrl === undefined || sameInstance(resolved.instanceUrl, instanceUrl))) return { ...resolved, remoteName };
  }
  return undefined;
}

function sameInstance(a: string, b: string): boolean {
  const normalize = (url: string) => new URL(url).href.replace(/\/+$/, '');
  return normalize(a) === normalize(b);
}

/** Trimmed stdout, or undefined when git is missing or `cwd` is not a repository. */
async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('git', args, { cwd, timeout: 10_000, windowsHide: true });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}

function hasCredentials(url: string): boolean {
  const { username, password } = new URL(url);
  return username !== '' || password !== '';
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The proxy and CAs the environment gives (as for the extension, without VS Code's settings). */
export async function loadNetwork(env: NodeJS.ProcessEnv): Promise<Pick<GitLabClientOptions, 'tls' | 'proxy'>> {
  try {
    return await resolveNetwork({}, env);
  } catch (error) {
    if (error instanceof ProxyConfigError || error instanceof CertificateFileError) throw new ConfigError(error.message);
    throw error;
  }
}
