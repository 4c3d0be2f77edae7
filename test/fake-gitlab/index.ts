import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from './app';
import { Faults } from './faults';
import { seedFixture, type Fixture } from './fixture';
import { ObjectStorage } from './object-storage';
import { registerArtifactRoutes } from './routes-artifacts';
import { registerJobRoutes } from './routes-jobs';
import { registerMergeRequestRoutes } from './routes-merge-requests';
import { registerPipelineReportRoutes } from './routes-pipeline-reports';
import { registerPipelineRoutes } from './routes-pipelines';
import { registerProjectRoutes } from './routes-projects';
import { registerRunnerRoutes } from './routes-runner';
import { registerRunnersRoutes } from './routes-runners';
import { seedState } from './seed';
import { FakeState } from './state';
import { registerCiLintRoutes } from './routes-ci-lint';
import { featuresOf, type Features, type Generation, type RecordedRequest } from './types';

export type { Fixture } from './fixture';
export type { FaultHandle, FaultKind, FaultSpec, Faults } from './faults';
export type { JobRecord, PipelineRecord, ProjectRecord, StoredArtifact } from './model';
export { FakeState, ManualClock, type Clock } from './state';
export type { MergeRequestPipelineKind, MergeRequestRecord } from './merge-requests';
export { seedFixture } from './fixture';
export { writeZip } from './zips';
export type { Features, Generation, JobStatus, RecordedRequest } from './types';
export { generations, featuresOf } from './types';

export interface FakeGitLabOptions {
  /** Default: the readable seed fixture in fixture.ts. */
  fixture?: Fixture;
  /** Which GitLab to be (default '18.2', the version most users run); `features` then overrides single switches (types.ts). */
  generation?: Generation;
  features?: Partial<Features>;
  /** GitLab's configured external URL, used in Link headers and web_url (default: the server's own URL). */
  externalUrl?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** The object-storage origin's port (default 0, ephemeral), e.g. to forward it from a container. */
  objectStoragePort?: number;
}

export interface FakeGitLab {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  /** url + '/api/v4' */
  apiUrl: string;
  /** The second origin artifact downloads redirect to, on another host (127.0.0.2, or 'localhost'). */
  objectStorage: { url: string; requests: RecordedRequest[] };
  /** Every API request, in order. */
  requests: RecordedRequest[];
  state: FakeState;
  generation: Generation;
  /** Mutable at run time. */
  features: Features;
  faults: Faults;
  tokens: { maintainer: string; developer: string; reporter: string; readOnly: string; expired: string; revoked: string; runner: string };
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Binds object storage to another loopback address so that "another host" is real; else uses the name 'localhost'. */
async function listenElsewhere(server: Server, wantedPort: number): Promise<string> {
  try {
    const { port } = await listen(server, wantedPort, '127.0.0.2');
    return `http://127.0.0.2:${port}`;
  } catch {
    const { port } = await listen(server, wantedPort, '127.0.0.1');
    return `http://localhost:${port}`;
  }
}

export async function startFakeGitLab(options: FakeGitLabOptions = {}): Promise<FakeGitLab> {
  const fixture = options.fixture ?? seedFixture;
  const storageDir = await mkdtemp(path.join(tmpdir(), 'fake-gitlab-'));
  const generation = options.generation ?? '18.2';
  const features: Features = { ...featuresOf(generation), ...options.features };
  const state = new FakeState();
  const faults = new Faults();
  const closing = new AbortController();
  const objectStorage = new ObjectStorage(features, faults, () => state.clock, closing.signal);
  const app = new App(state, features, objectStorage, storageDir, faults, closing);
  registerProjectRoutes(app.router);
  registerPipelineRoutes(app.router);
  registerPipelineReportRoutes(app.router);
  registerArtifactRoutes(app.router, features);
  registerJobRoutes(app.router);
  registerRunnerRoutes(app.router);
  registerRunnersRoutes(app.router);
  registerMergeRequestRoutes(app.router);
  registerCiLintRoutes(app.router, features);

  const serve = (handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => (req: IncomingMessage, res: ServerResponse): void => {
    handler(req, res).catch((error: unknown) => {
      console.error('fake GitLab: request failed', error);
      res.destroy();
    });
  };
  const apiServer = createServer(serve((req, res) => app.handle(req, res)));
  const storageServer = createServer(serve((req, res) => objectStorage.handle(req, res)));
  const close = async (): Promise<void> => {
    app.stopTimers();
    await Promise.all([closeServer(apiServer), closeServer(storageServer)]);
    await rm(storageDir, { recursive: true, force: true });
  };
  try {
    const { port } = await listen(apiServer, options.port ?? 0, '127.0.0.1');
    app.url = `http://127.0.0.1:${port}`;
    app.externalUrl = (options.externalUrl ?? app.url).replace(/\/+$/, '');
    objectStorage.url = await listenElsewhere(storageServer, options.objectStoragePort ?? 0);
    await seedState(state, fixture, storageDir);
  } catch (error) {
    await close();
    throw error;
  }
  const firstRunner = fixture.runners[0];
  return {
    url: app.url,
    apiUrl: `${app.url}/api/v4`,
    objectStorage: { url: objectStorage.url, requests: objectStorage.requests },
    requests: app.requests,
    state,
    generation,
    features,
    faults,
    tokens: {
      maintainer: fixture.tokens.maintainer.token,
      developer: fixture.tokens.developer.token,
      reporter: fixture.tokens.reporter.token,
      readOnly: fixture.tokens.readOnly.token,
      expired: fixture.tokens.expired.token,
      revoked: fixture.tokens.revoked.token,
      runner: firstRunner?.token ?? '',
    },
    close,
  };
}
