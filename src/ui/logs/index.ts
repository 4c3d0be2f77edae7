import type { Services } from '../services';

/** Following, opening and saving job logs. */
export function registerLogCommands(_services: Services): void {}
