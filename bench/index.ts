/**
 * npm run bench -- [NAME] [--json]
 * Runs one benchmark (fetch, extract, reconcile, diff, offline, large-page, startup, memory) or all of them, and prints one JSON
 * object of figures: times in ms, throughputs, peak RSS in MB and ratios as plain numbers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const NAMES = ['fetch', 'extract', 'reconcile', 'diff', 'offline', 'large-page', 'startup', 'memory'] as const;
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

/** Each benchmark runs in a process of its own, so that one's peak RSS does not leak into another's. */
function runInChild(name: string): Figures {
  const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], name, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) return { error: `exited with ${child.status}` };
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!);
}

async function runHere(name: string): Promise<Figures> {
  const file = join(import.meta.dirname, `${name}.ts`);
  if (!existsSync(file)) return { error: 'benchmark not written yet' };
  const module = (await import(file)) as { run: () => Promise<Figures> };
  return module.run();
}

if (names.length === 1) {
  const figures = await runHere(names[0]);
  console.log(json ? JSON.stringify(figures) : JSON.stringify(figures, null, 2));
} else {
  const results: Record<string, Figures> = {};
  for (const name of names) {
    if (!json) console.error(`running ${name}…`);
    results[name] = runInChild(name);
  }
  console.log(json ? JSON.stringify(results) : JSON.stringify(results, null, 2));
}
