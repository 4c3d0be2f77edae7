import assert from 'node:assert/strict';
import { parseGitRemote, resolveProject } from '../../src/gitlab/remote';

describe('git remote → GitLab project', () => {
  const cases: [string, string, string][] = [
    ['git@gitlab.com:group/project.git', 'https://gitlab.com', 'group/project'],
    ['git@gitlab.com:group/sub/deeper/project.git', 'https://gitlab.com', 'group/sub/deeper/project'],
    ['gitlab.com:group/project', 'https://gitlab.com', 'group/project'],
    ['ssh://git@gitlab.example.com:2222/group/project.git', 'https://gitlab.example.com', 'group/project'],
    ['ssh://git@gitlab.example.com/group/sub/project', 'https://gitlab.example.com', 'group/sub/project'],
    ['https://gitlab.com/group/sub/project.git', 'https://gitlab.com', 'group/sub/project'],
    ['https://oauth2:secret@gitlab.com/group/project.git/', 'https://gitlab.com', 'group/project'],
    ['https://git.example.com:8443/team/app', 'https://git.example.com:8443', 'team/app'],
    ['http://192.168.0.5/team/app.git', 'http://192.168.0.5', 'team/app'],
    ['HTTPS://GitLab.COM/Group/Project.git', 'https://gitlab.com', 'Group/Project'],
  ];
  for (const [remote, instanceUrl, projectPath] of cases) {
    it(`${remote}`, () => {
      const parsed = parseGitRemote(remote);
      assert.ok(parsed, 'parsed');
      assert.deepEqual(resolveProject(parsed), { instanceUrl, projectPath });
    });
  }

  it('rejects what is not a GitLab project remote', () => {
    for (const remote of ['', 'not a url', '/home/me/repo', 'C:/repos/app', 'https://gitlab.com/onlyone', 'file:///srv/git/a/b.git']) {
      assert.equal(parseGitRemote(remote), undefined, remote);
    }
  });

  it('matches an instance that lives under a path, and the longest known instance', () => {
    const remote = parseGitRemote('https://host.example/gitlab/group/app.git');
    assert.ok(remote);
    assert.deepEqual(resolveProject(remote, ['https://host.example', 'https://host.example/gitlab/']), {
      instanceUrl: 'https://host.example/gitlab',
      projectPath: 'group/app',
    });
  });

  it('matches an ssh remote to a known instance by host, whatever the ssh port', () => {
    const remote = parseGitRemote('ssh://git@git.corp:2222/platform/api.git');
    assert.ok(remote);
    assert.deepEqual(resolveProject(remote, ['https://git.corp:8443']), { instanceUrl: 'https://git.corp:8443', projectPath: 'platform/api' });
  });

  it('does not claim an https remote for an instance on another port', () => {
    const remote = parseGitRemote('https://git.corp:9000/platform/api.git');
    assert.ok(remote);
    assert.deepEqual(resolveProject(remote, ['https://git.corp:8443']), { instanceUrl: 'https://git.corp:9000', projectPath: 'platform/api' });
  });
});
