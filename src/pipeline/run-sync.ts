import type { FetcherOptionsInput } from '../fetch/index.ts';
import type { Source } from '../schema/source.ts';
import type { Ledger } from '../store/ledger.ts';
import { offlineAcquirer } from './replay.ts';
import { runPipeline, type PipelineOptions, type SyncSummary } from './sync.ts';

export type Reading = { offline: true; snapshotsDir: string } | { offline: false; fetch?: Partial<FetcherOptionsInput> };

/**
 * One sync of `targets`, replayed from snapshots offline or fetched live while the pipeline records.
 * The fetcher (undici, ~0.1 s to load) is imported only for a live sync.
 */
export async function runSync(ledger: Ledger, options: PipelineOptions, targets: Source[], reading: Reading): Promise<SyncSummary> {
  if (reading.offline) return runPipeline(ledger, options, targets, offlineAcquirer(ledger, reading.snapshotsDir));
  const { startFetching } = await import('./live.ts');
  const live = startFetching(ledger, targets, reading.fetch);
  try {
    return await runPipeline(ledger, options, targets, live.acquire);
  } finally {
    await live.close();
  }
}
