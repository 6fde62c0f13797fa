import type { Source } from '../schema/source.ts';
import type { Ledger } from '../store/ledger.ts';
import { loadShippedSnapshot, nextEntry, readManifest } from './manifest.ts';
import type { Acquired } from './sync.ts';

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
    if (entry) return { status: 'snapshot', origin: 'replay', snapshot: loadShippedSnapshot(snapshotsDir, entry, source) };
    if (current) return { status: 'unchanged' };
    return {
      status: 'failed',
      errorClass: 'no-snapshot',
      message: `no shipped or stored snapshot for source ${source.id}: run a live sync or \`model-ledger ingest FILE --source ${source.id}\``,
    };
  };
}
