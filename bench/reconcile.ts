/**
 * Reconciler scale benchmark: synthetic claims (entities x 20 fields x 5 sources) at 100k and 1M.
 * Each size runs in its own child process so its peak RSS is its own; the figures are the wall and
 * CPU time of reconcile() alone (generation excluded; CPU includes GC threads) and the child's peak
 * RSS (input claims and output facts included). Wall time depends on what else the machine runs.
 *
 * The same 1M claims are then written as a CSV and run through the command a user runs,
 * `model-ledger reconcile --claims FILE --json` from the built dist/, output to /dev/null: its whole
 * wall and CPU time (start-up, reading, parsing, reconciling, printing) over the library's
 * reconcile() time (`claims_file_over_library`, target <= 1.5) and its peak RSS (`claims_file_rss_mb`,
 * target <= 1000).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist } from './startup.ts';
import type { Claim } from '../src/schema/claim.ts';
import { FIELD_NAMES, FIELDS, type FieldName } from '../src/schema/fields.ts';
import type { Source } from '../src/schema/source.ts';
import { reconcile } from '../src/reconcile/index.ts';

const FIELDS_USED = FIELD_NAMES.slice(0, 20);

/** One source per kind plus two aggregators; each misreports a field with its own error rate. */
export const BENCH_SOURCES: Array<Pick<Source, 'id' | 'kind' | 'trust'> & { errorRate: number }> = [
  { id: 'vendor', kind: 'first-party', trust: 0.95, errorRate: 0.02 },
  { id: 'listing-api', kind: 'api', trust: 0.85, errorRate: 0.05 },
  { id: 'agg-good', kind: 'aggregator', trust: 0.7, errorRate: 0.1 },
  { id: 'agg-fair', kind: 'aggregator', trust: 0.7, errorRate: 0.2 },
  { id: 'agg-sloppy', kind: 'aggregator', trust: 0.7, errorRate: 0.4 },
];

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function valueFor(field: FieldName, n: number): Claim['value'] {
  switch (FIELDS[field].kind) {
    case 'tokens':
      return 8192 * (1 + (n % 64));
    case 'usd_per_mtok':
      return Math.round((0.05 + (n % 400) * 0.05) * 100) / 100;
    case 'date':
      return `202${n % 6}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
    case 'count':
      return 1e9 * (1 + (n % 500));
    case 'boolean':
      return n % 2 === 0;
    default:
      return ['mit', 'apache-2.0', 'proprietary', 'llama-3', 'gemma'][n % 5];
  }
}

/** entities x 20 fields x 5 sources claims; the truth is fixed per (entity, field), errors vary per source. */
export function syntheticClaims(entities: number, seed = 42): Claim[] {
  const random = prng(seed);
  const claims: Claim[] = [];
  const observed = '2026-01-10T00:00:00Z';
  for (let e = 0; e < entities; e++) {
    const model = `synthetic/model-${e}`;
    for (const field of FIELDS_USED) {
      const truth = Math.floor(random() * 1_000_000);
      for (const source of BENCH_SOURCES) {
        const wrong = random() < source.errorRate;
        const value = valueFor(field, wrong ? truth + 1 + Math.floor(random() * 3) : truth);
        claims.push({
          model, model_name: model, field, value, unit: null, condition: '', locator: 'row', quote: '',
          confidence: 1, source_id: source.id, snapshot_hash: source.id, observed_at: observed,
        });
      }
    }
  }
  return claims;
}

function measure(entities: number): Record<string, number> {
  // warm the JIT on a small run so the 100k figure is not mostly compilation
  reconcile(syntheticClaims(50, 7), { sources: BENCH_SOURCES });
  const claims = syntheticClaims(entities);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const { facts } = reconcile(claims, { sources: BENCH_SOURCES });
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return {
    claims: claims.length,
    facts: facts.length,
    ms,
    cpu_ms: (cpu.user + cpu.system) / 1000,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

function measureInChild(entities: number): Record<string, number> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(entities)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`bench child for ${entities} entities failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

/** The claims as a claims file: source, entity, field, value, observed_at. */
function claimsCsv(claims: Claim[]): string {
  const lines = ['source,entity,field,value,observed_at'];
  for (const c of claims) lines.push(`${c.source_id},${c.model},${c.field},${String(c.value)},${c.observed_at}`);
  return lines.join('\n') + '\n';
}

/** Reports the process's peak RSS and CPU time on stderr as it exits. */
const USAGE_ON_EXIT = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\nusage '+JSON.stringify({rss_kb:u.maxRSS,cpu_us:u.userCPUTime+u.systemCPUTime})+'\\n')})`;

function measureClaimsFileCommand(entities: number): { ms: number; cpu_ms: number; rss_mb: number } {
  buildDist();
  const dir = mkdtempSync(join(tmpdir(), 'ml-bench-claims-'));
  try {
    const file = join(dir, 'claims.csv');
    // Written by a child: a million claims and their text left on this process's heap kept V8's
    // background GC threads busy while the command ran, taking a core from it (4.5-4.9 s, not 3.1-3.4).
    const writer = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--write-csv', file, String(entities)], { encoding: 'utf8' });
    if (writer.status !== 0) throw new Error(`writing the claims file failed:\n${writer.stderr}`);
    const sink = openSync('/dev/null', 'w');
    const start = performance.now();
    const child = spawnSync(process.execPath, ['--import', USAGE_ON_EXIT, join(import.meta.dirname, '..', 'bin', 'model-ledger.js'), 'reconcile', '--claims', file, '--json'], {
      stdio: ['ignore', sink, 'pipe'],
      encoding: 'utf8',
    });
    const ms = performance.now() - start;
    closeSync(sink);
    if (child.status !== 0) throw new Error(`reconcile --claims exited with ${child.status}:\n${child.stderr}`);
    const usage = JSON.parse(child.stderr.split('\nusage ').pop()!) as { rss_kb: number; cpu_us: number };
    return { ms, cpu_ms: usage.cpu_us / 1000, rss_mb: usage.rss_kb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, number>> {
  const small = measureInChild(1_000);
  const large = measureInChild(10_000);
  const file = measureClaimsFileCommand(10_000);
  return {
    claims_100k: small.claims,
    time_100k_ms: Math.round(small.ms),
    cpu_100k_ms: Math.round(small.cpu_ms),
    peak_rss_100k_mb: Math.round(small.peak_rss_mb),
    claims_1m: large.claims,
    time_1m_ms: Math.round(large.ms),
    cpu_1m_ms: Math.round(large.cpu_ms),
    peak_rss_1m_mb: Math.round(large.peak_rss_mb),
    time_ratio_1m_over_100k: Math.round((large.ms / small.ms) * 100) / 100,
    cpu_ratio_1m_over_100k: Math.round((large.cpu_ms / small.cpu_ms) * 100) / 100,
    claims_file_1m_ms: Math.round(file.ms),
    claims_file_1m_cpu_ms: Math.round(file.cpu_ms),
    claims_file_over_library: Math.round((file.ms / large.ms) * 100) / 100,
    claims_file_cpu_over_library: Math.round((file.cpu_ms / large.cpu_ms) * 100) / 100,
    claims_file_rss_mb: Math.round(file.rss_mb),
  };
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(measure(Number(process.argv[3]))));
} else if (process.argv[2] === '--write-csv') {
  writeFileSync(process.argv[3], claimsCsv(syntheticClaims(Number(process.argv[4]))));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
}
