import type { Accounts } from './accounts';
import type { Logger } from './log';

/**
 * `GITLAB_CI_LENS_INSTANCE_URL` + `GITLAB_CI_LENS_TOKEN` in VS Code's environment sign in once (the token is
 * then kept in SecretStorage like any other): for the demo, dev containers and automated set-ups.
 */
export async function importAccountFromEnvironment(accounts: Accounts, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const instanceUrl = env.GITLAB_CI_LENS_INSTANCE_URL;
  const token = env.GITLAB_CI_LENS_TOKEN;
  if (!instanceUrl || !token) return;
  try {
    const account = await accounts.add(instanceUrl, token);
    log.info(`Signed in from the environment: ${account.instanceUrl} as @${account.username}`);
  } catch (error) {
    log.error(`Signing in from GITLAB_CI_LENS_INSTANCE_URL/GITLAB_CI_LENS_TOKEN failed`, error);
  }
}
