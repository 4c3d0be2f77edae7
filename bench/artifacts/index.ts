// Artifacts benchmark: a 1 GiB archive on the fake GitLab (object storage behind a 302, as on gitlab.com).
// Measures peak memory of our download against an idle process, throughput against curl fetching the same
// signed object-storage URL, and the bytes moved to list the archive and to extract one small file.
//
//   npm run compile-tests && node out/bench/artifacts/index.js

import { execFile } from 'node:child_process';
import diagnosticsChannel from 'node:diagnostics_channel';
import { mkdir, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { GitLab } from '../../src/gitlab';
import { ArchiveBrowser } from '../../src/gitlab/archive/browse';
import { startFakeGitLab, type FakeGitLab } from '../../test/fake-gitlab';
import { ensureBenchArchive, type BenchArchive } from './archive';
import type { ChildJob, ChildMode, ChildReport } from './child';
import { runMeasuredChild } from '../memory';
import { formatBytes, median } from '../stats';

export interface BenchRow {
  readonly measure: string;
  readonly ours: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly goal: string;
  /** Undefined for rows that only give context. */
  readonly met?: boolean;
}

export interface BenchOptions {
  /** Where the archive is built and reused; default bench/.data (git-ignored). */
  readonly dataDir?: string;
  /** Download rounds, each ours then curl; medians are reported. */
  readonly rounds?: number;
  readonly log?: (line: string) => void;
}

const PROJECT = 'demo-group/demo-app';
const MiB = 1024 * 1024;
const RSS_GOAL_BYTES = 80 * MiB;
const THROUGHPUT_GOAL = 0.8;
const PARTIAL_READ_GOAL = 0.01;

export async function runArtifactsBench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const dataDir = options.dataDir ?? resolve(__dirname, '../../../bench/.data');
  const scratch = join(dataDir, 'scratch');
  const archive = await ensureBenchArchive(dataDir, log);
  const gl = await startFakeGitLab();
  try {
    const jobId = gl.state.findJobs({ name: 'build', status: 'success' }).sort((a, b) => a.id - b.id)[0].id;
    gl.state.attachArchiveFile(jobId, archive.path, { sha256: archive.sha256 });
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    const child = (mode: ChildMode, destination = ''): Promise<ChildReport> =>
      runChild({ mode, instanceUrl: gl.url, token: gl.tokens.developer, project: PROJECT, jobId, destination });

    log('measuring memory');
    const idle = await child('idle');
    const receiving = await child('receive');
    const extracting = await child('download-extract', join(scratch, 'extracted'));
    await rm(join(scratch, 'extracted'), { recursive: true, force: true });

    const ours: ChildReport[] = [];
    const oursWithoutEtag: ChildReport[] = [];
    const curl: CurlReport[] = [];
    for (let round = 1; round <= (options.rounds ?? 3); round++) {
      log(`download round ${round}`);
      for (const [etag, reports] of [[true, ours], [false, oursWithoutEtag]] as const) {
        gl.features.artifactEtag = etag;
        reports.push(await child('download', join(scratch, 'ours.zip')));
        await rm(join(scratch, 'ours.zip'), { force: true });
      }
      gl.features.artifactEtag = true;
      const signedUrl = (await new GitLab({ instanceUrl: gl.url, token: gl.tokens.developer }).artifacts.locateArchive(PROJECT, { jobId })).url;
      curl.push(await runCurl(signedUrl, join(scratch, 'curl.zip')));
      await rm(join(scratch, 'curl.zip'), { force: true });
    }
    for (const report of [...ours, ...oursWithoutEtag, ...curl]) {
      if (report.bytes !== archive.size) throw new Error(`a download moved ${report.bytes} bytes, not ${archive.size}`);
    }

    log('measuring bytes moved for listing and one file');
    const moved = await measurePartialReads(gl, jobId, archive, join(scratch, 'partial'));
    await rm(scratch, { recursive: true, force: true });

    const downloadPeak = Math.max(...[...ours, ...oursWithoutEtag].map((report) => report.peakRssBytes));
    const rate = (reports: readonly (ChildReport | CurlReport)[]): number => median(reports.map((report) => report.bytes / report.seconds));
    const curlRate = rate(curl);
    const throughputRow = (measure: string, oursRate: number): BenchRow => ({
      measure: `${measure}, ${formatBytes(archive.size)} via 302 to object storage (median of ${curl.length})`,
      ours: `${formatBytes(oursRate)}/s`,
      baseline: `${formatBytes(curlRate)}/s (curl -L, signed URL)`,
      ratio: `${(oursRate / curlRate).toFixed(2)}× curl`,
      goal: `≥ ${THROUGHPUT_GOAL}× curl`,
      met: oursRate >= THROUGHPUT_GOAL * curlRate,
    });
    return [
      { ...memoryRow('Peak RSS: receiving only (body read and dropped: Node + undici alone)', receiving.peakRssBytes, idle.peakRssBytes), goal: 'context', met: undefined },
      memoryRow('Peak RSS: download (stream → checks → file)', downloadPeak, idle.peakRssBytes),
      memoryRow('Peak RSS: download + extraction', extracting.peakRssBytes, idle.peakRssBytes),
      throughputRow('Throughput with the sha256 ETag check (newest GitLab)', rate(ours)),
      throughputRow('Throughput with the size check only (no ETag)', rate(oursWithoutEtag)),
      ...moved.map(({ measure, bytes }) => ({
        measure,
        ours: formatBytes(bytes),
        baseline: `${formatBytes(archive.size)} (full download)`,
        ratio: `${((bytes / archive.size) * 100).toFixed(3)} %`,
        goal: `< ${PARTIAL_READ_GOAL * 100} %`,
        met: bytes < PARTIAL_READ_GOAL * archive.size,
      })),
    ];
  } finally {
    await gl.close();
  }
}

