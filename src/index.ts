/**
 * model-ledger as a library:
 *   import { sync, extract, reconcile, exportDataset } from 'model-ledger';
 */
import { exportLedger, syncLedger, workspace } from './app/index.ts';
import type { SyncSummary } from './schema/sync.ts';
import type { ExportFormat, ExportResult } from './export/write.ts';
import type { FetcherOptionsInput } from './fetch/index.ts';

export { extractDocument as extract } from './extract/registry.ts';
export { reconcile } from './reconcile/index.ts';
export { Ledger } from './store/ledger.ts';
export { LedgerError, EXIT, type ErrorKind, type Issue } from './errors.ts';
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
  const ws = workspace({ db: options.db, sourcesDir: options.sourcesDir, snapshotsDir: options.snapshotsDir, aliasesFile: options.aliasesFile });
  return syncLedger(ws, { offline: options.offline, sources: options.sources, fetch: options.fetch, extractWorkers: options.extractWorkers });
}

/** Writes the approved dataset of the ledger at `db` to `dir`. */
export function exportDataset(dir: string, options: { db?: string; at?: string; formats?: ExportFormat[] } = {}): ExportResult {
  return exportLedger(workspace({ db: options.db }), dir, { at: options.at, formats: options.formats });
}
