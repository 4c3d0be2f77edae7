import type { ProjectContext } from '../services';
import type { BranchPipelines } from './branchPipelines';

/** How often which merge request is open for the branch is looked up again: that list's 304 still carries pagination headers (about 700 bytes). */
export const MERGE_REQUEST_RECHECK_MS = 120_000;

interface Lookup {
  readonly branch: string | undefined;
  readonly checkedAt: number;
  /** What a full refresh found (its merge request pipelines too); the status bar's check finds less. */
  pipelines?: BranchPipelines;
}

/**
 * When each project's branch was last looked up in full (which merge request is open, then its pipelines),
 * and what that found, so that refreshes in between need not ask again.
 */
export class BranchLookups {
  private readonly lookups = new Map<string, Lookup>();

  /** Another branch is checked out, or it is two minutes since the last look. */
  due(project: ProjectContext, now: number): boolean {
    const lookup = this.lookups.get(project.key);
    return !lookup || lookup.branch !== project.branch || now - lookup.checkedAt >= MERGE_REQUEST_RECHECK_MS;
  }

  /** A full look happened now; with what a full refresh found, or without (the status bar's check). */
  checked(project: ProjectContext, now: number, pipelines?: BranchPipelines): void {
    this.lookups.set(project.key, { branch: project.branch, checkedAt: now, pipelines });
  }

  /** The branch's pipelines asked for again, the merge request known: the look stays as old as it was. */
  update(project: ProjectContext, pipelines: BranchPipelines): void {
    const lookup = this.lookups.get(project.key);
    if (lookup && lookup.branch === project.branch) lookup.pipelines = pipelines;
  }

  /** What the last full refresh found for the checked-out branch, if that is still what is known. */
  pipelinesOf(project: ProjectContext): BranchPipelines | undefined {
    const lookup = this.lookups.get(project.key);
    return lookup && lookup.branch === project.branch ? lookup.pipelines : undefined;
  }

  forget(projectKey: string): void {
    this.lookups.delete(projectKey);
  }

  clear(): void {
    this.lookups.clear();
  }
}
