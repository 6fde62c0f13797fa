import type { Source } from '../schema/source.ts';
import type { Ledger } from '../store/ledger.ts';
import { loadShippedSnapshot, newestEntry, readManifest } from './manifest.ts';
import type { Acquired } from './sync.ts';

/**
 * The offline reader: replays the newest shipped capture of a source unless the ledger
 * already holds a newer one, so an offline sync on a fresh clone needs no network at all.
 */
export function offlineAcquirer(ledger: Ledger, snapshotsDir: string): (source: Source) => Promise<Acquired> {
  const manifest = readManifest(snapshotsDir);
  return async (source) => {
    const entry = newestEntry(manifest, source.id);
    const current = ledger.captures.current(source.id);
    if (entry && (!current || entry.observed_at >= current.observed_at)) {
      return { status: 'snapshot', origin: 'replay', snapshot: loadShippedSnapshot(snapshotsDir, entry, source) };
    }
    if (current) return { status: 'unchanged' };
    return {
      status: 'failed',
      errorClass: 'no-snapshot',
      message: `no shipped or stored snapshot for source ${source.id}: run a live sync or \`model-ledger ingest FILE --source ${source.id}\``,
    };
  };
}
