// The setup hook (VSCODE_TEST_SETUP=out/test/vscode/setup.js): a workspace that is a git repository whose
// `origin` points at the fake GitLab's project, so the extension finds the project the way it does for users.
// The suite starts the fake itself, in the extension host, on the port chosen here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { createTestCertificates } from '../gitlab/network/corporateNetwork';
import type { SetupContext, SetupResult } from './runnerContract';

export const FAKE_PORT_VARIABLE = 'GITLAB_CI_LENS_TEST_FAKE_PORT';
export const PROJECT_PATH = 'demo-group/demo-app';
/** The corporate-network suite's certificates (network.test.ts); their CA is in the extension host's system store only. */
export const TEST_CA_VARIABLE = 'GITLAB_CI_LENS_TEST_CA_DIR';

export async function setup({ runDir }: SetupContext): Promise<SetupResult> {
  const port = await freePort();
  const workspaceFolder = path.join(runDir, 'workspace', 'demo-app');
  mkdirSync(workspaceFolder, { recursive: true });
  writeFileSync(path.join(workspaceFolder, '.gitlab-ci.yml'), 'stages: [build, test, deploy]\n');
  writeFileSync(path.join(workspaceFolder, 'README.md'), '# demo-app\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: workspaceFolder, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'add', '.');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'Initial commit');
  git('remote', 'add', 'origin', `http://127.0.0.1:${port}/${PROJECT_PATH}.git`);
  // VS Code's extension host cannot have a CA added to this machine's store: on Linux the system store is
  // what OpenSSL reads, SSL_CERT_FILE, so the host gets one that holds only this run's test CA.
  const certificates = createTestCertificates(runDir);
  const env = { [FAKE_PORT_VARIABLE]: String(port), [TEST_CA_VARIABLE]: certificates.directory, SSL_CERT_FILE: certificates.caFile };
  return { env, workspaceFolder };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
