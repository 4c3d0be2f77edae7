// `npm run bench:scale`: the scale table and the soak alone (about 15 minutes; BENCH_SOAK_MINUTES=1 for a
// quick check), printed as docs/BENCHMARKS.md would show them. It does not write the report: `npm run bench`
// does, with every measure. Expects the release bundle and the compiled bench (the npm script builds both).
import { renderReport } from '../report';
import { runScaleBench } from './index';

async function main(): Promise<void> {
  const startedAt = new Date();
  const sections = await runScaleBench((line) => console.log(`[bench] ${line}`));
  console.log(`\n${renderReport(sections, { startedAt, seconds: (Date.now() - startedAt.getTime()) / 1000 })}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
