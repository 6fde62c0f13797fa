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

export interface LiveFetch {
  /** The outcome of one target's fetch, as soon as that fetch ends. */
  acquire(source: Source): Promise<Acquired>;
  /** Waits for every fetch, then releases connections and any browser. */
  close(): Promise<void>;
}

/**
 * Starts fetching every target at once (the fetcher keeps it polite: per-host delay, concurrency
 * limits, robots.txt), conditionally against each source's last good capture, so the pipeline
 * can extract and record each source while the others are still on the wire.
 */
export function startFetching(ledger: Ledger, targets: Source[], options: Partial<FetcherOptionsInput> = {}): LiveFetch {
  const states = ledger.sources.conditionalStates();
  const fetcher = createFetcher({ robotsCache: ledger.sources.robotsCache(), ...options });
  const outcomes = fetcher.fetchEach(targets, states);
  const bySource = new Map(targets.map((s, i) => [s.id, outcomes[i].then(toAcquired)]));
  return {
    acquire: (source) => bySource.get(source.id) ?? Promise.resolve({ status: 'failed', errorClass: 'internal', message: 'source was not fetched' }),
    async close() {
      await Promise.allSettled(outcomes);
      await fetcher.close();
    },
  };
}
