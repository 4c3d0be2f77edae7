import type { NetworkSettingsSource } from './clientNetwork';

/**
 * VS Code's network settings as the environment of the MCP server VS Code starts, so that it gets through
 * as the extension does: http.proxy (both cases of each variable, since the lower-case one wins and may be
 * inherited), http.noProxy added to NO_PROXY, and gitlabCiLens.tls.caFile as NODE_EXTRA_CA_CERTS. The
 * system's CAs the server reads itself. http.proxyAuthorization has no variable: the proxy URL's
 * credentials do instead.
 */
export function mcpNetworkEnvironment(settings: Pick<NetworkSettingsSource, 'caFile' | 'httpProxy' | 'httpNoProxy'>, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const result: Record<string, string> = {};
  const set = (name: string, value: string) => {
    result[name] = value;
    result[name.toLowerCase()] = value;
  };
  if (settings.httpProxy) {
    set('HTTPS_PROXY', settings.httpProxy);
    set('HTTP_PROXY', settings.httpProxy);
  }
  const inherited = env.no_proxy ?? env.NO_PROXY;
  if (settings.httpNoProxy.length > 0) set('NO_PROXY', [...settings.httpNoProxy, ...(inherited ? [inherited] : [])].join(','));
  if (settings.caFile) result.NODE_EXTRA_CA_CERTS = settings.caFile;
  return result;
}
