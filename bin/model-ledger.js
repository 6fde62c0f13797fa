#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm ci` through `prepare`, and the only form an installed
// package ships). Only in a source checkout whose dist/ is missing or older than a file in src/ does it
// compile the TypeScript on the fly through tsx, which costs seconds of start-up on every command.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cli.js');
const sources = join(root, 'src');

/**
 * True when some file under src/ changed after dist/cli.js was written, or has no module in dist/
 * (a build cut short, a file deleted): a command would fail on it with Node's own error.
 */
function distIsStale() {
  const builtAt = statSync(built).mtimeMs;
  for (const entry of readdirSync(sources, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    if (statSync(file).mtimeMs > builtAt) return true;
    if (file.endsWith('.ts') && !existsSync(join(root, 'dist', file.slice(sources.length + 1, -3) + '.js'))) return true;
  }
  return false;
}

let cli;
if (existsSync(built) && !(existsSync(sources) && distIsStale())) {
  cli = await import('../dist/cli.js');
} else if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli.ts');
} else {
  process.stderr.write('model-ledger: dist/cli.js is missing; run `npm run build` in the package directory\n');
  process.exit(70);
}
process.exitCode = await cli.main(process.argv);
