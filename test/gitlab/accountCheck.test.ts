import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import { GitLab } from '../../src/gitlab';
import { GitLabHttpError } from '../../src/gitlab/errors';
import { NotGitLabError, tokenPageUrl } from '../../src/gitlab/users';
import { type FakeGitLab, generations, startFakeGitLab } from '../fake-gitlab';

const TOKEN = 'glpat-account-check-token';

describe('the sign-in check', () => {
  describe('against a site that is not GitLab', () => {
    let site: Server;
    let url: string;
    before(async () => {
      site = createServer((_request, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<html><h1>Not Found</h1></html>'));
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
      const address = site.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/some/path`;
    });
    after(() => {
      site.close();
    });

    it('says the URL does not look like a GitLab instance, not that something is gone', async () => {
      const error = await new GitLab({ instanceUrl: url, token: TOKEN }).account.currentUser().catch((caught: unknown) => caught);
      assert.ok(error instanceof NotGitLabError);
      assert.match(error.message, new RegExp(`^${url} does not look like a GitLab instance`));
      assert.ok(!error.message.includes(TOKEN));
    });
  });

  for (const generation of generations) {
    describe(`against GitLab ${generation}`, () => {
      let fake: FakeGitLab;
      beforeEach(async () => {
        fake = await startFakeGitLab({ generation });
      });
      afterEach(async () => {
        await fake.close();
      });

      it('keeps GitLab\'s own refusals as they are', async () => {
        const error = await new GitLab({ instanceUrl: fake.url, token: TOKEN }).account.currentUser().catch((caught: unknown) => caught);
        assert.ok(error instanceof GitLabHttpError && !(error instanceof NotGitLabError));
        assert.equal(error.status, 401);
        assert.equal((await new GitLab({ instanceUrl: fake.url, token: fake.tokens.maintainer }).account.currentUser()).username, 'maria');
      });
    });
  }

  it('links the token page with the name and the api scope filled in', () => {
    assert.equal(tokenPageUrl('https://gitlab.example.com/gitlab/'), 'https://gitlab.example.com/gitlab/-/user_settings/personal_access_tokens?name=GitLab%20CI%20Lens&scopes=api');
  });
});
