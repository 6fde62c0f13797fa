/**
 * A large page must not stall the pipeline: a markdown pricing page of 2,000 and of 20,000 rows
 * (`| Model | Input | Output |`, distinct made-up names that all share one leading word, $ prices),
 * each ingested into a fresh ledger by the app's own ingestFile: snapshot, extract, store, new-model
 * candidates, identity links, reconcile and queue. Each size runs in its own child process (its
 * peak RSS is its own) after a 50-row warm-up ingest. The limits are raised for the run: at the
 * default 5,000 new models per capture the 20,000-row page fails at once, as a hostile one should.
 * `large_page_ratio` is the 20,000-row ingest's wall time over the 2,000-row one's (target <= 15).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestFile } from '../src/app/sync.ts';
import { workspace, type Workspace } from '../src/app/workspace.ts';

/** The page: `rows` models, each with an input and an output price. */
export function pricingPage(rows: number): string {
  const lines = ['# Acme API pricing', '', '| Model | Input | Output |', '|---|---|---|'];
  for (let i = 0; i < rows; i++) {
    const input = 0.1 + (i % 500) * 0.01;
    lines.push(`| Nimbus-${i} Turbo | $${input.toFixed(2)} | $${(input * 4).toFixed(2)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** A fresh workspace holding one first-party markdown pricing source, `acme`, and the page. */
function workspaceWith(rows: number): { ws: Workspace; file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ml-bench-large-'));
  mkdirSync(join(dir, 'sources'));
  mkdirSync(join(dir, 'snapshots'));
  const source = { id: 'acme', name: 'Acme pricing', kind: 'first-party', url: 'https://acme.example/pricing', format: 'markdown', extractor: 'pricing', provider: 'acme', trust: 0.9, expect: { min_models: 1, fields: ['input_price'] } };
  writeFileSync(join(dir, 'sources', 'acme.json'), JSON.stringify(source));
  const file = join(dir, 'pricing.md');
  writeFileSync(file, pricingPage(rows));
  return { dir, file, ws: workspace({ db: join(dir, 'ledger.sqlite'), sourcesDir: join(dir, 'sources'), snapshotsDir: join(dir, 'snapshots'), aliasesFile: join(dir, 'aliases.yaml') }) };
}

const LIMITS = { maxClaims: 200_000, maxNewModels: 50_000 };

async function ingest(rows: number) {
  const { dir, file, ws } = workspaceWith(rows);
  try {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const summary = await ingestFile(ws, file, { source: 'acme', observedAt: '2026-01-01', limits: LIMITS });
    const cpu = process.cpuUsage(cpuStart);
    if (summary.sources[0].outcome !== 'updated') throw new Error(`ingest of ${rows} rows: ${summary.sources[0].outcome} ${summary.sources[0].problems.join('; ')}`);
    return { ms: performance.now() - started, cpu_ms: (cpu.user + cpu.system) / 1000, claims: summary.claims, read_ms: summary.timings?.read_ms ?? 0, reconcile_ms: summary.timings?.reconcile_ms ?? 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(rows: number): Promise<Record<string, number>> {
  await ingest(50);
  const figures = await ingest(rows);
  return { ...figures, peak_rss_mb: process.resourceUsage().maxRSS / 1024 };
}

function measureInChild(rows: number): Record<string, number> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(rows)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`bench child for ${rows} rows failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

export async function run(): Promise<Record<string, number>> {
  const small = measureInChild(2_000);
  const large = measureInChild(20_000);
  const round = (n: number) => Math.round(n);
  return {
    rows_2k_claims: small.claims,
    rows_2k_ms: round(small.ms),
    rows_2k_cpu_ms: round(small.cpu_ms),
    rows_2k_read_ms: small.read_ms,
    rows_2k_reconcile_ms: small.reconcile_ms,
    rows_2k_peak_rss_mb: round(small.peak_rss_mb),
    rows_20k_claims: large.claims,
    rows_20k_ms: round(large.ms),
    rows_20k_cpu_ms: round(large.cpu_ms),
    rows_20k_read_ms: large.read_ms,
    rows_20k_reconcile_ms: large.reconcile_ms,
    rows_20k_peak_rss_mb: round(large.peak_rss_mb),
    large_page_ratio: Math.round((large.ms / small.ms) * 100) / 100,
    large_page_cpu_ratio: Math.round((large.cpu_ms / small.cpu_ms) * 100) / 100,
  };
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(await measure(Number(process.argv[3]))));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
}
