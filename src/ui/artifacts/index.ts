import { ArchiveBrowser } from '../../gitlab/archive/browse';
import type { Services } from '../services';
import { ArtifactFileSystem } from './artifactFileSystem';
import { archiveChildren } from './browseTree';
import { registerDeleteArtifacts } from './deleteArtifacts';
import { registerDownloadArtifactFile } from './downloadArtifactFile';
import { registerDownloadArtifacts } from './downloadArtifacts';
import { registerExpireProjectArtifacts } from './expireProjectArtifacts';
import { registerKeepArtifacts } from './keepArtifacts';
import { registerOpenArtifactFile } from './openArtifactFile';

/** Artifacts: browse archives in the tree, open their files read-only, download, keep, delete, expire. */
export function registerArtifactCommands(services: Services): void {
  // One browser for the window: it remembers listings and which instances have GitLab's tree endpoint.
  const browser = new ArchiveBrowser();
  services.tree.archiveBrowser = archiveChildren(services, browser);
  registerDownloadArtifacts(services);
  registerDownloadArtifactFile(services, browser);
  registerKeepArtifacts(services);
  registerDeleteArtifacts(services, browser);
  registerExpireProjectArtifacts(services);
  ArtifactFileSystem.register(services.context, services, browser);
  registerOpenArtifactFile(services);
}
