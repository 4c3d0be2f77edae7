// python-gitlab's CLI downloading the artifacts benchmark's archive (1 GiB, behind a 302 to object storage),
// beside our client downloading the same archive from the same fake in the same run.
import { fork } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeGitLab, type FakeGitLab, type RecordedRequest } from '../test/fake-gitlab';
import { ensureBenchArchive } from './artifacts/archive';
import type { ChildJob, ChildReport } from './artifacts/child';
import { pythonGitlab } from './pythonGitlab';
import type { ResultRow, Section } from './report';
import { formatBytes, ratio } from './stats';

const PROJECT_ID = 1;
const TOKEN_HEADERS = ['private-token', 'authorization', 'job-token'];

export async function runArtifactsCliBench(dataDir: string, log: (line: string) => void): Promise<Section> {
  const archive = await ensureBenchArchive(dataDir, log);
  const scratch = join(dataDir, 'cli-scratch');
  await mkdir(scratch, { recursive: true });
  const fake = await startFakeGitLab();
  try {
    const jobId = fake.state.findJobs({ projectId: PROJECT_ID, name: 'build', status: 'success' }).sort((a, b) => a.id - b.id)[0].id;
    fake.state.attachArchiveFile(jobId, archive.path, { sha256: archive.sha256 });
    const cli = await pythonGitlab(fake.url, fake.tokens.developer, scratch);
    const method = `The artifacts benchmark's ${formatBytes(archive.size)} archive on a fake GitLab that answers with a 302 to its object storage on another loopback address, downloaded to a file once by each: ours in a fresh Node process (\`downloadToFile\`, bench/artifacts/child.ts), python-gitlab as \`project-job artifacts --project-id ${PROJECT_ID} --id <job> > file\`, the invocation its documentation gives. Peak RSS is the kernel's high-water mark of each process.`;
    if (!cli) return { title: 'Artifacts: python-gitlab CLI', method, rows: [], notes: ['python-gitlab is not installed (apt-get install gitlab-cli): nothing to compare.'] };

    log(`artifacts: ${cli.version} downloads ${formatBytes(archive.size)}`);
    const pythonFile = join(scratch, 'python-gitlab.zip');
    const python = await withStorageRequests(fake, () => cli.run(['project-job', 'artifacts', '--project-id', String(PROJECT_ID), '--id', String(jobId)], pythonFile));
    await expectSize(pythonFile, archive.size);
    await rm(pythonFile, { force: true });

    log('artifacts: our client downloads the same archive');
    const oursFile = join(scratch, 'ours.zip');
    const ours = await withStorageRequests(fake, () =>
      runChild({ mode: 'download', instanceUrl: fake.url, token: fake.tokens.developer, project: String(PROJECT_ID), jobId, destination: oursFile }),
    );
    await expectSize(oursFile, archive.size);

    const oursMs = ours.result.seconds * 1000;
    const rate = (ms: number) => `${formatBytes((archive.size * 1000) / ms)}/s`;
    const rows: ResultRow[] = [
      {
        measure: `Download ${formatBytes(archive.size)}: wall time`,
        ratio: `${ratio(oursMs, python.result.ms)} (${(python.result.ms / oursMs).toFixed(1)}× faster)`,
        ours: `${(oursMs / 1000).toFixed(2)} s (${rate(oursMs)})`,
        baseline: `${(python.result.ms / 1000).toFixed(2)} s (${rate(python.result.ms)}), ${cli.version}, process start-up included`,
        goal: '',
      },
      {
        measure: `Download ${formatBytes(archive.size)}: peak RSS`,
        ratio: ratio(ours.result.peakRssBytes, python.result.peakRssBytes),
        ours: formatBytes(ours.result.peakRssBytes),
        baseline: `${formatBytes(python.result.peakRssBytes)} (python-gitlab holds the whole archive in memory before writing it)`,
        goal: '',
      },
      {
        measure: 'Token sent to the object-storage host',
        ratio: 'n/a',
        ours: tokenHeadersSent(ours.storageRequests),
        baseline: tokenHeadersSent(python.storageRequests),
        goal: '',
      },
    ];
    return { title: 'Artifacts: python-gitlab CLI', method, rows };
  } finally {
    await fake.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function withStorageRequests<T>(fake: FakeGitLab, run: () => Promise<T>): Promise<{ result: T; storageRequests: RecordedRequest[] }> {
  const first = fake.objectStorage.requests.length;
  const result = await run();
  return { result, storageRequests: fake.objectStorage.requests.slice(first) };
}

function tokenHeadersSent(requests: readonly RecordedRequest[]): string {
  const sent = TOKEN_HEADERS.filter((header) => requests.some((request) => request.headers[header] !== undefined));
  return sent.length ? `yes (${sent.join(', ')})` : 'no';
}

async function expectSize(file: string, size: number): Promise<void> {
  const actual = (await stat(file)).size;
  if (actual !== size) throw new Error(`${file} has ${actual} bytes, not ${size}`);
}

/** The artifacts benchmark's measured child (bench/artifacts/child.ts), forked for one job. */
function runChild(job: ChildJob): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'artifacts', 'child.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: ChildReport | undefined;
    child.once('message', (message: ChildReport) => (report = message));
    child.once('error', reject);
    child.once('exit', (code) => (report && code === 0 ? resolve(report) : reject(new Error(`the ${job.mode} child exited with ${code}`))));
    child.send(job);
  });
}
