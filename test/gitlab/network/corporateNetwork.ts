// A corporate network for tests: a private CA made at test time (openssl), a TLS front that serves the
// fake GitLab over HTTPS with a certificate from that CA, and a real forward proxy (the `proxy` package)
// that wants Basic credentials. Everything listens on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { type FakeGitLab, type FakeGitLabOptions, startFakeGitLab } from '../../fake-gitlab';

export interface TestCertificates {
  /** The CA's certificate (PEM) and its file. */
  caPem: string;
  caFile: string;
  /** The server's certificate (for 127.0.0.1 and localhost) and key, signed by the CA. */
  certPem: string;
  keyPem: string;
  directory: string;
}

/** Certificates createTestCertificates made earlier (another process may have: the VS Code suite's setup hook). */
export function loadTestCertificates(directory: string): TestCertificates {
  const read = (name: string) => readFileSync(join(directory, name), 'utf8');
  return { caPem: read('ca.pem'), caFile: join(directory, 'ca.pem'), certPem: read('server.pem'), keyPem: read('server.key'), directory };
}

/** A fresh CA and a server certificate it signed, in a new folder under `parent` (default: the temp folder). */
export function createTestCertificates(parent = tmpdir()): TestCertificates {
  const directory = mkdtempSync(join(parent, 'test-ca-'));
  const file = (name: string) => join(directory, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=GitLab CI Lens Test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  return loadTestCertificates(directory);
}

export interface HttpsFakeGitLab {
  fake: FakeGitLab;
  /** https://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

/**
 * The fake GitLab behind a TLS front (bytes piped to its HTTP port) on `frontPort` (default: any), with
 * GitLab's external URL the front's.
 */
export async function startHttpsFakeGitLab(certificates: Pick<TestCertificates, 'certPem' | 'keyPem'>, options: FakeGitLabOptions = {}, frontPort = 0): Promise<HttpsFakeGitLab> {
  let backendPort = 0;
  const sockets = new Set<Socket>();
  const front = tls.createServer({ cert: certificates.certPem, key: certificates.keyPem }, (secure) => {
    const plain = connect(backendPort, '127.0.0.1');
    track(plain);
    secure.pipe(plain).pipe(secure);
  });
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // either side closing first is normal here
  };
  // Raw connections, handshakes that failed included: closing must not wait for any of them.
  front.on('connection', track);
  const port = await listen(front, frontPort);
  const url = `https://127.0.0.1:${port}`;
  const fake = await startFakeGitLab({ ...options, externalUrl: url });
  backendPort = Number(new URL(fake.url).port);
  return {
    fake,
    url,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await fake.close();
    },
  };
}

export interface AuthenticatingProxy {
  /** http://127.0.0.1:PORT, without credentials. */
  url: string;
  /** The same with the credentials in it. */
  urlWithCredentials: string;
  /** `Basic …`, as VS Code's http.proxyAuthorization takes it. */
  authorization: string;
  /** host:port of every CONNECT it let through. */
  tunnels: string[];
  /** Requests it answered 407. */
  refused: number;
  /** Every header block it saw (CONNECTs and plain requests): what the proxy could read. */
  seenHeaders: IncomingMessage['headers'][];
  close(): Promise<void>;
}

/** A forward proxy that lets through only Basic `username:password`. */
export async function startAuthenticatingProxy(username = 'corp-user', password = 'c0rp p@ss'): Promise<AuthenticatingProxy> {
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const { createProxy } = await import('proxy'); // an ES module
  const server = createProxy(createServer());
  const state = { tunnels: [] as string[], refused: 0, seenHeaders: [] as IncomingMessage['headers'][] };
  server.authenticate = (request) => {
    state.seenHeaders.push(request.headers);
    const allowed = request.headers['proxy-authorization'] === authorization;
    if (!allowed) state.refused++;
    else if (request.method === 'CONNECT') state.tunnels.push(request.url ?? '');
    return allowed;
  };
  // Tunnels leave the server's own bookkeeping once upgraded: close them ourselves.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    urlWithCredentials: `http://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    authorization,
    get tunnels() {
      return state.tunnels;
    },
    get refused() {
      return state.refused;
    },
    get seenHeaders() {
      return state.seenHeaders;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function listen(server: Server | tls.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
