import { GitLabClient, type GitLabClientOptions } from './client';
import { ArtifactsApi } from './artifacts';
import { CiLintApi } from './ciConfig/lint';
import { JobsApi } from './jobs';
import { MergeRequestsApi } from './mergeRequests';
import { PipelinesApi } from './pipelines';
import { RunnersApi } from './runners';
import { TestReportsApi } from './tests/report';
import { AccountApi } from './users';

/** One GitLab instance, its API grouped as GitLab groups it, over one shared client. */
export class GitLab {
  readonly client: GitLabClient;
  readonly account: AccountApi;
  readonly pipelines: PipelinesApi;
  readonly jobs: JobsApi;
  readonly artifacts: ArtifactsApi;
  readonly runners: RunnersApi;
  readonly mergeRequests: MergeRequestsApi;
  readonly testReports: TestReportsApi;
  readonly ciLint: CiLintApi;

  constructor(options: GitLabClientOptions) {
    this.client = new GitLabClient(options);
    this.account = new AccountApi(this.client);
    this.pipelines = new PipelinesApi(this.client);
    this.jobs = new JobsApi(this.client);
    this.artifacts = new ArtifactsApi(this.client);
    this.runners = new RunnersApi(this.client);
    this.mergeRequests = new MergeRequestsApi(this.client);
    this.testReports = new TestReportsApi(this.client);
    this.ciLint = new CiLintApi(this.client);
  }
}

export * from './errors';
export * from './models';
export type { GitLabClientOptions, RequestEvent } from './client';
export { findBranchPipeline, parseMergeRequestRef, type BranchPipeline, type MergeRequestRef } from './mergeRequests';
