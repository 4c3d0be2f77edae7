import * as vscode from 'vscode';
import { GitLab, type GitLabClientOptions } from '../gitlab';
import { GitLabHttpError } from '../gitlab/errors';
import { describeRoute } from '../gitlab/network/proxy';
import type { Logger } from './log';
import { clientNetwork } from './network/clientNetwork';
import type { Settings } from './settings';

/** A signed-in instance. The token itself lives only in SecretStorage. */
export interface Account {
  instanceUrl: string;
  username: string;
  name: string;
  /** False when the token only reads (`read_api`): actions are then refused up front. */
  canWrite: boolean;
}

const ACCOUNTS_KEY = 'gitlabCiLens.accounts';
/**
 * The sign-in check: one attempt of at most 15 s per request. A port that accepts but never answers then
 * fails in seconds, not after every retry of the usual 30 s timeout (about two minutes).
 */
const CHECK_LIMITS: Pick<GitLabClientOptions, 'timeoutMs' | 'retry'> = { timeoutMs: 15_000, retry: { maxAttempts: 1 } };
const TOKEN_PREFIX = 'gitlabCiLens.token:';

/** `gitlab.example.com/` → `https://gitlab.example.com`; keeps a relative URL root (`/gitlab`). */
export function normalizeInstanceUrl(input: string): string {
  const text = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${input} is not an http(s) URL`);
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

/** Signed-in instances: list, add (checked against GitLab), remove, and a shared client for each. */
export class Accounts implements vscode.Disposable {
  private readonly clients = new Map<string, Promise<GitLab | undefined>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly settings: Settings,
    private readonly log: Logger,
  ) {
    // Another window added or removed a token: drop our client so the next request uses the new one.
    this.disposables.push(
      context.secrets.onDidChange((event) => {
        if (!event.key.startsWith(TOKEN_PREFIX)) return;
        this.clients.delete(event.key.slice(TOKEN_PREFIX.length));
        this.changed.fire();
      }),
      settings.onDidChange(() => {
        this.clients.clear();
        this.changed.fire();
      }),
    );
  }

  list(): Account[] {
    return this.context.globalState.get<Account[]>(ACCOUNTS_KEY, []);
  }

  find(instanceUrl: string): Account | undefined {
    return this.list().find((account) => account.instanceUrl === instanceUrl);
  }

  /** Checks the token against the instance (who it is, whether it may write), then stores it. */
  async add(instanceUrlInput: string, token: string, signal?: AbortSignal): Promise<Account> {
    const instanceUrl = normalizeInstanceUrl(instanceUrlInput);
    const gitlab = await this.createClient(instanceUrl, token.trim(), CHECK_LIMITS);
    const user = await gitlab.account.currentUser(signal);
    const account: Account = { instanceUrl, username: user.username, name: user.name, canWrite: await this.tokenCanWrite(gitlab, signal) };
    await this.context.secrets.store(TOKEN_PREFIX + instanceUrl, token.trim());
    await this.context.globalState.update(ACCOUNTS_KEY, [...this.list().filter((known) => known.instanceUrl !== instanceUrl), account]);
    this.clients.delete(instanceUrl);
    this.log.info(`Signed in to ${instanceUrl} as @${account.username}${account.canWrite ? '' : ' (read-only token)'}`);
    this.changed.fire();
    return account;
  }

  async remove(instanceUrl: string): Promise<void> {
    await this.context.secrets.delete(TOKEN_PREFIX + instanceUrl);
    await this.context.globalState.update(ACCOUNTS_KEY, this.list().filter((account) => account.instanceUrl !== instanceUrl));
    this.clients.delete(instanceUrl);
    this.log.info(`Signed out of ${instanceUrl}`);
    this.changed.fire();
  }

  /** The shared client for an instance, or `undefined` when nobody is signed in there. */
  gitlabFor(instanceUrl: string): Promise<GitLab | undefined> {
    const cached = this.clients.get(instanceUrl);
    if (cached) return cached;
    const client = Promise.resolve(this.context.secrets.get(TOKEN_PREFIX + instanceUrl)).then((token) =>
      token ? this.createClient(instanceUrl, token) : undefined,
    );
    this.clients.set(instanceUrl, client);
    return client;
  }

  /** For the MCP server definition: the instance and token of the first account. */
  async firstAccountCredentials(): Promise<{ instanceUrl: string; token: string } | undefined> {
    for (const account of this.list()) {
      const token = await this.context.secrets.get(TOKEN_PREFIX + account.instanceUrl);
      if (token) return { instanceUrl: account.instanceUrl, token };
    }
    return undefined;
  }

  private async tokenCanWrite(gitlab: GitLab, signal?: AbortSignal): Promise<boolean> {
    try {
      const info = await gitlab.account.tokenInfo(signal);
      return info.scopes.includes('api');
    } catch (error) {
      // OAuth tokens and older GitLab have no /personal_access_tokens/self: assume it may write, GitLab will say if not.
      if (error instanceof GitLabHttpError && (error.status === 404 || error.status === 401 || error.status === 403)) return true;
      throw error;
    }
  }

  private async createClient(instanceUrl: string, token: string, limits: Pick<GitLabClientOptions, 'timeoutMs' | 'retry'> = {}): Promise<GitLab> {
    const network = await clientNetwork(this.settings);
    this.log.debug(`${instanceUrl}: reached ${describeRoute(instanceUrl, network.proxy)}`);
    return new GitLab({
      instanceUrl,
      token,
      ...network,
      ...limits,
      userAgent: `gitlab-ci-lens/${(this.context.extension.packageJSON as { version: string }).version}`,
      onEvent: (event) => {
        const outcome = event.error ? `failed (${event.error.reason})` : String(event.status);
        this.log.debug(`${event.operation} → ${outcome} in ${event.ms} ms${event.retryInMs !== undefined ? `, retrying in ${event.retryInMs} ms` : ''}`);
      },
    });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
