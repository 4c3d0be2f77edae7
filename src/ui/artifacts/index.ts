import type { Services } from '../services';

/** Artifacts: browse archives in the tree, download, keep, delete, expire. */
export function registerArtifactCommands(_services: Services): void {}
