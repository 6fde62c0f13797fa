/**
 * Diff benchmark: the two real LiteLLM versions (../shared/corpus/litellm, about 2,600 entries
 * each) end to end through a file-backed ledger: ingest the older (extract, reconcile, diff,
 * queue), approve its additions, then ingest the newer. `second_sync_ms` is the figure the
 * issue asks for: ingest + extract + reconcile + diff of the new version against the approved
 * old one. The stages of that sync are then timed alone on the same data, for where the time goes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractDocument } from '../src/extract/registry.ts';
import { reconcile } from '../src/reconcile/index.ts';
import { diffFacts } from '../src/diff/diff.ts';
import { loadSources } from '../src/pipeline/sources.ts';
import { approveChanges } from '../src/review/decide.ts';
import { Ledger } from '../src/store/ledger.ts';
import { ingestCapture } from '../scripts/eval-diff.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(repoRoot, '../shared/corpus/litellm');
const FILES = ['model_prices_2026-03-01.json', 'model_prices_2026-03-29.json'];

const ms = (since: number) => Math.round(performance.now() - since);

export async function run(): Promise<Record<string, number | string>> {
  const missing = FILES.filter((f) => !existsSync(path.join(corpus, f)));
  if (missing.length) return { error: `shared corpus missing: ${missing.map((f) => path.join(corpus, f)).join(', ')}` };
  const [oldBody, newBody] = FILES.map((f) => readFileSync(path.join(corpus, f), 'utf8'));
  const sources = loadSources(path.join(repoRoot, 'sources'));
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-diff-'));
  const ledger = new Ledger(path.join(dir, 'ledger.sqlite'));
  try {
    let t = performance.now();
    await ingestCapture(ledger, sources, 'litellm', oldBody, '2026-03-01T00:00:00.000Z');
    const firstSync = ms(t);
    const additions = ledger.changes.list({ status: 'pending' }).map((c) => c.id);

    t = performance.now();
    approveChanges(ledger, additions, { reviewer: 'bench', at: '2026-03-01T00:00:00.000Z' }, sources);
    const approve = ms(t);

    t = performance.now();
    const summary = await ingestCapture(ledger, sources, 'litellm', newBody, '2026-03-29T00:00:00.000Z');
    const secondSync = ms(t);

    // The same stages alone, on the same data.
    t = performance.now();
    const extracted = extractDocument(newBody, { format: 'json', extractor: 'litellm' });
    const extract = ms(t);
    const claims = ledger.claims.current();
    t = performance.now();
    const { facts } = reconcile(claims, { sources });
    const reconcileMs = ms(t);
    const published = ledger.history.published();
    t = performance.now();
    const { proposals } = diffFacts({ facts, published, absences: new Map(), removalAfterSyncs: 2, now: '2026-03-29T00:00:00.000Z' });
    const diff = ms(t);

    return {
      entries_old: Object.keys(JSON.parse(oldBody)).length,
      entries_new: Object.keys(JSON.parse(newBody)).length,
      claims_new: extracted.claims.length,
      facts: facts.length,
      first_sync_ms: firstSync,
      first_sync_additions: additions.length,
      approve_additions_ms: approve,
      second_sync_ms: secondSync,
      second_sync_changes_queued: summary.changes.queued,
      extract_ms: extract,
      reconcile_ms: reconcileMs,
      diff_ms: diff,
      diff_proposals: proposals.length,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
