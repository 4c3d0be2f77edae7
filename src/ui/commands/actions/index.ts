import type { Services } from '../../services';

/** Job and pipeline actions: retry, cancel, play, erase, run, open, copy. */
export function registerActionCommands(_services: Services): void {}
