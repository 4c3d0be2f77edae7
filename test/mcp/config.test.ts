import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig, parseArguments, toProjectRef } from '../../src/mcp/config';

const git = promisify(execFile);

describe('MCP server configuration', () => {
  const scratch: string[] = [];

  after(async () => {
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function checkout(remotes: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-config-'));
    scratch.push(dir);
    await git('git', ['init', '-q'], { cwd: dir });
    for (const [name, url] of Object.entries(remotes)) await git('git', ['remote', 'add', name, url], { cwd: dir });
    return dir;
  }

  it('reads --url and --project in both spellings, and refuses anything else', () => {
    assert.deepEqual(parseArguments(['--url', 'https://gitlab.example.com', '--project=group/app']), { url: 'https://gitlab.example.com', project: 'group/app' });
    assert.throws(() => parseArguments(['--verbose']), ConfigError);
    assert.throws(() => parseArguments(['--url']), /needs a value/);
  });

  it('refuses a token on the command line, whatever the spelling, without repeating it', () => {
    for (const argv of [['--token', 'glpat-secret-123456'], ['--token=glpat-secret-123456'], ['--private-token', 'glpat-secret-123456']]) {
      assert.throws(
        () => parseArguments(argv),
        (error: unknown) => error instanceof ConfigError && /GITLAB_TOKEN/.test(error.message) && !error.message.includes('glpat-secret'),
      );
    }
  });

  it('names projects by id or by path', () => {
    assert.equal(toProjectRef('42'), 42);
    assert.equal(toProjectRef(7), 7);
    assert.equal(toProjectRef('/group/sub/app/'), 'group/sub/app');
  });

  it('prefers arguments to the environment, and the environment to the git remote', async () => {
    const cwd = await checkout({ origin: 'https://gitlab.example.com/remote/app.git' });
    const env = { GITLAB_URL: 'https://gitlab.example.com', GITLAB_TOKEN: 'glpat-abcdefgh', GITLAB_PROJECT: 'env/app' };
    assert.deepEqual(await loadConfig(['--project', 'arg/app'], env, cwd), {
      instanceUrl: 'https://gitlab.example.com', token: 'glpat-abcdefgh', defaultProject: 'arg/app', projectSource: '--project',
    });
    assert.equal((await loadConfig([], env, cwd)).defaultProject, 'env/app');
    const detected = await loadConfig([], { GITLAB_URL: 'https://gitlab.example.com' }, cwd);
    assert.deepEqual([detected.defaultProject, detected.projectSource, detected.token], ['remote/app', 'git remote origin', undefined]);
  });

  it('takes the project only from a remote on the configured instance, origin first', async () => {
    const cwd = await checkout({
      github: 'git@github.com:someone/app.git',
      origin: 'git@gitlab.example.com:group/sub/app.git',
      mirror: 'https://gitlab.example.com/group/mirror.git',
    });
    assert.equal((await loadConfig([], { GITLAB_URL: 'https://gitlab.example.com' }, cwd)).defaultProject, 'group/sub/app');
    assert.equal((await loadConfig([], { GITLAB_URL: 'https://other.example.com' }, cwd)).defaultProject, undefined);
    const underPath = await checkout({ origin: 'https://git.example.com/gitlab/team/app.git' });
    assert.equal((await loadConfig([], { GITLAB_URL: 'https://git.example.com/gitlab' }, underPath)).defaultProject, 'team/app');
  });

  it('says what to set when neither a URL nor a GitLab remote is there', async () => {
    const cwd = await checkout({});
    await assert.rejects(loadConfig([], {}, cwd), (error: unknown) => error instanceof ConfigError && /GITLAB_URL/.test(error.message));
    for (const notUrl of ['gitlab.example.com', 'gitlab.example.com:8443']) {
      await assert.rejects(loadConfig([], { GITLAB_URL: notUrl }, cwd), /is not a URL/);
    }
    await assert.rejects(
      loadConfig(['--url', 'https://oauth2:glpat-secret-123456@gitlab.example.com'], {}, cwd),
      (error: unknown) => error instanceof ConfigError && /GITLAB_TOKEN/.test(error.message) && !error.message.includes('glpat-secret'),
    );
  });
});
