import type { ManifestEntry } from '../schema/snapshot.ts';
import type { Source, SourceKind } from '../schema/source.ts';
import type { Ledger } from '../store/ledger.ts';
import { loadShippedSnapshot, nextEntry, readManifest } from './manifest.ts';
import type { Acquired } from './sync.ts';

/**
 * Vendors' own pages the project does not ship captures of: offline they are live only, not
 * failures. A structured dump or an aggregator page without its capture is a broken install.
 */
export const LIVE_ONLY_KINDS: ReadonlySet<SourceKind> = new Set(['first-party', 'model-card']);

/** Whether the shipped captures hold none of this source: it can only be read live (or ingested). */
export function isLiveOnly(source: Pick<Source, 'id' | 'kind'>, manifest: ManifestEntry[]): boolean {
  return LIVE_ONLY_KINDS.has(source.kind) && !manifest.some((e) => e.source_id === source.id);
}

/**
 * The offline reader: replays, per source, the next shipped capture after the one the ledger
 * holds, so an offline sync on a fresh clone needs no network at all, and successive offline syncs
 * walk through the shipped history (the first reads the oldest capture, the next the one after).
 */
export function offlineAcquirer(ledger: Ledger, snapshotsDir: string): (source: Source) => Promise<Acquired> {
  const manifest = readManifest(snapshotsDir);
  return async (source) => {
    const current = ledger.captures.current(source.id);
    const entry = nextEntry(manifest, source.id, current?.observed_at ?? null);
    if (entry) {
      try {
        return { status: 'snapshot', origin: 'replay', snapshot: loadShippedSnapshot(snapshotsDir, entry, source) };
      } catch (e) {
        // A shipped capture that is missing or no longer hashes to its name: that source's failure, not the program's.
        return { status: 'failed', errorClass: 'snapshot', message: (e as Error).message };
      }
    }
    if (current) return { status: 'unchanged' };
    if (LIVE_ONLY_KINDS.has(source.kind)) {
      return { status: 'live-only', message: `live only: no shipped snapshot of ${source.url}; a live sync reads it (or \`model-ledger ingest FILE --source ${source.id}\`)` };
    }
    return {
      status: 'failed',
      errorClass: 'no-snapshot',
      message: `no shipped or stored snapshot for source ${source.id}: run a live sync or \`model-ledger ingest FILE --source ${source.id}\``,
    };
  };
}
