import { createFetcher, type FetcherOptionsInput, type FetchOutcome } from '../fetch/index.ts';
import type { Source } from '../schema/source.ts';
import type { Ledger } from '../store/ledger.ts';
import type { Acquired } from './sync.ts';

export function toAcquired(outcome: FetchOutcome): Acquired {
  const common = { attempts: outcome.attempts, ms: outcome.ms, httpStatus: outcome.http_status };
  if (outcome.status === 'fetched' && outcome.snapshot) {
    return { status: 'snapshot', origin: 'fetch', snapshot: outcome.snapshot, etag: outcome.etag, lastModified: outcome.last_modified, ...common };
  }
  if (outcome.status === 'unchanged') return { status: 'unchanged', etag: outcome.etag, lastModified: outcome.last_modified, ...common };
  return { status: 'failed', errorClass: outcome.error?.class ?? 'network', message: outcome.error?.message ?? 'fetch failed', ...common };
}

/**
 * Fetches every target at once (the fetcher keeps it polite: per-host delay, concurrency limits,
 * robots.txt), conditionally against each source's last good capture, and hands the outcomes
 * to the pipeline one source at a time.
 */
export async function fetchTargets(ledger: Ledger, targets: Source[], options: Partial<FetcherOptionsInput> = {}): Promise<(source: Source) => Promise<Acquired>> {
  const states = new Map(
    targets.map((s) => {
      const state = ledger.sourceState(s.id);
      const basis = ledger.currentCapture(s.id);
      return [s.id, { etag: state?.etag ?? null, last_modified: state?.last_modified ?? null, sha256: basis?.sha256 ?? null }];
    }),
  );
  const fetcher = createFetcher(options);
  try {
    const outcomes = await fetcher.fetchAll(targets, states);
    const bySource = new Map(outcomes.map((o) => [o.source_id, toAcquired(o)]));
    return async (source) => bySource.get(source.id) ?? { status: 'failed', errorClass: 'internal', message: 'source was not fetched' };
  } finally {
    await fetcher.close();
  }
}
