import { execFile } from 'node:child_process';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tls from 'node:tls';

/** Where the certificate authorities a client trusts come from. */
export interface TrustOptions {
  /** The operating system's store (VS Code's `http.systemCertificates`); default true. */
  systemCertificates?: boolean;
  /** A PEM file the user named (`gitlabCiLens.tls.caFile`): an unreadable one is an error, not skipped. */
  caFile?: { path: string; source: string };
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export class CertificateFileError extends Error {
  override readonly name = 'CertificateFileError';
}

// Where Linux distributions keep their bundle (the list Go and OpenSSL builds use); the first found is read.
const LINUX_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Arch, Gentoo
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // CentOS, RHEL 7
  '/etc/ssl/cert.pem', // Alpine
];
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_DIRECTORY_FILES = 5000;
const STORE_COMMAND_TIMEOUT_MS = 15_000;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/**
 * Every CA to trust, as PEM: Node's bundled roots, `NODE_EXTRA_CA_CERTS` (Node reads it only into its
 * default store, which an explicit CA list replaces), the system store, and the user's CA file.
 */
export async function loadTrustedCertificates(options: TrustOptions = {}): Promise<string[]> {
  const env = options.env ?? process.env;
  const found = new Set<string>(tls.rootCertificates);
  const add = (pems: Iterable<string>) => {
    for (const pem of pems) found.add(pem.replace(/\r\n/g, '\n').trim());
  };
  if (env.NODE_EXTRA_CA_CERTS) add(await readPemFile(env.NODE_EXTRA_CA_CERTS));
  if (options.systemCertificates ?? true) add(await systemCertificates(env, options.platform ?? process.platform));
  if (options.caFile) {
    let pems: string[];
    try {
      pems = await readPemFile(options.caFile.path, true);
    } catch (cause) {
      throw new CertificateFileError(`The CA file in ${options.caFile.source} cannot be read (${options.caFile.path}): fix or clear the setting.`, { cause });
    }
    if (pems.length === 0) throw new CertificateFileError(`The CA file in ${options.caFile.source} (${options.caFile.path}) holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
    add(pems);
  }
  return [...found];
}

/**
 * The operating system's CAs, as VS Code reads them for `http.systemCertificates`. Linux: OpenSSL's
 * places (SSL_CERT_FILE, SSL_CERT_DIR, else the distribution's bundle), read each time so a CA added
 * since start counts. macOS and Windows: Node's own reader where it has one (22.15+), else the keychain
 * (`security`) or the certificate store (PowerShell).
 */
export async function systemCertificates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<string[]> {
  if (platform === 'darwin' || platform === 'win32') {
    const nodeReader = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
    if (nodeReader) return nodeReader('system');
    return platform === 'darwin' ? macKeychainCertificates() : windowsStoreCertificates();
  }
  const pems: string[] = [];
  const bundle = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : LINUX_BUNDLES;
  for (const file of bundle) {
    const found = await readPemFile(file);
    pems.push(...found);
    if (found.length > 0) break;
  }
  for (const directory of (env.SSL_CERT_DIR ?? '').split(':').filter(Boolean)) pems.push(...(await readPemDirectory(directory)));
  return pems;
}

/** The PEM certificates in a file; a missing or oversized file is none, unless `strict`. */
async function readPemFile(path: string, strict = false): Promise<string[]> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_FILE_BYTES) throw new Error(info.isFile() ? `larger than ${MAX_FILE_BYTES} bytes` : 'not a file');
    return (await readFile(path, 'latin1')).match(PEM_CERTIFICATE) ?? [];
  } catch (error) {
    if (strict) throw error;
    return [];
  }
}

async function readPemDirectory(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).slice(0, MAX_DIRECTORY_FILES);
  } catch {
    return [];
  }
  const files = await Promise.all(names.map((name) => readPemFile(join(directory, name))));
  return files.flat();
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: STORE_COMMAND_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (error, stdout) =>
      resolve(error ? '' : stdout),
    );
  });
}

async function macKeychainCertificates(): Promise<string[]> {
  const keychains = ['/System/Library/Keychains/SystemRootCertificates.keychain', '/Library/Keychains/System.keychain'];
  const outputs = await Promise.all(keychains.map((keychain) => run('/usr/bin/security', ['find-certificate', '-a', '-p', keychain])));
  return outputs.flatMap((output) => output.match(PEM_CERTIFICATE) ?? []);
}

async function windowsStoreCertificates(): Promise<string[]> {
  const script =
    "Get-ChildItem -Path Cert:\\LocalMachine\\Root, Cert:\\CurrentUser\\Root | ForEach-Object { [Convert]::ToBase64String($_.RawData) }";
  const output = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script]);
  return output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^[A-Za-z0-9+/=]{100,}$/.test(line))
    .map((base64) => `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{64}/g, '$&\n').trim()}\n-----END CERTIFICATE-----`);
}
