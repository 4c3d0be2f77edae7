import type { GitLabClientOptions } from '../../gitlab';
import { GitLabError } from '../../gitlab/errors';
import { CertificateFileError, ProxyConfigError, resolveNetwork } from '../../gitlab/network';

/** The settings a client's network depends on (Settings has them; a narrow view keeps this file free of it). */
export interface NetworkSettingsSource {
  readonly caFile: string;
  readonly ignoreCertificateErrors: boolean;
  readonly httpProxy: string | undefined;
  readonly httpNoProxy: string[];
  readonly httpProxyAuthorization: string | undefined;
  readonly httpProxyStrictSsl: boolean;
  readonly httpSystemCertificates: boolean;
}

/**
 * The CAs and proxy for a client, as VS Code itself connects: its `http.*` settings, then the extension
 * host's HTTPS_PROXY / NO_PROXY, the system's CAs and gitlabCiLens.tls.caFile. A setting that cannot work
 * becomes a GitLabError that names it.
 */
export async function clientNetwork(settings: NetworkSettingsSource, env: NodeJS.ProcessEnv = process.env): Promise<Pick<GitLabClientOptions, 'tls' | 'proxy'>> {
  try {
    return await resolveNetwork(
      {
        proxy: settings.httpProxy,
        noProxy: settings.httpNoProxy,
        proxyAuthorization: settings.httpProxyAuthorization,
        proxyStrictSsl: settings.httpProxyStrictSsl,
        rejectUnauthorized: !settings.ignoreCertificateErrors,
        trust: {
          systemCertificates: settings.httpSystemCertificates,
          caFile: settings.caFile ? { path: settings.caFile, source: 'the setting gitlabCiLens.tls.caFile' } : undefined,
        },
      },
      env,
    );
  } catch (error) {
    if (error instanceof ProxyConfigError || error instanceof CertificateFileError) throw new GitLabError('network', 'network settings', error.message, { cause: error, advice: error.message });
    throw error;
  }
}
