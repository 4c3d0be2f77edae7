import type { ProjectContext, Services } from '../services';

/** After artifacts were kept or deleted: cached jobs show old artifacts, so they go, and GitLab is asked anew. */
export async function refreshArtifacts(services: Services, project: ProjectContext): Promise<void> {
  services.model.invalidate(project);
  await services.refresher.refreshNow();
}
