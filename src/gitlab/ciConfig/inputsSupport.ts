import type { GitLab } from '../index';

/** GitLab takes `inputs` on pipeline creation from 18.1 (older versions drop the parameter unread). */
const FIRST_WITH_INPUTS: readonly [number, number] = [18, 1];

/** The instance's version (`GET /version`) and whether it takes pipeline inputs. */
export async function pipelineInputsSupport(gitlab: GitLab, signal?: AbortSignal): Promise<{ supported: boolean; version: string }> {
  const { version } = await gitlab.client.json<{ version?: unknown }>('GET', '/version', { signal });
  const text = typeof version === 'string' ? version : 'unknown';
  const [major = 0, minor = 0] = /^(\d+)\.(\d+)/.exec(text)?.slice(1).map(Number) ?? [];
  const supported = major > FIRST_WITH_INPUTS[0] || (major === FIRST_WITH_INPUTS[0] && minor >= FIRST_WITH_INPUTS[1]);
  return { supported, version: text };
}
