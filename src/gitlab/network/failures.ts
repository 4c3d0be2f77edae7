/** A proxy answered the CONNECT for `target` with something other than 200. */
export class ProxyRefusedError extends Error {
  override readonly name = 'ProxyRefusedError';

  constructor(
    readonly status: number,
    /** The proxy's address, without credentials. */
    readonly proxy: string,
    /** host:port the tunnel was asked for. */
    readonly target: string,
  ) {
    super(`the proxy at ${proxy} answered ${status} to CONNECT ${target}`);
  }
}

// OpenSSL's verdicts for a chain that ends at a CA nobody here trusts.
const UNKNOWN_CA_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);
const CA_ADVICE = 'add the CA to the system store or set gitlabCiLens.tls.caFile (the MCP server: SSL_CERT_FILE or NODE_EXTRA_CA_CERTS)';

/** What went wrong on the way (proxy, certificate, name lookup) in words that say what to do; else undefined. */
export function describeNetworkFailure(cause: unknown, code: string | undefined): string | undefined {
  const refusal = findInChain(cause, (error): error is ProxyRefusedError => error instanceof ProxyRefusedError);
  if (refusal) {
    if (refusal.status === 407) {
      return `the proxy at ${refusal.proxy} asks for credentials (407): set http.proxyAuthorization, or put them in the proxy URL (http.proxy or HTTPS_PROXY).`;
    }
    return `the proxy at ${refusal.proxy} refused the tunnel to ${refusal.target} (${refusal.status}): check the proxy's rules, or list the host in http.noProxy / NO_PROXY if it is reached directly.`;
  }
  if (code === undefined) return undefined;
  if (UNKNOWN_CA_CODES.has(code)) return `the server's certificate is signed by an unknown certificate authority (${code}): ${CA_ADVICE}.`;
  if (code === 'CERT_HAS_EXPIRED') return `the server's certificate has expired (${code}): ask its administrators to renew it.`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the server's certificate is for another host name (${code}): check the URL.`;
  if (code === 'ECONNREFUSED') {
    const endpoint = findInChain(cause, (error): error is { address: string; port: number } => typeof (error as { address?: unknown }).address === 'string');
    const where = endpoint ? ` at ${endpoint.address}:${endpoint.port}` : '';
    return `nothing accepts connections${where} (${code}): check the URL, or the proxy (http.proxy / HTTPS_PROXY) if that is its address.`;
  }
  if (code === 'ENOTFOUND') {
    const host = findInChain(cause, (error): error is { hostname: string } => typeof (error as { hostname?: unknown }).hostname === 'string');
    return `no such host${host ? ` ${host.hostname}` : ''} (${code}): check the URL, or set http.proxy / HTTPS_PROXY if this network reaches GitLab only through a proxy.`;
  }
  return undefined;
}

function findInChain<T>(cause: unknown, test: (error: object) => error is T & object): T | undefined {
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    if (test(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
