import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateFileError, loadTrustedCertificates, resolveNetwork } from '../../../src/gitlab/network';
import { ProxyConfigError, bypassesProxy, describeRoute, normalizeProxyUrl, proxyFor, proxyFromEnvironment } from '../../../src/gitlab/network/proxy';
import { createTestCertificates, type TestCertificates } from './corporateNetwork';

describe('Network settings: proxies from settings and environment, CAs from every store', () => {
  let certificates: TestCertificates;
  let scratch: string;
  before(async () => {
    certificates = createTestCertificates();
    scratch = await mkdtemp(join(tmpdir(), 'network-settings-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
    await rm(certificates.directory, { recursive: true, force: true });
  });

  it('reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case, lower case first, an empty value meaning none', () => {
    assert.deepEqual(proxyFromEnvironment({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', NO_PROXY: 'a.example, .b.example c' }), {
      httpsProxy: 'http://lower:2',
      httpProxy: undefined,
      noProxy: ['a.example', '.b.example', 'c'],
    });
    assert.equal(proxyFromEnvironment({ HTTP_PROXY: 'http://only-http:3' }).httpsProxy, 'http://only-http:3');
    assert.equal(proxyFromEnvironment({ HTTPS_PROXY: 'http://upper:1', https_proxy: '' }).httpsProxy, undefined);
  });

  it('matches NO_PROXY entries by host, domain suffix, port, IPv4 range and *', () => {
    const url = (text: string) => new URL(text);
    assert.ok(bypassesProxy(url('https://gitlab.corp.example'), ['.corp.example']));
    assert.ok(bypassesProxy(url('https://gitlab.corp.example'), ['*.corp.example']));
    assert.ok(bypassesProxy(url('https://corp.example'), ['corp.example']));
    assert.ok(!bypassesProxy(url('https://notcorp.example'), ['corp.example']));
    assert.ok(bypassesProxy(url('https://git.example:8443'), ['git.example:8443']));
    assert.ok(!bypassesProxy(url('https://git.example'), ['git.example:8443']));
    assert.ok(bypassesProxy(url('http://10.1.2.3:8080'), ['10.0.0.0/8']));
    assert.ok(!bypassesProxy(url('http://11.1.2.3'), ['10.0.0.0/8']));
    assert.ok(bypassesProxy(url('http://[::1]:80'), ['::1']));
    assert.ok(bypassesProxy(url('https://anything.example'), ['*']));
    assert.equal(proxyFor(url('http://plain.example'), { httpsProxy: 'http://p:1' }), undefined, 'an https proxy is not used for http targets');
    const proxied = { httpsProxy: 'http://user:secret@proxy.corp:8080/', noProxy: ['internal.example'] };
    assert.equal(describeRoute('https://gitlab.example', proxied), 'through the proxy at http://proxy.corp:8080');
    assert.equal(describeRoute('https://gitlab.internal.example', proxied), 'directly (NO_PROXY)');
    assert.equal(describeRoute('https://gitlab.example'), 'directly');
  });

  it('takes host:port as an http proxy and refuses other schemes without echoing the value', () => {
    assert.equal(normalizeProxyUrl('proxy.corp:3128', 'HTTPS_PROXY').href, 'http://proxy.corp:3128/');
    assert.throws(() => normalizeProxyUrl('socks5://user:s3cret@proxy:1080', 'http.proxy'), (error: Error) => {
      assert.ok(error instanceof ProxyConfigError);
      assert.match(error.message, /http\.proxy uses socks5, which is not supported/);
      assert.ok(!error.message.includes('s3cret'));
      return true;
    });
  });

  it('reads the system store as OpenSSL does on Linux: SSL_CERT_FILE, SSL_CERT_DIR, and NODE_EXTRA_CA_CERTS', async () => {
    const inFile = await loadTrustedCertificates({ env: { SSL_CERT_FILE: certificates.caFile }, platform: 'linux' });
    assert.ok(inFile.includes(certificates.caPem.trim()));
    const directory = join(scratch, 'certs');
    await rm(directory, { recursive: true, force: true });
    await mkdir(directory);
    await writeFile(join(directory, 'corp.pem'), certificates.caPem);
    const inDirectory = await loadTrustedCertificates({ env: { SSL_CERT_FILE: '/nonexistent', SSL_CERT_DIR: directory }, platform: 'linux' });
    assert.ok(inDirectory.includes(certificates.caPem.trim()));
    const extra = await loadTrustedCertificates({ env: { NODE_EXTRA_CA_CERTS: certificates.caFile }, systemCertificates: false });
    assert.ok(extra.includes(certificates.caPem.trim()));
    const none = await loadTrustedCertificates({ env: { SSL_CERT_FILE: certificates.caFile }, systemCertificates: false, platform: 'linux' });
    assert.ok(!none.includes(certificates.caPem.trim()), 'http.systemCertificates off leaves the system store out');
  });

  it('names the setting when the CA file is missing or holds no certificate', async () => {
    const notPem = join(scratch, 'not.pem');
    await writeFile(notPem, 'hello');
    for (const path of [join(scratch, 'missing.pem'), notPem]) {
      await assert.rejects(loadTrustedCertificates({ env: {}, caFile: { path, source: 'the setting gitlabCiLens.tls.caFile' } }), (error: Error) => {
        assert.ok(error instanceof CertificateFileError);
        assert.match(error.message, /gitlabCiLens\.tls\.caFile/);
        return true;
      });
    }
  });

  it('lets http.proxy win over the environment, adds http.noProxy to NO_PROXY, and refuses a bad proxy naming its source', async () => {
    const network = await resolveNetwork({ proxy: 'proxy.corp:8080', noProxy: ['internal.example'], proxyAuthorization: 'Basic abc' }, { HTTPS_PROXY: 'http://env:1', NO_PROXY: 'env.example' });
    assert.deepEqual(network.proxy, {
      httpsProxy: 'http://proxy.corp:8080/',
      httpProxy: 'http://proxy.corp:8080/',
      noProxy: ['internal.example', 'env.example'],
      authorization: 'Basic abc',
      strictSsl: true,
    });
    await assert.rejects(resolveNetwork({}, { HTTPS_PROXY: 'ftp://proxy' }), /The proxy in HTTPS_PROXY uses ftp/);
  });
});
