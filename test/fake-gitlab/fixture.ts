import type { PipelineTemplate, RunnerType } from './model';
import type { PipelineSource, Role, TokenScope } from './types';
import { fakePng, type ZipContent } from './zips';
import { demoUnitTestReport } from './demo-junit';

export interface FixtureUser {
  id: number;
  username: string;
  name: string;
  email: string;
}

export interface FixtureToken {
  token: string;
  name: string;
  username: string;
  scopes: TokenScope[];
  expiresAt: string | null;
  revoked?: boolean;
}

export interface FixtureRunner {
  id: number;
  token: string;
  description: string;
  tags: string[];
  runUntagged: boolean;
  systemId: string;
  /** Default instance_type. */
  type?: RunnerType;
  /** project_type: full paths of its projects, the owner first. */
  projects?: string[];
  /** group_type: the group's full path. */
  group?: string;
  paused?: boolean;
  /** When it last asked for a job; null (the default) for never. */
  contactedHoursAgo?: number | null;
  /** Default 30 days ago. */
  createdHoursAgo?: number;
}

export interface FixtureCommit {
  sha: string;
  parentSha: string;
  title: string;
  author: string;
  hoursAgo: number;
}

export interface FixtureProject {
  id: number;
  name: string;
  path: string;
  namespace: { id: number; name: string; path: string; fullPath: string; parentId: number | null };
  description: string;
  defaultBranch: string;
  members: Record<string, Role>;
  refs: { name: string; kind: 'branch' | 'tag'; protected: boolean; commits: FixtureCommit[] }[];
  ci: PipelineTemplate;
  /** `workflow:rules` that run pipelines only for merge requests: branch pushes (and POST /pipeline) make none. */
  workflow?: 'merge_request_pipelines_only';
}

export interface FixtureMergeRequest {
  project: string;
  title: string;
  sourceBranch: string;
  targetBranch: string;
  author: string;
  hoursAgo: number;
}

/** How a job of a seeded pipeline ends; jobs without one succeed. */
export interface FixtureOutcome {
  status: 'success' | 'failed' | 'canceled';
  failureReason?: string;
  /** A log file from shared/gitlab-api/traces; otherwise a short runner-like log is made up. */
  trace?: string;
  /** Name of an entry in `archives`, attached as the job's artifacts.zip (plus its junit report, if any). */
  archive?: string;
  seconds?: number;
}

export interface FixturePipeline {
  project: string;
  ref: string;
  source: PipelineSource;
  user: string;
  hoursAgo: number;
  name?: string;
  /** Seeded pipelines are run to the end by a built-in runner; `false` leaves the jobs for a real runner. */
  run: boolean;
  outcomes?: Record<string, FixtureOutcome>;
  /** Manual jobs to play while seeding. */
  play?: string[];
}

export interface Fixture {
  users: FixtureUser[];
  tokens: Record<'maintainer' | 'developer' | 'reporter' | 'readOnly' | 'expired' | 'revoked', FixtureToken>;
  runners: FixtureRunner[];
  projects: FixtureProject[];
  pipelines: FixturePipeline[];
  /** Opened before the pipelines are seeded, so pipelines may run on `refs/merge-requests/:iid/head|merge`. */
  mergeRequests?: FixtureMergeRequest[];
  archives: Record<string, { files: ZipContent; junitReport?: string }>;
  firstIds: { pipeline: number; job: number };
}

// The unit tests' failing report, pointing into the demo workspace's files.
const junitXml = demoUnitTestReport('failed');

const appTemplate: PipelineTemplate = {
  stages: ['build', 'test', 'deploy'],
  jobs: [
    {
      name: 'build', stage: 'build', image: 'node:20', tags: ['docker'],
      script: ['npm ci', 'npm run build'],
      artifacts: { paths: ['dist/', 'reports/', 'coverage/'], expireIn: '1 week', junit: ['reports/junit.xml'] },
    },
    { name: 'test:unit', stage: 'test', image: 'node:20', script: ['npm test'], artifacts: { paths: ['reports/'], when: 'always', expireIn: '3 days', junit: ['reports/junit.xml'] } },
    { name: 'test:lint', stage: 'test', image: 'node:20', script: ['npm run lint'], allowFailure: true },
    {
      name: 'docs:child', stage: 'test',
      trigger: {
        kind: 'child',
        template: {
          stages: ['build', 'publish'],
          jobs: [
            { name: 'docs:build', stage: 'build', script: ['make docs'] },
            { name: 'docs:publish', stage: 'publish', script: ['make publish-docs'] },
          ],
        },
      },
    },
    { name: 'deploy:staging', stage: 'deploy', script: ['./deploy.sh staging'] },
    { name: 'deploy:production', stage: 'deploy', when: 'manual', script: ['./deploy.sh production'] },
    { name: 'deploy-service:trigger', stage: 'deploy', trigger: { kind: 'project', projectPath: 'demo-group/platform/deploy-service' } },
  ],
};

const deployServiceTemplate: PipelineTemplate = {
  stages: ['verify', 'release'],
  jobs: [
    { name: 'verify', stage: 'verify', script: ['./verify.sh'] },
    { name: 'release', stage: 'release', script: ['./release.sh'] },
  ],
};

