/**
 * CLI start-up: `model-ledger --version` (bin/model-ledger.js, as npm's link runs it) against a bare
 * `node -e 0`, each run RUNS times, alternating so that both see the same load on the machine; the
 * figures are the medians of wall time. dist/ is built first, as `npm ci` leaves it, so the figure is
 * the compiled CLI's and not tsx's. `cli_startup_ratio` = CLI median over node median (target <= 3).
 * Beside them, a reviewer's command on a real ledger (the shipped default, synced offline first):
 * `explain` of one model (`cli_explain_ms`, `cli_explain_over_node`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const RUNS = 11;

function wallMs(args: string[]): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${child.status}: ${child.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Compiles src/ into dist/ as `npm ci` does, so bin/model-ledger.js runs the compiled CLI. */
export function buildDist(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
}

export async function run(): Promise<Record<string, number>> {
  buildDist();
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const bin = join(ROOT, 'bin/model-ledger.js');
  const explain = [bin, '--db', join(dir, 'ledger.sqlite'), 'explain', 'GPT-5.2 Codex'];
  try {
    wallMs([bin, '--db', join(dir, 'ledger.sqlite'), 'sync', '--offline', '--quiet']);
    const cli: number[] = [];
    const bare: number[] = [];
    const explained: number[] = [];
    wallMs([bin, '--version']);
    wallMs(explain);
    for (let i = 0; i < RUNS; i++) {
      bare.push(wallMs(['-e', '0']));
      cli.push(wallMs([bin, '--version']));
      explained.push(wallMs(explain));
    }
    const cliMs = median(cli);
    const nodeMs = median(bare);
    const explainMs = median(explained);
    return {
      runs: RUNS,
      cli_version_ms: Math.round(cliMs),
      node_e0_ms: Math.round(nodeMs),
      cli_startup_ratio: Math.round((cliMs / nodeMs) * 100) / 100,
      cli_explain_ms: Math.round(explainMs),
      cli_explain_over_node: Math.round((explainMs / nodeMs) * 100) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
