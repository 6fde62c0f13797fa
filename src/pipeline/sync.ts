import type { ExtractResult } from '../schema/claim.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import type { Source } from '../schema/source.ts';
import { extractDocument } from '../extract/registry.ts';
import { identify } from '../normalize/identity.ts';
import { reconcile } from '../reconcile/index.ts';
import { diffFacts, planQueue } from '../diff/diff.ts';
import type { Ledger } from '../store/ledger.ts';
import { applyQueuePlan, queueBackfills } from './backfill.ts';
import { emptyRegistry, type AliasRegistry } from '../normalize/aliases.ts';
import { NewModelDetector } from './new-models.ts';

/** What reading one source produced, before extraction. */
export type Acquired =
  | { status: 'snapshot'; snapshot: Snapshot; origin: 'fetch' | 'replay' | 'ingest'; etag?: string | null; lastModified?: string | null; attempts?: number; ms?: number; httpStatus?: number | null }
  | { status: 'unchanged'; etag?: string | null; lastModified?: string | null; attempts?: number; ms?: number; httpStatus?: number | null }
  | { status: 'failed'; errorClass: string; message: string; attempts?: number; ms?: number; httpStatus?: number | null };

export type SourceOutcome = 'updated' | 'unchanged' | 'drift' | 'failed' | 'backfilled';

export interface SourceReport {
  source_id: string;
  outcome: SourceOutcome;
  claims: number;
  models: number;
  notes: string[];
  problems: string[];
  snapshot: string | null;
}

export interface SyncSummary {
  sources: SourceReport[];
  claims: number;
  facts: number;
  conflicts: { resolved: number; disputed: number };
  anomalies: number;
  changes: { queued: number; refreshed: number; superseded: number; pending: number };
  /** Model ids first named by a source that a reviewer has not yet confirmed as new or as an alias. */
  new_models: number;
}

export interface PipelineOptions {
  /** Every configured source: their kinds and priors weigh in reconciliation even when not read this run. */
  sources: Source[];
  now?: () => string;
  removalAfterSyncs?: number;
  /** The reviewer-edited alias registry (aliases.yaml); applied when claims are reconciled. */
  aliases?: AliasRegistry;
}

const nowIso = () => new Date().toISOString();

/**
 * Takes one snapshot of a source through extraction into the ledger. A snapshot that is
 * identical to the source's basis is not extracted again; one whose extraction falls short of
 * the source's expectations is kept for the record but never replaces the last good basis.
 */
export function recordSnapshot(ledger: Ledger, source: Source, acquired: Extract<Acquired, { status: 'snapshot' }>, at: string, newModels?: NewModelDetector): SourceReport {
  const { snapshot } = acquired;
  const basis = ledger.currentCapture(source.id);
  if (basis && basis.sha256 === snapshot.sha256) return recordUnchanged(ledger, source, acquired, at);
  const report: SourceReport = { source_id: source.id, outcome: 'unchanged', claims: 0, models: 0, notes: [], problems: [], snapshot: snapshot.sha256 };

  let result: ExtractResult;
  try {
    result = extractDocument(snapshot.body, { format: snapshot.format, extractor: source.extractor, provider: source.provider, source });
  } catch (e) {
    result = { claims: [], notes: [], drift: [`extractor ${source.extractor} failed: ${(e as Error).message}`] };
  }
  if (result.claims.length === 0 && result.drift.length === 0) result.drift.push('no figures found');
  report.claims = result.claims.length;
  report.models = new Set(result.claims.map((c) => c.model)).size;
  report.notes = result.notes;

  if (result.drift.length > 0) {
    ledger.addCapture(snapshot, acquired.origin, 'drift', result);
    const message = `extraction drift: ${result.drift.join('; ')}`;
    ledger.recordFailure(source.id, at, message);
    ledger.logFetch({ source_id: source.id, at, status: 'drift', error_class: 'drift', message, attempts: acquired.attempts, ms: acquired.ms, http_status: acquired.httpStatus });
    report.outcome = 'drift';
    report.problems = result.drift;
    return report;
  }

  const capture = ledger.addCapture(snapshot, acquired.origin, 'extracted', result);
  const isNewest = !basis || basis.observed_at <= snapshot.observed_at;
  ledger.recordSuccess(source.id, at, { captureId: isNewest ? capture.id : undefined, etag: acquired.etag, lastModified: acquired.lastModified });
  ledger.logFetch({ source_id: source.id, at, status: 'fetched', attempts: acquired.attempts, ms: acquired.ms, http_status: acquired.httpStatus });
  for (const claim of result.claims) {
    const id = newModels?.canonical(claim.model) ?? claim.model;
    const identity = identify(id);
    ledger.upsertModel({ id, name: claim.model_name, provider: id.split('/')[0], family: identity.family, version: identity.version }, snapshot.observed_at);
    ledger.addAlias(claim.model_name, id, source.id);
  }
  newModels?.record(result.claims, source.id, snapshot.observed_at);
  report.outcome = isNewest ? 'updated' : 'backfilled';
  return report;
}

