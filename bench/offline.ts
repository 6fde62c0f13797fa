/**
 * Offline benchmark: the package's own sync() of the full shipped default (every source, the
 * real OpenRouter, LiteLLM, models.dev and genai-prices dumps and the pages) into an empty
 * ledger, then the second offline sync (each source's next shipped capture, after approving
 * the first), beside the floor: JSON.parse of every shipped JSON snapshot, in the same process.
 * The target is a whole first sync within 20x that parse time and within 1 GB.
 *
 * Then one source's capture changing a week later, incremental beside full (oneSourceChange).
 *
 * Ledger growth, each in a ledger of its own holding only the LiteLLM source: the same capture
 * ingested twice (`same_capture_growth_pct`, target < 1%), and 52 weekly versions of the LiteLLM
 * file (../shared/corpus/litellm, else the shipped capture), a few prices moved each week
 * (`weekly_growth_mb`: the database's growth per week from the first week to the last, < 0.5 MB).
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { approve, ingestFile, workspace } from '../src/app/index.ts';
import { sync } from '../src/index.ts';
import { DEFAULT_SNAPSHOTS_DIR, DEFAULT_SOURCES_DIR } from '../src/paths.ts';
import { readManifest } from '../src/pipeline/manifest.ts';
import { prng } from './reconcile.ts';

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

    const change = await oneSourceChange(paths, dir);

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
      ...change,
      peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
      ...(await ledgerGrowth()),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A week after the second sync, OpenRouter's capture comes back with three prices moved: ingested
 * as the weekly sync reads it (incremental: only OpenRouter's keys are reconciled and diffed) and,
 * in a copy of the same ledger, with `full`. Their ratio is what following change saves.
 */
async function oneSourceChange(paths: { db: string; sourcesDir: string; snapshotsDir: string; aliasesFile: string }, dir: string): Promise<Record<string, number | string>> {
  const shipped = readManifest(DEFAULT_SNAPSHOTS_DIR)
    .filter((e) => e.source_id === 'openrouter')
    .sort((a, b) => (a.observed_at < b.observed_at ? 1 : -1))[0];
  const listing = JSON.parse(readFileSync(path.join(DEFAULT_SNAPSHOTS_DIR, shipped.file), 'utf8')) as Array<{ pricing: { prompt: string } }>;
  const priced = listing.filter((m) => Number(m.pricing.prompt) > 0);
  for (const m of [priced[3], priced[50], priced[120]]) m.pricing.prompt = String(Number(m.pricing.prompt) * 1.25);
  const file = path.join(dir, 'openrouter-next-week.json');
  writeFileSync(file, JSON.stringify(listing));
  const observedAt = new Date(Date.parse(shipped.observed_at) + 7 * 86_400_000).toISOString();

  ledgerBytes(paths.db); // folds the WAL in, so the copy is the whole ledger
  const copy = path.join(dir, 'full', 'ledger.sqlite');
  mkdirSync(path.dirname(copy), { recursive: true });
  copyFileSync(paths.db, copy);
  const timed = async (db: string, full: boolean) => {
    const t = performance.now();
    // The copy is a side run: it journals nothing (its ledger's journal is the original's).
    const summary = await ingestFile(workspace({ ...paths, db, ...(db === copy ? { journal: null } : {}) }), file, { source: 'openrouter', observedAt, full });
    return { ms: ms(t), summary };
  };
  const incremental = await timed(paths.db, false);
  const full = await timed(copy, true);
  return {
    one_source_change_reconciled: incremental.summary.reconciled ?? 'full',
    one_source_change_keys: incremental.summary.reconciled_keys ?? incremental.summary.facts,
    one_source_change_facts: incremental.summary.facts,
    one_source_change_ms: incremental.ms,
    one_source_change_full_ms: full.ms,
    one_source_change_over_full: Math.round((incremental.ms / full.ms) * 100) / 100,
  };
}

const WEEKS = 52;
const MOVES_PER_WEEK = 3;
const CORPUS_LITELLM = path.join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'litellm', 'model_prices_2026-03-01.json');

/** The ledger file's size once its write-ahead log is folded in: what a repository or a backup holds. */
function ledgerBytes(db: string): number {
  const connection = new Database(db);
  connection.pragma('wal_checkpoint(TRUNCATE)');
  connection.close();
  return statSync(db).size;
}

export async function ledgerGrowth(): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-growth-'));
  try {
    const shipped = readManifest(DEFAULT_SNAPSHOTS_DIR).find((e) => e.source_id === 'litellm')!;
    const original = existsSync(CORPUS_LITELLM) ? CORPUS_LITELLM : path.join(DEFAULT_SNAPSHOTS_DIR, shipped.file);
    const ledgerIn = (name: string) => {
      const db = path.join(dir, name, 'ledger.sqlite');
      return { db, ws: workspace({ db, sourcesDir: DEFAULT_SOURCES_DIR, snapshotsDir: DEFAULT_SNAPSHOTS_DIR, aliasesFile: path.join(dir, 'aliases.yaml') }) };
    };
    const day = (week: number) => new Date(Date.UTC(2025, 2, 1) + week * 7 * 86_400_000).toISOString();

    const same = ledgerIn('same');
    await ingestFile(same.ws, original, { source: 'litellm', observedAt: day(0) });
    const once = ledgerBytes(same.db);
    await ingestFile(same.ws, original, { source: 'litellm', observedAt: day(1) });
    const twice = ledgerBytes(same.db);

    const weekly = ledgerIn('weekly');
    const entries = JSON.parse(readFileSync(original, 'utf8')) as Record<string, Record<string, unknown>>;
    const priced = Object.keys(entries).filter((k) => typeof entries[k].input_cost_per_token === 'number' && (entries[k].input_cost_per_token as number) > 0);
    const random = prng(52);
    const file = path.join(dir, 'litellm-week.json');
    let firstWeek = 0;
    let ingestMs = 0;
    for (let week = 0; week < WEEKS; week++) {
      for (let m = 0; m < MOVES_PER_WEEK; m++) {
        const entry = entries[priced[Math.floor(random() * priced.length)]];
        entry.input_cost_per_token = Number(((entry.input_cost_per_token as number) * (random() < 0.5 ? 0.9 : 1.1)).toPrecision(6));
      }
      writeFileSync(file, JSON.stringify(entries, null, 4));
      const t = performance.now();
      await ingestFile(weekly.ws, file, { source: 'litellm', observedAt: day(week) });
      ingestMs += performance.now() - t;
      if (week === 0) firstWeek = ledgerBytes(weekly.db);
    }
    const lastWeek = ledgerBytes(weekly.db);
    return {
      same_capture_ledger_mb: Math.round((once / 1024 / 1024) * 10) / 10,
      same_capture_growth_pct: Math.round(((twice - once) / once) * 100 * 100) / 100,
      weekly_versions: WEEKS,
      weekly_first_week_mb: Math.round((firstWeek / 1024 / 1024) * 10) / 10,
      weekly_last_week_mb: Math.round((lastWeek / 1024 / 1024) * 10) / 10,
      weekly_growth_mb: Math.round(((lastWeek - firstWeek) / (WEEKS - 1) / 1024 / 1024) * 100) / 100,
      weekly_ingest_ms_avg: Math.round(ingestMs / WEEKS),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
