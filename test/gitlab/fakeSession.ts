import { GitLab } from '../../src/gitlab';
import { type FakeGitLab, type FakeGitLabOptions, startFakeGitLab } from '../fake-gitlab';

/** A client of `fake` with `token` (a developer's by default), retrying fast so failure tests stay short. */
export function clientOf(fake: FakeGitLab, token = fake.tokens.developer): GitLab {
  return new GitLab({ instanceUrl: fake.url, token, retry: { baseDelayMs: 10 } });
}

/** A fake GitLab and a developer's client of it: what most plain-Node suites start before each test. */
export async function startWithClient(options: FakeGitLabOptions = {}): Promise<{ fake: FakeGitLab; gitlab: GitLab }> {
  const fake = await startFakeGitLab(options);
  return { fake, gitlab: clientOf(fake) };
}
