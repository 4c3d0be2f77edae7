import * as vscode from 'vscode';
import { mcpNetworkEnvironment } from './network/mcpEnvironment';
import { Settings } from './settings';

/** Must match `contributes.mcpServerDefinitionProviders[].id` in package.json. */
export const MCP_PROVIDER_ID = 'gitlab-ci-lens.mcpServer';

export interface McpAccount {
  instanceUrl: string;
  token: string;
}

// VS Code 1.101 finalized the MCP provider API; the 1.100 typings this extension builds against lack it,
// so the few members used are declared here and looked up at run time.
type McpEnvironment = Record<string, string | number | null>;

interface McpStdioServerDefinition {
  readonly label: string;
  cwd?: vscode.Uri;
  command: string;
  args: string[];
  env: McpEnvironment;
  version?: string;
}

type McpStdioServerDefinitionConstructor = new (label: string, command: string, args?: string[], env?: McpEnvironment, version?: string) => McpStdioServerDefinition;

interface McpServerDefinitionProvider {
  onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): vscode.ProviderResult<McpStdioServerDefinition[]>;
  resolveMcpServerDefinition?(server: McpStdioServerDefinition, token: vscode.CancellationToken): vscode.ProviderResult<McpStdioServerDefinition>;
}

interface McpApi {
  register(id: string, provider: McpServerDefinitionProvider): vscode.Disposable;
  StdioDefinition: McpStdioServerDefinitionConstructor;
}

function findMcpApi(): McpApi | undefined {
  const lm = vscode.lm as typeof vscode.lm & { registerMcpServerDefinitionProvider?: (id: string, provider: McpServerDefinitionProvider) => vscode.Disposable };
  const StdioDefinition = (vscode as typeof vscode & { McpStdioServerDefinition?: McpStdioServerDefinitionConstructor }).McpStdioServerDefinition;
  const register = lm.registerMcpServerDefinitionProvider;
  if (typeof register !== 'function' || typeof StdioDefinition !== 'function') return undefined;
  return { register: (id, provider) => register.call(lm, id, provider), StdioDefinition };
}

/**
 * Offers the bundled MCP server (dist/mcp.js) to VS Code's agents, signed in as the extension's account.
 * It runs on the editor's own Node (its executable in Node mode), in the first workspace folder so that it
 * finds the project from the git remote. The token is handed over only when VS Code starts the server.
 * Does nothing on a VS Code without the API.
 */
export function registerMcpServerProvider(
  context: vscode.ExtensionContext,
  getAccount: () => Promise<McpAccount | undefined>,
  onDidChangeAccount: vscode.Event<void>,
  networkEnvironment: () => Record<string, string> = () => mcpNetworkEnvironment(new Settings()),
): void {
  const api = findMcpApi();
  if (api === undefined) return;

  const changed = new vscode.EventEmitter<void>();
  const version = (context.extension.packageJSON as { version?: unknown }).version;
  let registration: vscode.Disposable;
  try {
    registration = api.register(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      async provideMcpServerDefinitions() {
        const account = await getAccount();
        if (account === undefined) return [];
        const env: McpEnvironment = { ELECTRON_RUN_AS_NODE: '1', GITLAB_URL: account.instanceUrl };
        const definition = new api.StdioDefinition(
          vscode.l10n.t('GitLab CI ({0})', new URL(account.instanceUrl).host),
          process.execPath,
          [context.asAbsolutePath('dist/mcp.js')],
          env,
          typeof version === 'string' ? version : undefined,
        );
        definition.cwd = vscode.workspace.workspaceFolders?.[0]?.uri;
        return [definition];
      },
      async resolveMcpServerDefinition(server) {
        const account = await getAccount();
        if (account === undefined) throw new Error('Sign in to GitLab in GitLab CI Lens before starting its MCP server.');
        server.env = { ...server.env, ...networkEnvironment(), GITLAB_URL: account.instanceUrl, GITLAB_TOKEN: account.token };
        return server;
      },
    });
  } catch {
    // VS Code 1.100 has the API under its proposal's contribution point (contributes.modelContextServerCollections,
    // declared too); should a version refuse both, there is no MCP there and the rest of activation goes on.
    changed.dispose();
    return;
  }
  context.subscriptions.push(
    changed,
    registration,
    onDidChangeAccount(() => changed.fire()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
  );
}
