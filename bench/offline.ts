/**
 * Offline benchmark: the package's own sync() of the full shipped default (every source, the
 * real OpenRouter, LiteLLM, models.dev and genai-prices dumps and the pages) into an empty
 * ledger, then the second offline sync (each source's next shipped capture, after approving
 * the first), beside the floor: JSON.parse of every shipped JSON snapshot, in the same process.
 * The target is a whole first sync within 20x that parse time and within 1 GB.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { approve, workspace } from '../src/app/index.ts';
import { sync } from '../src/index.ts';
import { DEFAULT_SNAPSHOTS_DIR, DEFAULT_SOURCES_DIR } from '../src/paths.ts';
import { readManifest } from '../src/pipeline/manifest.ts';

const ms = (since: number) => Math.round(performance.now() - since);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-offline-'));
  const db = path.join(dir, 'ledger.sqlite');
  const paths = { db, sourcesDir: DEFAULT_SOURCES_DIR, snapshotsDir: DEFAULT_SNAPSHOTS_DIR, aliasesFile: path.join(dir, 'aliases.yaml') };
  try {
    let t = performance.now();
    const first = await sync({ ...paths, offline: true });
    const firstMs = ms(t);
    const firstRss = mb(process.resourceUsage().maxRSS * 1024);

    t = performance.now();
    const approved = approve(workspace(paths), { all: true }, { reviewer: 'bench' }).length;
    const approveMs = ms(t);
    t = performance.now();
    const second = await sync({ ...paths, offline: true });
    const secondMs = ms(t);

    const bodies = readManifest(DEFAULT_SNAPSHOTS_DIR)
      .filter((e) => e.file.endsWith('.json'))
      .map((e) => readFileSync(path.join(DEFAULT_SNAPSHOTS_DIR, e.file), 'utf8'));
    let parseMs = Infinity;
    for (let round = 0; round < 5; round++) {
      t = performance.now();
      for (const body of bodies) JSON.parse(body);
      parseMs = Math.min(parseMs, performance.now() - t);
    }
    const firstCaptures = new Set(bodies.length ? readManifest(DEFAULT_SNAPSHOTS_DIR).map((e) => e.source_id) : []).size;
    return {
      sources: firstCaptures,
      json_bytes_mb: mb(bodies.reduce((n, b) => n + Buffer.byteLength(b), 0)),
      first_sync_ms: firstMs,
      first_sync_read_ms: first.timings.read_ms,
      first_sync_reconcile_ms: first.timings.reconcile_ms,
      first_sync_claims: first.claims,
      first_sync_facts: first.facts,
      first_sync_candidates: first.new_models,
      first_sync_peak_rss_mb: firstRss,
      approve_all_ms: approveMs,
      approved,
      second_sync_ms: secondMs,
      second_sync_queued: second.changes.queued,
      parse_all_json_ms: Math.round(parseMs * 10) / 10,
      first_sync_over_parse: Math.round((firstMs / parseMs) * 10) / 10,
      peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
