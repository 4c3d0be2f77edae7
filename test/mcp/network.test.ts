import * as assert from 'node:assert/strict';
import { type AuthenticatingProxy, type HttpsFakeGitLab, type TestCertificates, createTestCertificates, startAuthenticatingProxy, startHttpsFakeGitLab } from '../gitlab/network/corporateNetwork';
import { mcpNetworkEnvironment } from '../../src/ui/network/mcpEnvironment';
import { DEMO_PROJECT, type McpSession, allUserTokens, failed, ok, startSession } from './harness';

const PROXY_PASSWORD = 'mcp-proxy-s3cret';

describe('MCP server behind a corporate proxy with a private CA (its environment only)', () => {
  let certificates: TestCertificates;
  let gitlab: HttpsFakeGitLab;
  let proxy: AuthenticatingProxy;
  let session: McpSession | undefined;

  before(() => {
    certificates = createTestCertificates();
  });
  beforeEach(async () => {
    gitlab = await startHttpsFakeGitLab(certificates);
    proxy = await startAuthenticatingProxy('mcp-user', PROXY_PASSWORD);
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
    await proxy.close();
    await gitlab.close();
  });

  const start = (env: Record<string, string>) =>
    startSession({
      env: { GITLAB_URL: gitlab.url, GITLAB_TOKEN: gitlab.fake.tokens.maintainer, GITLAB_PROJECT: DEMO_PROJECT, ...env },
      secrets: [...allUserTokens(gitlab.fake), PROXY_PASSWORD],
    });

  it('lists pipelines through HTTPS_PROXY with credentials, trusting the CA from SSL_CERT_FILE, and names the proxy without them', async () => {
    session = await start({ HTTPS_PROXY: proxy.urlWithCredentials, SSL_CERT_FILE: certificates.caFile });
    const answer = ok(await session.call('gitlab_list_pipelines', {}));
    assert.ok(Array.isArray(answer.pipelines) && answer.pipelines.length > 0, JSON.stringify(answer).slice(0, 200));
    assert.ok(proxy.tunnels.includes(`127.0.0.1:${new URL(gitlab.url).port}`));
    assert.match(session.stderr(), new RegExp(`through the proxy at ${proxy.url.replace(/[.]/g, '\\.')}`));
    assert.ok(!session.stderr().includes('mcp-user'));
  });

  it('says what to set when the proxy asks for credentials', async () => {
    session = await start({ https_proxy: proxy.url, NODE_EXTRA_CA_CERTS: certificates.caFile });
    assert.match(failed(await session.call('gitlab_list_pipelines', {})), /asks for credentials \(407\)/);
  });

  it('goes direct for a host in NO_PROXY, trusting the CA from NODE_EXTRA_CA_CERTS', async () => {
    session = await start({ HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1', NODE_EXTRA_CA_CERTS: certificates.caFile });
    ok(await session.call('gitlab_list_pipelines', {}));
    assert.equal(proxy.tunnels.length + proxy.refused, 0);
    assert.match(session.stderr(), /directly \(NO_PROXY\)/);
  });

  it('gets through with the environment the extension hands it from VS Code\'s http.proxy, http.noProxy and tls.caFile', async () => {
    const env = mcpNetworkEnvironment({ httpProxy: proxy.urlWithCredentials, httpNoProxy: ['internal.example'], caFile: certificates.caFile }, { no_proxy: 'inherited.example' });
    assert.equal(env.no_proxy, 'internal.example,inherited.example');
    session = await start({ https_proxy: 'http://127.0.0.1:9', ...env });
    ok(await session.call('gitlab_list_pipelines', {}));
    assert.ok(proxy.tunnels.includes(`127.0.0.1:${new URL(gitlab.url).port}`));
  });
});
