// The results page: docs/BENCHMARKS.md, one table per measure, ratios first and absolute figures beside them.
import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';

/** One line of a table. The artifacts and logs benchmarks return rows of this shape too. */
export interface ResultRow {
  readonly measure: string;
  readonly ratio: string;
  readonly ours: string;
  readonly baseline: string;
  readonly goal: string;
  /** Undefined where the row has no goal of its own (context for another row). */
  readonly met?: boolean;
}

export interface Section {
  readonly title: string;
  /** How it was measured, in a sentence or two. */
  readonly method: string;
  readonly rows: readonly ResultRow[];
  /** What could not be measured, and why. */
  readonly notes?: readonly string[];
}

export interface RunInfo {
  readonly startedAt: Date;
  readonly seconds: number;
}

export function renderReport(sections: readonly Section[], run: RunInfo): string {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/): the fake GitLab on loopback, each measure beside its baseline in the',
    'same run. Benchmarks, not tests: nothing here fails CI on a slow machine. Regenerate rather than edit.',
    '',
    `- Date: ${run.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} (run took ${Math.round(run.seconds)} s)`,
    `- Machine: ${machine()}`,
    `- Commit: ${commit()}`,
    '',
    '## Goals',
    '',
    '| Goal | Met | Figure |',
    '|---|---|---|',
    ...sections.flatMap((section) =>
      section.rows.filter((row) => row.met !== undefined).map((row) => `| ${cell(row.goal)} — ${cell(row.measure)} | ${verdict(row.met)} | ${cell(row.ours)} |`),
    ),
  ];
  for (const section of sections) {
    lines.push('', `## ${section.title}`, '', section.method, '', '| Measure | Ratio | Ours | Baseline | Goal | Met |', '|---|---|---|---|---|---|');
    for (const row of section.rows) {
      lines.push(`| ${cell(row.measure)} | ${cell(row.ratio)} | ${cell(row.ours)} | ${cell(row.baseline)} | ${cell(row.goal)} | ${verdict(row.met)} |`);
    }
    for (const note of section.notes ?? []) lines.push('', `Note: ${note}`);
  }
  return lines.join('\n') + '\n';
}

function verdict(met: boolean | undefined): string {
  if (met === undefined) return '';
  return met ? 'yes' : '**no**';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function machine(): string {
  const cores = cpus();
  const model = cores[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return `${model}, ${cores.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}, Node ${process.version}`;
}

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    // The report itself is rewritten by every run: it does not make the checkout dirty.
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/BENCHMARKS.md'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha} with uncommitted changes` : sha;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
