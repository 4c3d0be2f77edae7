// The economy measure alone (`node out/bench/economyMain.js` after `npm run build && npm run compile-tests`):
// prints its sections as `npm run bench` would write them, without running every other measure.
import { runEconomyBench } from './economy';
import { renderReport } from './report';

async function main(): Promise<void> {
  const startedAt = new Date();
  const sections = await runEconomyBench((line) => console.log(`[bench] ${line}`));
  console.log(renderReport(sections, { startedAt, seconds: (Date.now() - startedAt.getTime()) / 1000 }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
