import * as assert from 'node:assert/strict';

/** Polls `probe` every 100 ms until it gives something truthy; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string | (() => string), timeoutMs = 40_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
