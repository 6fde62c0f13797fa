/**
 * npm run bench -- [NAME] [--json]
 * Runs one benchmark (fetch, extract, reconcile, diff) or all of them, and prints one JSON
 * object of figures: times in ms, throughputs, peak RSS in MB and ratios as plain numbers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const NAMES = ['fetch', 'extract', 'reconcile', 'diff'] as const;
type Figures = Record<string, number | string>;

const args = process.argv.slice(2);
const json = args.includes('--json');
const requested = args.filter((a) => !a.startsWith('--'));
const unknown = requested.filter((n) => !(NAMES as readonly string[]).includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} (benchmarks: ${NAMES.join(', ')})`);
  process.exit(64);
}
const names = requested.length ? requested : [...NAMES];

const results: Record<string, Figures> = {};
for (const name of names) {
  const file = join(import.meta.dirname, `${name}.ts`);
  if (!existsSync(file)) {
    results[name] = { error: 'benchmark not written yet' };
    continue;
  }
  const module = (await import(file)) as { run: () => Promise<Figures> };
  if (!json) console.error(`running ${name}…`);
  results[name] = await module.run();
}
const output = names.length === 1 ? results[names[0]] : results;
console.log(json ? JSON.stringify(output) : JSON.stringify(output, null, 2));
