/**
 * model-ledger as a library:
 *   import { sync, extract, reconcile, exportDataset } from 'model-ledger';
 */
import { Ledger, DEFAULT_DB_PATH } from './store/ledger.ts';
import { loadSources, selectSources } from './pipeline/sources.ts';
import { runSync, type Reading } from './pipeline/run-sync.ts';
import type { SyncSummary } from './schema/sync.ts';
import { exportDataset as writeExport, type ExportFormat, type ExportResult } from './export/write.ts';
import { DEFAULT_SNAPSHOTS_DIR, DEFAULT_SOURCES_DIR } from './paths.ts';
import { acquireLock } from './pipeline/lock.ts';
import { loadAliasRegistry } from './normalize/aliases.ts';
import type { FetcherOptionsInput } from './fetch/index.ts';

export { extractDocument as extract } from './extract/registry.ts';
export { reconcile } from './reconcile/index.ts';
export { Ledger } from './store/ledger.ts';
export type { SyncSummary } from './schema/sync.ts';
export type { ExportResult, ExportFormat } from './export/write.ts';
export * from './schema/index.ts';

export interface SyncOptions {
  db?: string;
  sourcesDir?: string;
  snapshotsDir?: string;
  /** Only these source ids (all others still weigh in reconciliation). */
  sources?: string[];
  /** Replay shipped or stored snapshots instead of fetching. */
  offline?: boolean;
  /** The alias registry (default: the package's aliases.yaml). */
  aliasesFile?: string;
  /** Fetcher options for live syncs (user agent, politeness, timeouts, retries). */
  fetch?: Partial<FetcherOptionsInput>;
  /** Worker threads for extraction; 0 parses on the main thread (default: one per core but one, from 100 sources up). */
  extractWorkers?: number;
}

/** One sync of the ledger at `db`: read sources, extract, reconcile, queue changes. */
export async function sync(options: SyncOptions = {}): Promise<SyncSummary> {
  const db = options.db ?? DEFAULT_DB_PATH;
  const release = acquireLock(db);
  const ledger = new Ledger(db);
  try {
    const all = loadSources(options.sourcesDir ?? DEFAULT_SOURCES_DIR);
    const targets = selectSources(all, options.sources);
    const reading: Reading = options.offline
      ? { offline: true, snapshotsDir: options.snapshotsDir ?? DEFAULT_SNAPSHOTS_DIR }
      : { offline: false, fetch: options.fetch };
    return await runSync(ledger, { sources: all, aliases: loadAliasRegistry(options.aliasesFile), extractWorkers: options.extractWorkers }, targets, reading);
  } finally {
    ledger.close();
    release();
  }
}

/** Writes the approved dataset of the ledger at `db` to `dir`. */
export function exportDataset(dir: string, options: { db?: string; at?: string; formats?: ExportFormat[] } = {}): ExportResult {
  const ledger = new Ledger(options.db ?? DEFAULT_DB_PATH);
  try {
    return writeExport(ledger, dir, { at: options.at, formats: options.formats });
  } finally {
    ledger.close();
  }
}
