// A corporate network with zero extension settings: GitLab over HTTPS with a CA found only in this
// extension host's system store (SSL_CERT_FILE, set by the setup hook), reached through a real forward
// proxy that wants credentials, given as VS Code's own http.proxy and http.proxyAuthorization.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { type AuthenticatingProxy, type HttpsFakeGitLab, loadTestCertificates, startAuthenticatingProxy, startHttpsFakeGitLab } from '../gitlab/network/corporateNetwork';
import { activateExtension, messagesShownDuring } from './session';
import { FAKE_PORT_VARIABLE, PROJECT_PATH, TEST_CA_VARIABLE } from './setup';
import { waitFor } from './waitFor';

const PROXY_SETTINGS = ['proxy', 'proxyAuthorization'] as const;

describe('corporate network: system CA and an authenticating proxy', function () {
  let gitlab: HttpsFakeGitLab;
  let proxy: AuthenticatingProxy;
  let api: ExtensionApi;
  const http = () => vscode.workspace.getConfiguration('http');

  before(async function () {
    const port = Number(process.env[FAKE_PORT_VARIABLE]);
    const certificateDirectory = process.env[TEST_CA_VARIABLE];
    assert.ok(port && certificateDirectory, 'the setup hook (out/test/vscode/setup.js) sets the port and the test CA');
    // The remote of the workspace names 127.0.0.1:port: GitLab answers there over HTTPS this time.
    gitlab = await startHttpsFakeGitLab(loadTestCertificates(certificateDirectory), {}, port);
    proxy = await startAuthenticatingProxy();
    api = await activateExtension();
  });

  after(async function () {
    if (api && gitlab) await api.services.accounts.remove(gitlab.url);
    for (const name of PROXY_SETTINGS) await http().update(name, undefined, vscode.ConfigurationTarget.Global);
    await proxy?.close();
    await gitlab?.close();
  });

  it('says the proxy asks for credentials, and which setting takes them', async function () {
    await http().update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
    const shown = await messagesShownDuring('showErrorMessage', () => vscode.commands.executeCommand('gitlabCiLens.addAccount', { instanceUrl: gitlab.url, token: gitlab.fake.tokens.maintainer }));
    assert.equal(shown.length, 1);
    assert.match(shown[0], /the proxy at http:\/\/127\.0\.0\.1:\d+ asks for credentials \(407\): set http\.proxyAuthorization/);
    assert.equal(gitlab.fake.requests.length, 0, 'nothing reached GitLab');
  });

  it('shows the pipelines, reached through the proxy, with no gitlabCiLens setting', async function () {
    await http().update('proxyAuthorization', proxy.authorization, vscode.ConfigurationTarget.Global);
    assert.deepEqual(Object.entries(vscode.workspace.getConfiguration('gitlabCiLens').get<Record<string, unknown>>('tls') ?? {}).filter(([, value]) => value), []);

    const account = await vscode.commands.executeCommand<{ username: string } | undefined>('gitlabCiLens.addAccount', { instanceUrl: gitlab.url, token: gitlab.fake.tokens.maintainer });
    assert.equal(account?.username, 'maria');
    await waitFor(() => api.services.projects.list().find((project) => project.projectPath === PROJECT_PATH && project.instanceUrl === gitlab.url), 'the project on the HTTPS instance');
    await vscode.commands.executeCommand('workbench.view.extension.gitlabCiLens');
    await vscode.commands.executeCommand('gitlabCiLens.refresh');
    await waitFor(async () => (await api.services.tree.getChildren()).some((node) => node.kind === 'pipeline'), 'pipelines in the tree');

    const gitlabHost = `127.0.0.1:${new URL(gitlab.url).port}`;
    assert.ok(proxy.tunnels.includes(gitlabHost), `tunnels: ${proxy.tunnels.join(', ')}`);
    assert.ok(gitlab.fake.requests.length > 0);
    const token = gitlab.fake.tokens.maintainer;
    assert.ok(proxy.seenHeaders.every((headers) => !JSON.stringify(headers).includes(token)), 'the proxy never saw the token');
  });
});
