import type { GitLabClientOptions } from '../client';
import { type TrustOptions, loadTrustedCertificates } from './certificates';
import { type ProxyOptions, normalizeProxyUrl, proxyFromEnvironment } from './proxy';

export interface NetworkSettings {
  /** One proxy for every target (VS Code's `http.proxy`); wins over the environment's. */
  proxy?: string;
  /** Hosts reached directly besides the environment's NO_PROXY (VS Code's `http.noProxy`). */
  noProxy?: readonly string[];
  /** A whole Proxy-Authorization value (VS Code's `http.proxyAuthorization`). */
  proxyAuthorization?: string;
  /** VS Code's `http.proxyStrictSSL` (default true). */
  proxyStrictSsl?: boolean;
  /** `false` accepts any certificate (`gitlabCiLens.tls.ignoreCertificateErrors`). */
  rejectUnauthorized?: boolean;
  trust?: Omit<TrustOptions, 'env'>;
}

/**
 * What a client needs to get through this network: the proxy (settings first, then HTTPS_PROXY / HTTP_PROXY
 * / NO_PROXY in either case) and the CAs (bundled, system, NODE_EXTRA_CA_CERTS, the user's file). Throws a
 * ProxyConfigError or CertificateFileError whose message says which setting to fix.
 */
export async function resolveNetwork(settings: NetworkSettings, env: NodeJS.ProcessEnv): Promise<Pick<GitLabClientOptions, 'tls' | 'proxy'>> {
  const fromEnvironment = proxyFromEnvironment(env);
  const settingProxy = settings.proxy?.trim() || undefined;
  const check = (url: string | undefined, source: string) => (url === undefined ? undefined : normalizeProxyUrl(url, source).href);
  const proxy: ProxyOptions = settingProxy
    ? { httpsProxy: check(settingProxy, 'http.proxy'), httpProxy: check(settingProxy, 'http.proxy') }
    : { httpsProxy: check(fromEnvironment.httpsProxy, 'HTTPS_PROXY'), httpProxy: check(fromEnvironment.httpProxy, 'HTTP_PROXY') };
  proxy.noProxy = [...(settings.noProxy ?? []), ...(fromEnvironment.noProxy ?? [])];
  proxy.authorization = settings.proxyAuthorization?.trim() || undefined;
  proxy.strictSsl = settings.proxyStrictSsl ?? true;
  const ca = await loadTrustedCertificates({ ...settings.trust, env });
  return { tls: { ca, rejectUnauthorized: settings.rejectUnauthorized ?? true }, proxy };
}

export { CertificateFileError, loadTrustedCertificates, type TrustOptions } from './certificates';
export { ProxyConfigError, type ProxyOptions } from './proxy';
