import { createFetcher, type FetcherOptionsInput, type FetchOutcome } from '../fetch/index.ts';
import type { Source } from '../schema/source.ts';
import type { Ledger } from '../store/ledger.ts';
import type { Acquired } from './sync.ts';

/** `basisSha256`: the sha256 of the capture the fetch was conditional on (what a 304 says the page still is). */
export function toAcquired(outcome: FetchOutcome, basisSha256: string | null): Acquired {
  const common = { attempts: outcome.attempts, ms: outcome.ms, httpStatus: outcome.http_status };
  if (outcome.status === 'fetched' && outcome.snapshot) {
    return { status: 'snapshot', origin: 'fetch', snapshot: outcome.snapshot, etag: outcome.etag, lastModified: outcome.last_modified, ...common };
  }
  if (outcome.status === 'unchanged') return { status: 'unchanged', basisSha256, etag: outcome.etag, lastModified: outcome.last_modified, ...common };
  return { status: 'failed', errorClass: outcome.error?.class ?? 'network', message: outcome.error?.message ?? 'fetch failed', ...common };
}

export interface LiveFetch {
  /** Starts the fetch of one target; its outcome as soon as that fetch ends. Each target is acquired once. */
  acquire(source: Source): Promise<Acquired>;
  /** Waits for every fetch acquire started, then releases connections and any browser. */
  close(): Promise<void>;
}

/**
 * Fetches each target once the pipeline acquires it (the fetcher keeps it polite: per-host delay,
 * concurrency limits, robots.txt), conditionally against each source's last good capture, so the
 * pipeline can extract and record each source while the others are still on the wire. A target's
 * outcome is handed over and let go: bodies live only between acquire and recording, so a run
 * holds as many as the pipeline reads ahead, however many sources it has.
 */
export function startFetching(ledger: Ledger, targets: Source[], options: Partial<FetcherOptionsInput> = {}): LiveFetch {
  const states = ledger.sources.conditionalStates();
  const fetcher = createFetcher({ robotsCache: ledger.sources.robotsCache(), ...options });
  const fetchAt = fetcher.fetchOnDemand(targets, states);
  const indexOf = new Map(targets.map((s, i) => [s.id, i]));
  const started = new Set<number>();
  // Fetches acquire started that have not ended; close waits for them.
  let inFlight = 0;
  let allEnded: (() => void) | null = null;
  const ended = () => {
    if (--inFlight === 0) allEnded?.();
  };
  return {
    acquire(source) {
      const i = indexOf.get(source.id);
      if (i === undefined || started.has(i)) return Promise.resolve({ status: 'failed', errorClass: 'internal', message: 'source was not fetched' });
      started.add(i);
      inFlight++;
      // Each source is recorded by the same sync that read its state, so that state's basis is still its basis.
      const basisSha256 = states.get(source.id)?.sha256 ?? null;
      return fetchAt(i).then(
        (fetched) => {
          ended();
          return toAcquired(fetched, basisSha256);
        },
        (error: unknown) => {
          ended();
          throw error;
        },
      );
    },
    async close() {
      if (inFlight > 0) await new Promise<void>((resolve) => (allEnded = resolve));
      await fetcher.close();
    },
  };
}
