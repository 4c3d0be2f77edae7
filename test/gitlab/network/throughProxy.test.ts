import assert from 'node:assert/strict';
import { GitLab } from '../../../src/gitlab';
import { GitLabError } from '../../../src/gitlab/errors';
import { resolveNetwork, type NetworkSettings } from '../../../src/gitlab/network';
import { type AuthenticatingProxy, type HttpsFakeGitLab, type TestCertificates, createTestCertificates, startAuthenticatingProxy, startHttpsFakeGitLab } from './corporateNetwork';

const PROJECT = 'demo-group/demo-app';

describe('GitLab over HTTPS with a private CA, through an authenticating proxy', () => {
  let certificates: TestCertificates;
  let gitlab: HttpsFakeGitLab;
  let proxy: AuthenticatingProxy;
  // The CA is only in this "system store": SSL_CERT_FILE is where OpenSSL, and so Linux, keeps it.
  const systemStore = () => ({ SSL_CERT_FILE: certificates.caFile });

  before(() => {
    certificates = createTestCertificates();
  });
  beforeEach(async () => {
    gitlab = await startHttpsFakeGitLab(certificates);
    proxy = await startAuthenticatingProxy();
  });
  afterEach(async () => {
    await proxy.close();
    await gitlab.close();
  });

  async function client(settings: NetworkSettings, env: NodeJS.ProcessEnv): Promise<GitLab> {
    return new GitLab({ instanceUrl: gitlab.url, token: gitlab.fake.tokens.maintainer, retry: { maxAttempts: 2, baseDelayMs: 10 }, ...(await resolveNetwork(settings, env)) });
  }

  async function failure(promise: Promise<unknown>): Promise<GitLabError> {
    const error = await promise.then(() => undefined, (caught: unknown) => caught);
    assert.ok(error instanceof GitLabError, `expected a GitLabError, got ${String(error)}`);
    return error;
  }

  it('reaches GitLab with HTTPS_PROXY carrying credentials and the CA from the system store, the token only inside the tunnel', async () => {
    const api = await client({}, { ...systemStore(), HTTPS_PROXY: proxy.urlWithCredentials });
    const pipelines = await api.pipelines.list(PROJECT);
    assert.ok(pipelines.items.length > 0);
    assert.ok(proxy.tunnels.includes(`127.0.0.1:${new URL(gitlab.url).port}`), `tunnels: ${proxy.tunnels.join(', ')}`);
    // The proxy saw CONNECT headers only: nothing of the token.
    const token = gitlab.fake.tokens.maintainer;
    for (const headers of proxy.seenHeaders) assert.ok(!JSON.stringify(headers).includes(token), 'the proxy saw the token');
    assert.ok(gitlab.fake.requests.some((request) => request.path.includes('/pipelines')));
  });

  it('takes VS Code\'s http.proxy with http.proxyAuthorization over the environment\'s proxy, lower-case variables too', async () => {
    const api = await client({ proxy: proxy.url, proxyAuthorization: proxy.authorization }, { ...systemStore(), https_proxy: 'http://127.0.0.1:9' });
    await api.account.currentUser();
    assert.equal(proxy.tunnels.length, 1);
  });

  it('says the proxy wants credentials on a 407, naming what to set, and sends nothing to GitLab', async () => {
    const api = await client({ proxy: proxy.url }, systemStore());
    const error = await failure(api.account.currentUser());
    assert.equal(error.reason, 'network');
    assert.match(error.message, /the proxy at http:\/\/127\.0\.0\.1:\d+ asks for credentials \(407\): set http\.proxyAuthorization, or put them in the proxy URL/);
    assert.match(error.advice ?? '', /^the proxy at .* asks for credentials/, 'the UI shows this part');
    assert.ok(proxy.refused >= 1);
    assert.equal(gitlab.fake.requests.length, 0);
  });

  it('never puts the proxy password in an error', async () => {
    const wrong = proxy.urlWithCredentials.replace(encodeURIComponent('c0rp p@ss'), 'wrong-secret');
    const api = await client({ proxy: wrong }, systemStore());
    const error = await failure(api.account.currentUser());
    assert.match(error.message, /407/);
    assert.ok(!error.message.includes('wrong-secret') && !error.message.includes('corp-user'), error.message);
  });

  it('says when nothing answers at the proxy\'s address, naming it', async () => {
    const closedPort = new URL(proxy.url).port;
    await proxy.close();
    const api = await client({ proxy: proxy.urlWithCredentials }, systemStore());
    const error = await failure(api.account.currentUser());
    assert.match(error.advice ?? '', new RegExp(`^nothing accepts connections at 127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\): check the URL, or the proxy`));
    assert.ok(!error.message.includes('c0rp'), error.message);
  });

  it('names the unknown CA and the fixes when the CA is in no store', async () => {
    const api = await client({ proxy: proxy.urlWithCredentials }, { SSL_CERT_FILE: '/nonexistent/bundle.pem' });
    const error = await failure(api.account.currentUser());
    assert.match(error.message, /signed by an unknown certificate authority \([A-Z_]+\): add the CA to the system store or set gitlabCiLens\.tls\.caFile/);
    assert.equal(gitlab.fake.requests.length, 0);
  });

  it('trusts the CA from gitlabCiLens.tls.caFile or NODE_EXTRA_CA_CERTS alone, with http.systemCertificates off', async () => {
    const noSystem = { SSL_CERT_FILE: '/nonexistent/bundle.pem' };
    const fromSetting = await client({ proxy: proxy.urlWithCredentials, trust: { systemCertificates: false, caFile: { path: certificates.caFile, source: 'test' } } }, noSystem);
    await fromSetting.account.currentUser();
    const fromExtra = await client({ proxy: proxy.urlWithCredentials, trust: { systemCertificates: false } }, { ...noSystem, NODE_EXTRA_CA_CERTS: certificates.caFile });
    await fromExtra.account.currentUser();
    const systemOff = await client({ proxy: proxy.urlWithCredentials, trust: { systemCertificates: false } }, systemStore());
    assert.match((await failure(systemOff.account.currentUser())).message, /unknown certificate authority/);
  });

  it('goes direct for hosts in NO_PROXY or http.noProxy', async () => {
    const byEnvironment = await client({}, { ...systemStore(), HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com, 127.0.0.1' });
    await byEnvironment.account.currentUser();
    const bySetting = await client({ proxy: proxy.url, noProxy: ['127.0.0.0/8'] }, systemStore());
    await bySetting.account.currentUser();
    assert.equal(proxy.tunnels.length + proxy.refused, 0);
  });

  it('follows an artifact download to object storage on another host through the proxy too', async () => {
    const api = await client({}, { ...systemStore(), HTTPS_PROXY: proxy.urlWithCredentials, HTTP_PROXY: proxy.urlWithCredentials });
    const job = gitlab.fake.state.findJobs({ name: 'build', status: 'success' })[0];
    const download = await api.artifacts.downloadArchive(PROJECT, { jobId: job.id });
    assert.equal(Buffer.from(await download.body.arrayBuffer()).subarray(0, 2).toString(), 'PK');
    const storageHost = new URL(gitlab.fake.objectStorage.url).host;
    assert.ok(proxy.tunnels.includes(storageHost), `tunnels: ${proxy.tunnels.join(', ')}`);
  });
});
