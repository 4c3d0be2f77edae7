import { isIP } from 'node:net';

/** Which proxy a request takes, as VS Code's `http.*` settings or the `*_PROXY` variables say. */
export interface ProxyOptions {
  /** For https targets (`HTTPS_PROXY`, or `http.proxy`). */
  httpsProxy?: string;
  /** For plain-http targets (`HTTP_PROXY`, or `http.proxy`). */
  httpProxy?: string;
  /** Hosts reached directly: `host`, `.suffix` or `*.suffix`, `host:port`, an IPv4 CIDR, or `*` for all. */
  noProxy?: readonly string[];
  /** A whole `Proxy-Authorization` value (VS Code's `http.proxyAuthorization`); else the proxy URL's user and password. */
  authorization?: string;
  /** `false` (VS Code's `http.proxyStrictSSL`): servers reached through a proxy are not checked against the CAs. */
  strictSsl?: boolean;
}

export class ProxyConfigError extends Error {
  override readonly name = 'ProxyConfigError';
}

/**
 * `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, either case (lower case first, as curl reads them). An empty
 * value means none, so a user can switch a proxy off for one program.
 */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv): ProxyOptions {
  const read = (name: string) => (env[name.toLowerCase()] ?? env[name])?.trim() || undefined;
  const httpProxy = read('HTTP_PROXY');
  return { httpsProxy: read('HTTPS_PROXY') ?? httpProxy, httpProxy, noProxy: parseNoProxy(read('NO_PROXY') ?? '') };
}

/** `NO_PROXY`'s comma- or space-separated list. */
export function parseNoProxy(text: string): string[] {
  return text.split(/[,\s]+/).map((entry) => entry.trim()).filter(Boolean);
}

/**
 * A proxy setting as a URL: `host:port` alone means `http://host:port`, as curl and VS Code take it. Refuses
 * what undici cannot tunnel through, without echoing the value (it may hold a password).
 */
export function normalizeProxyUrl(value: string, source: string): URL {
  const text = value.includes('://') ? value : `http://${value}`;
  if (!URL.canParse(text)) throw new ProxyConfigError(`The proxy in ${source} is not a URL: write it as http://proxy.example.com:8080.`);
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(`The proxy in ${source} uses ${url.protocol.slice(0, -1)}, which is not supported: use an http:// or https:// proxy.`);
  }
  return url;
}

/** The proxy URL for `target`, or undefined to connect directly. */
export function proxyFor(target: URL, options: ProxyOptions): string | undefined {
  const proxy = target.protocol === 'https:' ? options.httpsProxy : options.httpProxy;
  if (!proxy) return undefined;
  return bypassesProxy(target, options.noProxy ?? []) ? undefined : proxy;
}

/** The proxy's address without credentials, for messages and logs. */
export function describeProxy(proxyUrl: string | URL): string {
  const url = new URL(proxyUrl);
  return `${url.protocol}//${url.host}`;
}

/** How a client reaches `instanceUrl`, for a log line: directly, or through which proxy (never its credentials). */
export function describeRoute(instanceUrl: string, options: ProxyOptions = {}): string {
  const target = new URL(instanceUrl);
  const configured = target.protocol === 'https:' ? options.httpsProxy : options.httpProxy;
  if (!configured) return 'directly';
  const proxy = proxyFor(target, options);
  return proxy ? `through the proxy at ${describeProxy(proxy)}` : 'directly (NO_PROXY)';
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

export function bypassesProxy(target: URL, noProxy: readonly string[]): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = Number(target.port) || DEFAULT_PORTS[target.protocol] || 0;
  return noProxy.some((rawEntry) => {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === '*') return true;
    if (entry.includes('/')) return inCidr(host, entry);
    // A bare IPv6 address has colons of its own: only `[addr]:port` or `host:port` carry a port.
    const match = isIP(entry) === 6 ? undefined : /^\[?(.*?)\]?(?::(\d+))?$/.exec(entry);
    const entryHost = (match?.[1] ?? entry).replace(/^\*?\./, '');
    if (match?.[2] !== undefined && Number(match[2]) !== port) return false;
    return entryHost !== '' && (host === entryHost || host.endsWith(`.${entryHost}`));
  });
}

function inCidr(host: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (isIP(host) !== 4 || isIP(base) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((ipv4ToNumber(host) & mask) >>> 0) === ((ipv4ToNumber(base) & mask) >>> 0);
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, octet) => ((value << 8) | Number(octet)) >>> 0, 0);
}