function memoryRow(measure: string, peak: number, idle: number): BenchRow {
  return {
    measure,
    ours: formatBytes(peak),
    baseline: `${formatBytes(idle)} (idle process, same modules)`,
    ratio: `+${formatBytes(peak - idle)}`,
    goal: `≤ +${formatBytes(RSS_GOAL_BYTES)}`,
    met: peak - idle <= RSS_GOAL_BYTES,
  };
}

/**
 * Bytes received (headers included) by fresh clients: each scenario gets its own GitLab client, so its own
 * sockets, whose byte counts undici's diagnostics channel hands us.
 */
async function measurePartialReads(gl: FakeGitLab, jobId: number, archive: BenchArchive, outDir: string): Promise<{ measure: string; bytes: number }[]> {
  const sockets = new Set<Socket>();
  const onConnected = (message: unknown): void => {
    sockets.add((message as { socket: Socket }).socket);
  };
  diagnosticsChannel.subscribe('undici:client:connected', onConnected);
  const received = (): number => [...sockets].reduce((sum, socket) => sum + socket.bytesRead, 0);
  const measure = async (name: string, features: Partial<FakeGitLab['features']>, action: (gitlab: GitLab, browser: ArchiveBrowser) => Promise<unknown>): Promise<{ measure: string; bytes: number }> => {
    Object.assign(gl.features, { artifactsTree: true, artifactsRedirect: true, objectStorageRanges: true, artifactEtag: true }, features);
    const before = received();
    await action(new GitLab({ instanceUrl: gl.url, token: gl.tokens.developer }), new ArchiveBrowser({ cacheDir: join(outDir, 'cache') }));
    return { measure: name, bytes: received() - before };
  };
  const smallFile = join(outDir, 'summary.txt');
  try {
    return [
      await measure('List the top folder: GitLab tree endpoint', {}, (gitlab, browser) => browser.list(gitlab, PROJECT, jobId)),
      await measure('List the top folder: ranged central-directory read', { artifactsTree: false }, (gitlab, browser) => browser.list(gitlab, PROJECT, jobId)),
      await measure('Extract one small file: single-file endpoint', {}, (gitlab, browser) =>
        browser.fetchFile(gitlab, PROJECT, { jobId }, archive.smallFile, smallFile)),
      await measure('Extract one small file: ranged read (endpoint failing)', {}, (gitlab, browser) => {
        gl.faults.add({ route: /\/artifacts\/reports\/summary\.txt$/, origin: 'api', kind: 'serverError' });
        return browser.fetchFile(gitlab, PROJECT, { jobId }, archive.smallFile, smallFile);
      }),
    ];
  } finally {
    diagnosticsChannel.unsubscribe('undici:client:connected', onConnected);
  }
}

function runChild(job: ChildJob): Promise<ChildReport> {
  return runMeasuredChild<ChildJob, ChildReport>(join(__dirname, 'child.js'), job);
}

interface CurlReport {
  readonly seconds: number;
  readonly bytes: number;
}

/** curl's own timing (no process start-up), on the signed URL alone: it never sees the token. */
async function runCurl(url: URL, outFile: string): Promise<CurlReport> {
  const { stdout } = await promisify(execFile)('curl', ['-sS', '-L', '-o', outFile, '-w', '%{time_total} %{size_download}', url.href]);
  const [seconds, bytes] = stdout.trim().split(' ').map(Number);
  return { seconds, bytes };
}

export function formatTable(rows: readonly BenchRow[]): string {
  const lines = ['| Measure | Ours | Baseline | Ratio | Goal | Met |', '|---|---|---|---|---|---|'];
  const verdict = (met: boolean | undefined): string => (met === undefined ? '' : met ? 'yes' : '**no**');
  for (const row of rows) lines.push(`| ${row.measure} | ${row.ours} | ${row.baseline} | ${row.ratio} | ${row.goal} | ${verdict(row.met)} |`);
  return lines.join('\n');
}

if (require.main === module) {
  runArtifactsBench().then(
    (rows) => {
      console.log(formatTable(rows));
      process.exitCode = rows.every((row) => row.met !== false) ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
