/**
 * model-ledger as a library:
 *   import { sync, extract, reconcile, exportDataset } from 'model-ledger';
 */
import { z } from 'zod';
import { exportLedger, syncLedger, workspace } from './app/index.ts';
import { LedgerError } from './errors.ts';
import { reconcile as reconcileClaims, type ReconcileOptions, type ReconcileResult } from './reconcile/index.ts';
import { ClaimSchema, type Claim, type ExtractResult } from './schema/claim.ts';
import { extractDocument, type ExtractOptions } from './extract/registry.ts';
import { SourceFormatSchema } from './schema/source.ts';
import { OverrideSchema } from './schema/fact.ts';
import type { SyncSummary } from './schema/sync.ts';
import type { ExportFormat, ExportResult } from './export/write.ts';
import { ExportFormatSchema } from './schema/dataset.ts';
import type { FetcherOptionsInput } from './fetch/index.ts';
// A library sync reads live unless told otherwise: its fetcher loads with the entry, as the
// extractors do for `extract`, not inside a caller's first sync (the CLI loads each per command).
import './pipeline/live.ts';

export { Ledger } from './store/ledger.ts';
export type { ExtractOptions } from './extract/registry.ts';
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
  /** Reconcile and diff everything even when nothing they read changed since the last sync. */
  full?: boolean;
}

/** SyncOptions as checked at run time: a misspelt or mistyped option is an error, not ignored. */
const SyncOptionsSchema = z
  .object({
    db: z.string().optional(),
    sourcesDir: z.string().optional(),
    snapshotsDir: z.string().optional(),
    sources: z.array(z.string()).optional(),
    offline: z.boolean().optional(),
    aliasesFile: z.string().optional(),
    // Each fetcher option is checked by the fetcher's own schema, which names the bad one.
    fetch: z.custom<Partial<FetcherOptionsInput>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'Expected an object of fetcher options').optional(),
    extractWorkers: z.number().int().min(0).optional(),
    full: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<SyncOptions>;

/** One sync of the ledger at `db`: read sources, extract, reconcile, queue changes. */
export async function sync(options: SyncOptions = {}): Promise<SyncSummary> {
  const parsed = SyncOptionsSchema.safeParse(options);
  if (!parsed.success) throw invalidArguments('sync', parsed.error);
  const ws = workspace({ db: options.db, sourcesDir: options.sourcesDir, snapshotsDir: options.snapshotsDir, aliasesFile: options.aliasesFile });
  return syncLedger(ws, { offline: options.offline, sources: options.sources, fetch: options.fetch, extractWorkers: options.extractWorkers, full: options.full });
}

const ExportArgumentsSchema = z.object({
  dir: z.string(),
  options: z.object({ db: z.string().optional(), at: z.string().optional(), formats: z.array(ExportFormatSchema).optional() }).strict(),
});

/** Writes the approved dataset of the ledger at `db` to `dir`. */
export function exportDataset(dir: string, options: { db?: string; at?: string; formats?: ExportFormat[] } = {}): ExportResult {
  const parsed = ExportArgumentsSchema.safeParse({ dir, options });
  if (!parsed.success) throw invalidArguments('exportDataset', parsed.error);
  return exportLedger(workspace({ db: options.db }), dir, { at: options.at, formats: options.formats });
}

const ReconcileInputSchema = z.object({
  claims: z.array(ClaimSchema.strict()),
  options: z
    .object({
      sources: z.array(z.object({ id: z.string(), kind: z.string().optional(), trust: z.number().min(0).max(1).optional() }).passthrough()),
      overrides: z.array(OverrideSchema).optional(),
    })
    .passthrough(),
});

/**
 * Facts from claims: value, status, confidence, and every claim for and against. The arguments
 * are checked first, since plain JavaScript can pass any shape: a bad one is a LedgerError naming
 * the path of each bad field (the first few of them).
 */
export function reconcile(claims: Claim[], options: ReconcileOptions): ReconcileResult {
  const parsed = ReconcileInputSchema.safeParse({ claims, options });
  if (!parsed.success) throw invalidArguments('reconcile', parsed.error);
  return reconcileClaims(claims, options);
}

const ExtractInputSchema = z.object({
  body: z.string(),
  options: z
    .object({
      format: z.union([SourceFormatSchema, z.literal('auto')]).optional(),
      extractor: z.string().optional(),
      provider: z.string().optional(),
      filename: z.string().optional(),
      source: z.object({ id: z.string(), kind: z.string() }).passthrough().optional(),
      observedAt: z.string().optional(),
    })
    .strict()
    .optional(),
});

/**
 * The claims a document yields (format and extractor detected unless given). An unknown extractor
 * or a failing one is drift in the result; arguments of the wrong shape are a LedgerError, as for
 * `reconcile`.
 */
export function extract(body: string, options?: ExtractOptions): ExtractResult {
  const parsed = ExtractInputSchema.safeParse({ body, options });
  if (!parsed.success) throw invalidArguments('extract', parsed.error);
  return extractDocument(body, options);
}

/** A library call's bad arguments as one usage error naming the first few bad paths. */
function invalidArguments(call: string, error: z.ZodError): LedgerError {
  // Unknown keys first: an argument of another shape (a claim with source/entity) says most by the keys it has.
  const ordered = [...error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const issues = ordered.map((i) => ({ path: i.path, message: i.message }));
  const shown = issues.slice(0, 12);
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
  return new LedgerError('usage', `${call}: invalid arguments${more}`, shown);
}