/** MR pipelines only (the workflow the storefront project declares): a build and its tests. */
const storefrontTemplate: PipelineTemplate = {
  stages: ['build', 'test'],
  jobs: [
    { name: 'build', stage: 'build', image: 'node:20', script: ['npm ci', 'npm run build'], artifacts: { paths: ['dist/'], expireIn: '1 week' } },
    { name: 'test:unit', stage: 'test', image: 'node:20', script: ['npm test'] },
  ],
};

/**
 * The seed: two projects (one in a subgroup, the target of a multi-project trigger), three users with
 * the roles their tokens are named after, a runner, and pipelines in several end states plus one on
 * `main` still waiting for a runner; and a third project whose workflow runs only merge request pipelines,
 * with an open merge request (!1 from `feature/checkout`) that has a detached and a merged results pipeline.
 */
export const seedFixture: Fixture = {
  users: [
    { id: 1, username: 'maria', name: 'Maria Maintainer', email: 'maria@example.com' },
    { id: 2, username: 'dave', name: 'Dave Developer', email: 'dave@example.com' },
    { id: 3, username: 'rita', name: 'Rita Reporter', email: 'rita@example.com' },
  ],
  tokens: {
    maintainer: { token: 'glpat-maintainer-token-0001', name: 'maintainer api', username: 'maria', scopes: ['api'], expiresAt: '2099-01-01' },
    developer: { token: 'glpat-developer-token-0002', name: 'developer api', username: 'dave', scopes: ['api'], expiresAt: '2099-01-01' },
    reporter: { token: 'glpat-reporter-token-00003', name: 'reporter api', username: 'rita', scopes: ['api'], expiresAt: null },
    readOnly: { token: 'glpat-read-only-token-0004', name: 'read only', username: 'maria', scopes: ['read_api'], expiresAt: '2099-01-01' },
    expired: { token: 'glpat-expired-token-000005', name: 'expired', username: 'maria', scopes: ['api'], expiresAt: '2020-01-01' },
    revoked: { token: 'glpat-revoked-token-000006', name: 'revoked', username: 'maria', scopes: ['api'], expiresAt: '2099-01-01', revoked: true },
  },
  runners: [
    // The simulated runner: a project runner of every project (demo-app owns it), online since it ran the seed.
    {
      id: 7, token: 'glrt-fake-runner-token-0007', description: 'fake-runner-1', tags: ['docker', 'linux'], runUntagged: true, systemId: 's_0123456789ab',
      type: 'project_type', projects: ['demo-group/demo-app', 'demo-group/platform/deploy-service', 'demo-group/storefront'], contactedHoursAgo: 0,
    },
    // For variety in the Runners view; none of them asks for jobs.
    {
      id: 8, token: 'glrt-fake-runner-token-0008', description: 'group-runner-arm64', tags: ['arm64'], runUntagged: false, systemId: 's_group0000008',
      type: 'group_type', group: 'demo-group', contactedHoursAgo: 5,
    },
    {
      id: 9, token: 'glrt-fake-runner-token-0009', description: 'shared-runner-legacy', tags: ['shared'], runUntagged: false, systemId: 's_shared000009',
      type: 'instance_type', paused: true, contactedHoursAgo: 24 * 30, createdHoursAgo: 24 * 400,
    },
    {
      id: 10, token: 'glrt-fake-runner-token-0010', description: 'deploy-runner', tags: ['deploy'], runUntagged: false, systemId: 's_deploy000010',
      type: 'project_type', projects: ['demo-group/platform/deploy-service'], contactedHoursAgo: null, createdHoursAgo: 24,
    },
  ],
  projects: [
    {
      id: 1, name: 'demo-app', path: 'demo-app', description: 'A web app whose CI the extension watches.',
      namespace: { id: 10, name: 'demo-group', path: 'demo-group', fullPath: 'demo-group', parentId: null },
      defaultBranch: 'main',
      members: { maria: 'maintainer', dave: 'developer', rita: 'reporter' },
      refs: [
        {
          name: 'main', kind: 'branch', protected: true, commits: [
            { sha: '1f2e3d4c5b6a79880123456789abcdef01234567', parentSha: '0000000000000000000000000000000000000000', title: 'Initial commit', author: 'maria', hoursAgo: 72 },
            { sha: '2a3b4c5d6e7f80910a1b2c3d4e5f60718293a4b5', parentSha: '1f2e3d4c5b6a79880123456789abcdef01234567', title: 'Add cart', author: 'dave', hoursAgo: 48 },
            { sha: '3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f', parentSha: '2a3b4c5d6e7f80910a1b2c3d4e5f60718293a4b5', title: 'Apply coupons at checkout', author: 'dave', hoursAgo: 1 },
          ],
        },
        {
          name: 'feature/login', kind: 'branch', protected: false, commits: [
            { sha: '4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70', parentSha: '2a3b4c5d6e7f80910a1b2c3d4e5f60718293a4b5', title: 'Log in with SSO', author: 'dave', hoursAgo: 20 },
          ],
        },
        {
          name: 'v1.0.0', kind: 'tag', protected: true, commits: [
            { sha: '2a3b4c5d6e7f80910a1b2c3d4e5f60718293a4b5', parentSha: '1f2e3d4c5b6a79880123456789abcdef01234567', title: 'Add cart', author: 'dave', hoursAgo: 48 },
          ],
        },
      ],
      ci: appTemplate,
    },
    {
      id: 2, name: 'deploy-service', path: 'deploy-service', description: 'Deploys what demo-app builds.',
      namespace: { id: 11, name: 'platform', path: 'platform', fullPath: 'demo-group/platform', parentId: 10 },
      defaultBranch: 'main',
      members: { maria: 'maintainer', dave: 'developer', rita: 'reporter' },
      refs: [
        {
          name: 'main', kind: 'branch', protected: true, commits: [
            { sha: '9a8b7c6d5e4f30211a2b3c4d5e6f708192a3b4c5', parentSha: '0000000000000000000000000000000000000000', title: 'Release scripts', author: 'maria', hoursAgo: 100 },
          ],
        },
      ],
      ci: deployServiceTemplate,
    },
    {
      id: 3, name: 'storefront', path: 'storefront', description: 'Runs pipelines for merge requests only.',
      namespace: { id: 10, name: 'demo-group', path: 'demo-group', fullPath: 'demo-group', parentId: null },
      defaultBranch: 'main',
      members: { maria: 'maintainer', dave: 'developer', rita: 'reporter' },
      workflow: 'merge_request_pipelines_only',
      refs: [
        {
          name: 'main', kind: 'branch', protected: true, commits: [
            { sha: '5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081', parentSha: '0000000000000000000000000000000000000000', title: 'Storefront skeleton', author: 'maria', hoursAgo: 96 },
          ],
        },
        {
          name: 'feature/checkout', kind: 'branch', protected: false, commits: [
            { sha: '6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192', parentSha: '5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081', title: 'Pay with saved cards', author: 'dave', hoursAgo: 5 },
          ],
        },
      ],
      ci: storefrontTemplate,
    },
  ],
  pipelines: [
    {
      project: 'demo-group/demo-app', ref: 'main', source: 'push', user: 'dave', hoursAgo: 47, run: true,
      outcomes: {
        build: { status: 'success', trace: 'recorded_raw_trace.log', archive: 'app', seconds: 95 },
        'test:unit': { status: 'success', trace: 'recorded_raw_timestamped_trace.log', archive: 'app', seconds: 61 },
        'test:lint': { status: 'failed', failureReason: 'script_failure', seconds: 12 },
        'deploy:staging': { status: 'success', trace: 'SYNTH_plain_trace.log', seconds: 30 },
      },
    },
    {
      project: 'demo-group/demo-app', ref: 'feature/login', source: 'push', user: 'dave', hoursAgo: 19, run: true,
      outcomes: {
        build: { status: 'success', trace: 'SYNTH_timestamped_trace.log', archive: 'app', seconds: 88 },
        'test:unit': { status: 'failed', failureReason: 'script_failure', archive: 'app', seconds: 40 },
      },
    },
    {
      project: 'demo-group/demo-app', ref: 'v1.0.0', source: 'push', user: 'maria', hoursAgo: 46, run: true,
      outcomes: { 'test:unit': { status: 'canceled' } },
    },
    { project: 'demo-group/demo-app', ref: 'main', source: 'web', user: 'maria', hoursAgo: 0, run: false, name: 'Nightly-ish' },
    {
      project: 'demo-group/storefront', ref: 'refs/merge-requests/1/head', source: 'merge_request_event', user: 'dave', hoursAgo: 4, run: true,
      outcomes: { build: { status: 'success', archive: 'app', seconds: 50 } },
    },
    {
      project: 'demo-group/storefront', ref: 'refs/merge-requests/1/merge', source: 'merge_request_event', user: 'dave', hoursAgo: 3, run: true,
      outcomes: { build: { status: 'success', archive: 'app', seconds: 52 }, 'test:unit': { status: 'failed', failureReason: 'script_failure', seconds: 33 } },
    },
  ],
  mergeRequests: [
    { project: 'demo-group/storefront', title: 'Checkout: pay with saved cards', sourceBranch: 'feature/checkout', targetBranch: 'main', author: 'dave', hoursAgo: 5 },
  ],
  archives: {
    app: {
      files: {
        'dist/app.js': 'console.log("demo-app");\n'.repeat(40),
        'dist/index.html': '<!doctype html><title>demo-app</title><script src="app.js"></script>\n',
        'dist/assets/logo.png': fakePng(6000),
        'dist/assets/styles/main.css': 'body { font-family: sans-serif; }\n',
        'reports/junit.xml': junitXml,
        'reports/summary.txt': 'tests: 3, failures: 1, duration: 1.204 s\ncoverage: 81.4%\n',
        'coverage/index.html': '<html><body>Coverage 81.4%</body></html>\n',
        'logs/': '',
      },
      junitReport: junitXml,
    },
  },
  firstIds: { pipeline: 1001, job: 5001 },
};
