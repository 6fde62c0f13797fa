import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../src/pipeline/manifest.ts';
import { runPipeline, type SyncSummary } from '../../src/pipeline/sync.ts';
import type { Source } from '../../src/schema/source.ts';
import { Ledger } from '../../src/store/ledger.ts';
import { SourceSchema } from '../../src/schema/source.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'review');

export const SOURCES: Source[] = [
  SourceSchema.parse({ id: 'openrouter', name: 'OpenRouter', kind: 'api', url: 'https://openrouter.example/api/v1/models', format: 'json', extractor: 'openrouter', trust: 0.8 }),
  SourceSchema.parse({ id: 'litellm', name: 'LiteLLM', kind: 'api', url: 'https://litellm.example/model_prices.json', format: 'json', extractor: 'litellm', trust: 0.75 }),
];

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** `model-ledger ingest` without the CLI: records a body as a capture of a source taken at `observedAt`. */
export function ingest(ledger: Ledger, sourceId: string, body: string, observedAt: string, now = observedAt): Promise<SyncSummary> {
  const source = SOURCES.find((s) => s.id === sourceId)!;
  const snapshot = { source_id: source.id, sha256: sha256Hex(body), observed_at: observedAt, url: source.url, format: source.format, content_type: null, body };
  return runPipeline(ledger, { sources: SOURCES, now: () => now }, [source], async () => ({ status: 'snapshot', origin: 'ingest', snapshot }));
}

/** A sync in which the source answered "not modified". */
export function resync(ledger: Ledger, sourceId: string, now: string): Promise<SyncSummary> {
  const source = SOURCES.find((s) => s.id === sourceId)!;
  return runPipeline(ledger, { sources: SOURCES, now: () => now }, [source], async () => ({ status: 'unchanged' }));
}

export const D17 = '2026-07-17T00:00:00.000Z';
export const D20 = '2026-07-20T00:00:00.000Z';
export const D21 = '2026-07-21T00:00:00.000Z';

/**
 * The desk's demo ledger: OpenRouter 07-17 approved, then OpenRouter 07-21 and LiteLLM 07-20
 * ingested, so the queue holds price moves, an addition and a dispute (acme/alpha).
 */
export async function reviewLedger(path = ':memory:'): Promise<Ledger> {
  const { approveChanges } = await import('../../src/review/decide.ts');
  const ledger = new Ledger(path);
  await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-17.json'), D17);
  approveChanges(ledger, ledger.changes.list({ status: 'pending' }).map((c) => c.id), { reviewer: 'setup', at: D17 }, SOURCES);
  await ingest(ledger, 'litellm', fixture('litellm-2026-07-20.json'), D20);
  await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-21.json'), D21);
  return ledger;
}