export function recordFailure(ledger: Ledger, source: Source, failed: Extract<Acquired, { status: 'failed' }>, at: string): SourceReport {
  const message = `${failed.errorClass}: ${failed.message}`;
  ledger.recordFailure(source.id, at, message);
  ledger.logFetch({ source_id: source.id, at, status: 'failed', error_class: failed.errorClass, message: failed.message, attempts: failed.attempts, ms: failed.ms, http_status: failed.httpStatus });
  return { source_id: source.id, outcome: 'failed', claims: 0, models: 0, notes: [], problems: [message], snapshot: null };
}

export function recordAcquired(ledger: Ledger, source: Source, acquired: Acquired, at: string, newModels?: NewModelDetector): SourceReport {
  if (acquired.status === 'snapshot') return recordSnapshot(ledger, source, acquired, at, newModels);
  if (acquired.status === 'failed') return recordFailure(ledger, source, acquired, at);
  return recordUnchanged(ledger, source, acquired, at);
}

/** The source still says what its basis says (a 304, or the same bytes): nothing to extract. */
function recordUnchanged(ledger: Ledger, source: Source, acquired: Exclude<Acquired, { status: 'failed' }>, at: string): SourceReport {
  ledger.recordSuccess(source.id, at, { etag: acquired.etag, lastModified: acquired.lastModified });
  ledger.logFetch({ source_id: source.id, at, status: 'unchanged', attempts: acquired.attempts, ms: acquired.ms, http_status: acquired.httpStatus });
  return { source_id: source.id, outcome: 'unchanged', claims: 0, models: 0, notes: [], problems: [], snapshot: ledger.currentCapture(source.id)?.sha256 ?? null };
}

/**
 * Reconciles every source's current claims, compares the facts with the approved dataset
 * and brings the review queue up to date, all in one transaction.
 */
export function reconcileAndQueue(ledger: Ledger, options: PipelineOptions, reports: SourceReport[]): SyncSummary {
  const at = (options.now ?? nowIso)();
  return ledger.transaction(() => {
    const registry = options.aliases;
    const claims = registry ? ledger.currentClaims().map((c) => ({ ...c, model: registry.byAlias.get(c.model) ?? c.model })) : ledger.currentClaims();
    const { facts, reliability } = reconcile(claims, { sources: options.sources, overrides: ledger.activeOverrides() });
    ledger.replaceFacts(facts);
    ledger.replaceReliability(reliability);

    const basis = ledger.basisFingerprint();
    const newEvidence = ledger.meta('diff_basis') !== basis;
    ledger.setMeta('diff_basis', basis);
    const { proposals, absences } = diffFacts({
      newEvidence,
      facts,
      published: ledger.published(),
      absences: ledger.absences(),
      removalAfterSyncs: options.removalAfterSyncs ?? 2,
      now: at,
    });
    ledger.replaceAbsences(absences);
    const backfills = ledger.backfillChangeIds();
    const queue = applyQueuePlan(ledger, planQueue(proposals, ledger.changes().filter((c) => !backfills.has(c.id))), at);
    const backfilled = queueBackfills(ledger, options.sources, reports, facts, at);

    return {
      sources: reports,
      claims: claims.length,
      facts: facts.length,
      conflicts: {
        resolved: facts.filter((f) => f.status === 'resolved').length,
        disputed: facts.filter((f) => f.status === 'disputed').length,
      },
      anomalies: claims.filter((c) => c.anomaly).length,
      changes: {
        queued: queue.queued + backfilled.queued,
        refreshed: queue.refreshed + backfilled.refreshed,
        superseded: queue.superseded + backfilled.superseded,
        pending: ledger.changes({ status: 'pending' }).length,
      },
      new_models: ledger.modelCandidates('pending').length,
    };
  });
}

/** One sync: read each source (with `acquire`), record what came back, then reconcile and queue. */
export async function runPipeline(
  ledger: Ledger,
  options: PipelineOptions,
  targets: Source[],
  acquire: (source: Source) => Promise<Acquired>,
): Promise<SyncSummary> {
  const now = options.now ?? nowIso;
  const runId = ledger.startRun(now());
  const reports: SourceReport[] = [];
  const newModels = new NewModelDetector(ledger, options.aliases ?? emptyRegistry());
  for (const source of targets) {
    let acquired: Acquired;
    try {
      acquired = await acquire(source);
    } catch (e) {
      acquired = { status: 'failed', errorClass: 'internal', message: (e as Error).message };
    }
    reports.push(ledger.transaction(() => recordAcquired(ledger, source, acquired, now(), newModels)));
  }
  const summary = reconcileAndQueue(ledger, options, reports);
  ledger.finishRun(runId, now(), summary);
  return summary;
}
