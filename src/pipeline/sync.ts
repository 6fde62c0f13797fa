import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Capture } from '../schema/capture.ts';
import type { ExtractResult } from '../schema/claim.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import type { Source } from '../schema/source.ts';
import type { SourceOutcome, SourceReport, SyncSummary } from '../schema/sync.ts';
import type { SnapshotExtractionJob } from '../extract/registry.ts';
import { createExtractionPool, inlineExtraction, type Extracted, type Extraction } from './extract-pool.ts';
import { identify } from '../normalize/identity.ts';
import { linkModels, type ModelLink } from '../normalize/links.ts';
import type { Claim } from '../schema/claim.ts';
import { factsOf, learnTruth, sameLearnedWeights } from '../reconcile/index.ts';
import { applyLinks, changedKeys, globalsOf, overridesByKey, settingsOf, readBase, writeBase } from './incremental.ts';
import { diffFacts, planQueue } from '../diff/diff.ts';
import type { Ledger } from '../store/ledger.ts';
import { keyOf } from '../schema/key.ts';
import { applyQueuePlan, queueBackfills } from './backfill.ts';
import { emptyRegistry, type AliasRegistry } from '../normalize/aliases.ts';
import { NewModelDetector } from './new-models.ts';
import { usageError } from '../errors.ts';

/** What reading one source produced, before extraction. */
export type Acquired =
  | { status: 'snapshot'; snapshot: Snapshot; origin: 'fetch' | 'replay' | 'ingest'; etag?: string | null; lastModified?: string | null; attempts?: number; ms?: number; httpStatus?: number | null }
  | {
      status: 'unchanged';
      /** The sha256 of the basis the source was found the same as, when the reader knows it: one query less per source. */
      basisSha256?: string | null;
      etag?: string | null;
      lastModified?: string | null;
      attempts?: number;
      ms?: number;
      httpStatus?: number | null;
    }
  | { status: 'failed'; errorClass: string; message: string; attempts?: number; ms?: number; httpStatus?: number | null }
  | { status: 'live-only'; message: string };

export type { SourceOutcome, SourceReport, SyncSummary };

export interface PipelineOptions {
  /** Every configured source: their kinds and priors weigh in reconciliation even when not read this run. */
  sources: Source[];
  now?: () => string;
  removalAfterSyncs?: number;
  /** The reviewer-edited alias registry (aliases.yaml); applied when claims are reconciled. */
  aliases?: AliasRegistry;
  /** Worker threads for extraction; 0 extracts on the main thread (default: extractWorkersFor). */
  extractWorkers?: number;
  /** How much one capture may yield before its source fails (default: DEFAULT_CAPTURE_LIMITS). */
  limits?: Partial<CaptureLimits>;
  /** Reconcile and diff even when nothing they read changed since the last sync. */
  full?: boolean;
  /**
   * Handed the body of each capture recorded from a fetch or an ingest (not a replay), compressed as the
   * ledger stores it, while it is still in memory: reading a thousand bodies back from the ledger
   * afterwards costs half a second.
   */
  keepBody?: (sourceId: string, sha256: string, compressed: Uint8Array) => void;
}

/**
 * What one capture of one source may yield. A page past either is bloated or hostile (live bodies
 * up to 10 MB are accepted): its source fails with the reason and keeps its last good facts,
 * rather than flooding the ledger and the review queue while the sync holds the lock.
 */
export interface CaptureLimits {
  /** Claims one capture may yield. */
  maxClaims: number;
  /** Model ids one capture may name that the ledger has never seen. */
  maxNewModels: number;
  /**
   * The share (percent) of its source's last good capture's models and figures a new capture must
   * still yield: below it the page lost a section or changed its shape, and the capture is drift,
   * not a mass removal. 0 accepts any shrinking (a source that really dropped most of its models).
   */
  minYieldPct: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = { maxClaims: 200_000, maxNewModels: 5_000, minYieldPct: 50 };

/** The limits with defaults filled in; each a whole number, the maxima at least 1, the share at most 100. */
export function captureLimits(given: Partial<CaptureLimits> = {}): CaptureLimits {
  const limits = { ...DEFAULT_CAPTURE_LIMITS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  for (const [name, value] of Object.entries(limits)) {
    const [min, max] = name === 'minYieldPct' ? [0, 100] : [1, Infinity];
    if (!Number.isInteger(value) || value < min || value > max) throw usageError(`${name} must be a whole number from ${min}${max === Infinity ? ' up' : ` to ${max}`}, not ${value}`);
  }
  return limits;
}

/** Below this many models a page's yield moves too much between captures to judge it by share. */
const SHRINK_FLOOR_MODELS = 10;

/** Why a capture yields too little beside its source's basis (`before`), or null. */
function shrunk(before: { models: number; figures: number }, models: number, figures: number, limits: CaptureLimits): string | null {
  if (before.models < SHRINK_FLOOR_MODELS) return null;
  const share = limits.minYieldPct / 100;
  if (models >= before.models * share && figures >= before.figures * share) return null;
  return `capture shrank: ${models} models and ${figures} figures where the last good capture had ${before.models} and ${before.figures} (under ${limits.minYieldPct}%); kept as drift, not as removals (a source that really dropped them: --min-yield 0)`;
}

/** Why a capture is past the limits, or null when it is within them. */
function overLimits(result: ExtractResult, limits: CaptureLimits, isKnown: (id: string) => boolean): string | null {
  if (result.claims.length > limits.maxClaims) {
    return `capture too large: ${result.claims.length} claims, more than the limit of ${limits.maxClaims} per capture`;
  }
  const unseen = new Set<string>();
  for (const claim of result.claims) {
    if (isKnown(claim.model)) continue;
    unseen.add(claim.model);
    if (unseen.size > limits.maxNewModels) {
      return `capture names too many new models: more than the limit of ${limits.maxNewModels} per capture`;
    }
  }
  return null;
}

const nowIso = () => new Date().toISOString();

/**
 * Takes one snapshot of a source through extraction into the ledger. A snapshot that is
 * identical to the source's basis is not extracted again; one whose extraction falls short of
 * the source's expectations is kept for the record but never replaces the last good basis.
 * `extracted` is the capture's extraction, and its body compressed when a worker thread ran it.
 */
export function recordSnapshot(
  ledger: Ledger,
  source: Source,
  acquired: Extract<Acquired, { status: 'snapshot' }>,
  at: string,
  newModels?: NewModelDetector,
  extracted?: Extracted,
  limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS,
): SourceReport {
  const { snapshot } = acquired;
  const basis = ledger.captures.current(source.id);
  if (repeatsBasis(basis, snapshot)) return recordUnchanged(ledger, source, acquired, at, snapshot.sha256);
  const report: SourceReport = { source_id: source.id, outcome: 'unchanged', claims: 0, models: 0, notes: [], problems: [], snapshot: snapshot.sha256 };

  // The pipeline extracts every capture that differs from its source's basis before recording it.
  if (!extracted) throw new Error(`internal: capture ${snapshot.sha256} of ${source.id} reached recording unextracted`);
  const { compressed } = extracted;
  let { result } = extracted;
  report.claims = result.claims.length;
  report.models = new Set(result.claims.map((c) => c.model)).size;
  report.notes = result.notes;

  const tooMuch = overLimits(result, limits, (id) => (newModels ? newModels.isKnown(id) : ledger.models.has(id)));
  if (tooMuch) {
    // Kept for the record without its claims: storing them is the flood the limits prevent.
    ledger.captures.add(snapshot, acquired.origin, 'drift', { claims: [], notes: result.notes, drift: [tooMuch] }, compressed);
    ledger.sources.recordFailure(source.id, at, tooMuch);
    ledger.sources.logFetch({ source_id: source.id, at, status: 'drift', error_class: 'too-large', message: tooMuch, attempts: acquired.attempts, ms: acquired.ms, http_status: acquired.httpStatus });
    report.outcome = 'drift';
    report.problems = [tooMuch];
    return report;
  }

  // The basis's yield is counted only when a share is asked for, and only against a newer capture.
  const lessThanBasis = limits.minYieldPct > 0 && basis && basis.observed_at <= snapshot.observed_at ? shrunk(ledger.claims.yieldOf(basis.id), report.models, report.claims, limits) : null;
  if (lessThanBasis) result = { ...result, drift: [...result.drift, lessThanBasis] };
  if (result.drift.length > 0) {
    ledger.captures.add(snapshot, acquired.origin, 'drift', result, compressed);
    const message = `extraction drift: ${result.drift.join('; ')}`;
    ledger.sources.recordFailure(source.id, at, message);
    ledger.sources.logFetch({ source_id: source.id, at, status: 'drift', error_class: 'drift', message, attempts: acquired.attempts, ms: acquired.ms, http_status: acquired.httpStatus });
    report.outcome = 'drift';
    report.problems = result.drift;
    return report;
  }

  const capture = ledger.captures.add(snapshot, acquired.origin, 'extracted', result, compressed);
  const isNewest = !basis || basis.observed_at <= snapshot.observed_at;
  ledger.sources.recordSuccess(source.id, at, { captureId: isNewest ? capture.id : undefined, etag: acquired.etag, lastModified: acquired.lastModified });
  ledger.sources.logFetch({ source_id: source.id, at, status: 'fetched', attempts: acquired.attempts, ms: acquired.ms, http_status: acquired.httpStatus });
  // A page names each model once per field: record each (name, model) pair once, not per claim.
  const named = new Map<string, { id: string; name: string }>();
  for (const claim of result.claims) {
    const id = newModels?.canonical(claim.model) ?? claim.model;
    named.set(`${id}\u0000${claim.model_name}`, { id, name: claim.model_name });
  }
  for (const { id, name } of named.values()) {
    if (!newModels || newModels.firstNaming(id, name)) {
      const identity = identify(id);
      ledger.models.upsert({ id, name, provider: id.split('/')[0], family: identity.family, version: identity.version }, snapshot.observed_at);
    }
    ledger.models.addAlias(name, id, source.id);
  }
  newModels?.record(result.claims, source.id, snapshot.observed_at);
  report.outcome = isNewest ? 'updated' : 'backfilled';
  return report;
}

export function recordFailure(ledger: Ledger, source: Source, failed: Extract<Acquired, { status: 'failed' }>, at: string): SourceReport {
  const message = `${failed.errorClass}: ${failed.message}`;
  ledger.sources.recordFailure(source.id, at, message);
  ledger.sources.logFetch({ source_id: source.id, at, status: 'failed', error_class: failed.errorClass, message: failed.message, attempts: failed.attempts, ms: failed.ms, http_status: failed.httpStatus });
  return { source_id: source.id, outcome: 'failed', claims: 0, models: 0, notes: [], problems: [message], snapshot: null };
}

export function recordAcquired(
  ledger: Ledger,
  source: Source,
  acquired: Acquired,
  at: string,
  newModels?: NewModelDetector,
  extracted?: Extracted,
  limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS,
): SourceReport {
  if (acquired.status === 'snapshot') return recordSnapshot(ledger, source, acquired, at, newModels, extracted, limits);
  if (acquired.status === 'failed') return recordFailure(ledger, source, acquired, at);
  // Nothing was read and nothing failed: the source's state and failure count stay as they were.
  if (acquired.status === 'live-only') return { source_id: source.id, outcome: 'live-only', claims: 0, models: 0, notes: [acquired.message], problems: [], snapshot: null };
  return recordUnchanged(ledger, source, acquired, at, acquired.basisSha256 !== undefined ? acquired.basisSha256 : (ledger.captures.currentStamp(source.id)?.sha256 ?? null));
}

/**
 * Whether a snapshot only repeats its source's basis: the same body, observed no earlier. The
 * same body observed earlier is a backfill: it says the basis's figures held since then.
 */
function repeatsBasis(basis: Pick<Capture, 'sha256' | 'observed_at'> | null, snapshot: Pick<Snapshot, 'sha256' | 'observed_at'>): boolean {
  return basis !== null && basis.sha256 === snapshot.sha256 && basis.observed_at <= snapshot.observed_at;
}

/** The source still says what its basis (`basisSha256`) says (a 304, or the same bytes): nothing to extract. */
function recordUnchanged(
  ledger: Ledger,
  source: Source,
  acquired: Extract<Acquired, { status: 'unchanged' | 'snapshot' }>,
  at: string,
  basisSha256: string | null,
): SourceReport {
  ledger.sources.recordSuccess(source.id, at, { etag: acquired.etag, lastModified: acquired.lastModified });
  ledger.sources.logFetch({ source_id: source.id, at, status: 'unchanged', attempts: acquired.attempts, ms: acquired.ms, http_status: acquired.httpStatus });
  return { source_id: source.id, outcome: 'unchanged', claims: 0, models: 0, notes: [], problems: [], snapshot: basisSha256 };
}

/**
 * Moves each claim onto the model its id names (aliases.yaml, or a spelling of the same name),
 * keeping the id it came with and why; records the links, folds linked ids' model rows into their
 * model, and settles the new-model candidates the links answer.
 */
function linkIdentities(ledger: Ledger, claims: Claim[], registry: AliasRegistry, at: string): { claims: Claim[]; links: Map<string, ModelLink> } {
  // Ids with approved values stay canonical, so a new spelling never moves a published model. Not
  // the ids the last reconciliation put facts under: a model whose one source contradicted itself
  // had none, and the next run re-linked its ids from inputs that had not changed.
  const links = linkModels(claims.map((c) => c.model), registry, ledger.history.publishedModels());
  ledger.models.replaceLinks(links.values());
  for (const link of links.values()) {
    ledger.models.merge(link.alias, link.model, at);
    ledger.models.settleCandidate(link.alias, 'alias', 'model-ledger', at, `${link.evidence}: ${link.detail}`);
  }
  return { claims: applyLinks(claims, links), links };
}

/** From this much WAL on, reconcile-and-queue checkpoints it on another thread (a cold 1,000-page sync leaves ~40 MB). */
const CHECKPOINT_ASIDE_BYTES = 8 * 1024 * 1024;

/** Meta keys: the fingerprint of what the last reconciliation read, and the figures it reported. */
const RECONCILED_INPUTS = 'reconciled_inputs';
const RECONCILED_COUNTS = 'reconciled_counts';

type ReconciledCounts = Pick<SyncSummary, 'claims' | 'facts' | 'conflicts' | 'anomalies'>;

/**
 * A fingerprint of everything reconciling and diffing read: the ledger's side (basis captures,
 * pins, decisions; see Ledger.reconcileState) and the run's options (source priors, the alias
 * registry, the removal threshold). Claims belong to their capture and are never rewritten, so
 * the basis captures stand for the claims' content.
 */
function reconcileInputs(ledger: Ledger, options: PipelineOptions): string {
  return createHash('sha256')
    .update(ledger.reconcileState())
    .update(settingsOf(options.sources, options.aliases ?? emptyRegistry(), options.removalAfterSyncs ?? 2))
    .digest('hex');
}

/**
 * Reconciles every source's current claims, compares the facts with the approved dataset
 * and brings the review queue up to date, all in one transaction. When nothing it reads changed
 * since it last ran (a re-sync where every page was a 304) it would only reproduce the facts and
 * queue the ledger holds, so it stops there, unless `options.full` asks for the whole run.
 */
export function reconcileAndQueue(ledger: Ledger, options: PipelineOptions, reports: SourceReport[], readMs = 0): SyncSummary {
  const at = (options.now ?? nowIso)();
  const started = performance.now();
  // While this thread reconciles, another copies what the reading stage wrote into the database.
  ledger.checkpointAside(CHECKPOINT_ASIDE_BYTES);
  const summary = reconcileAndQueueWithin(ledger, options, reports, at);
  // Taken once the transaction has committed: writing out the facts and the queue is part of the stage.
  return { ...summary, timings: { read_ms: Math.round(readMs), reconcile_ms: Math.round(performance.now() - started) } };
}

/** reconcileAndQueue's work, in its one transaction. */
function reconcileAndQueueWithin(ledger: Ledger, options: PipelineOptions, reports: SourceReport[], at: string): Omit<SyncSummary, 'timings'> {
  return ledger.transaction(() => {
    // What the last run built may stand unless a full run is asked for or a capture was backfilled:
    // a backfilled capture is not a basis, so no fingerprint sees it; its changes still need queueing.
    const reusable = !options.full && !reports.some((r) => r.outcome === 'backfilled');
    const unchanged = reusable && ledger.runs.meta(RECONCILED_INPUTS) === reconcileInputs(ledger, options);
    const last = unchanged ? ledger.runs.meta(RECONCILED_COUNTS) : null;
    if (last) {
      return {
        sources: reports,
        ...(JSON.parse(last) as ReconciledCounts),
        changes: { queued: 0, refreshed: 0, superseded: 0, pending: ledger.changes.count('pending') },
        new_models: ledger.models.candidates('pending').length,
        reconciled: 'skipped',
      };
    }
    const removalAfterSyncs = options.removalAfterSyncs ?? 2;
    const { facts, only, globals, overrides, reliability, learned, claimCount, anomalyCount, stated } = decideFacts(ledger, options, reusable, removalAfterSyncs, at);
    if (only) ledger.facts.replaceKeys(only, facts);
    else ledger.facts.replace(facts);
    ledger.facts.replaceReliability(reliability);

    const basis = ledger.sources.basisFingerprint();
    const newEvidence = ledger.runs.meta('diff_basis') !== basis;
    ledger.runs.setMeta('diff_basis', basis);
    const lastAbsences = ledger.facts.absences();
    // A published key no source states counts its absence on every new capture, so it is always diffed.
    const diffed = only ? new Set([...only, ...lastAbsences.keys()]) : null;
    const { proposals, absences } = diffFacts({
      newEvidence,
      facts,
      published: ledger.history.publishedValues(diffed ?? undefined),
      absences: lastAbsences,
      removalAfterSyncs,
      stated,
      renamed: (model) => options.aliases?.byAlias.has(model) ?? false,
      now: at,
    });
    if (diffed) for (const [key, syncs] of lastAbsences) if (!diffed.has(key)) absences.set(key, syncs);
    ledger.facts.replaceAbsences(absences);
    const backfills = ledger.changes.backfillIds();
    const written = new Map(facts.map((f) => [keyOf(f), f]));
    const queue = applyQueuePlan(ledger, planQueue(proposals, ledger.changes.open(diffed ?? undefined, written).filter((c) => !backfills.has(c.id))), at);
    const backfilled = queueBackfills(ledger, options.sources, reports, facts, at);

    const statuses = only ? ledger.facts.statusCounts() : null;
    const counts: ReconciledCounts = {
      claims: claimCount,
      facts: statuses ? [...statuses.values()].reduce((a, b) => a + b, 0) : facts.length,
      conflicts: {
        resolved: statuses ? (statuses.get('resolved') ?? 0) : facts.filter((f) => f.status === 'resolved').length,
        disputed: statuses ? (statuses.get('disputed') ?? 0) : facts.filter((f) => f.status === 'disputed').length,
      },
      anomalies: anomalyCount,
    };
    ledger.runs.setMeta(RECONCILED_INPUTS, reconcileInputs(ledger, options));
    ledger.runs.setMeta(RECONCILED_COUNTS, JSON.stringify(counts));
    writeBase(ledger, {
      globals,
      basis: Object.fromEntries(ledger.sources.basisCaptures()),
      overrides: overridesByKey(overrides),
      audit: ledger.audit.lastId(),
      learned,
    });
    return {
      sources: reports,
      ...counts,
      changes: {
        queued: queue.queued + backfilled.queued,
        refreshed: queue.refreshed + backfilled.refreshed,
        superseded: queue.superseded + backfilled.superseded,
        pending: ledger.changes.count('pending'),
      },
      new_models: ledger.models.candidates('pending').length,
      reconciled: only ? 'incremental' : 'full',
      ...(only ? { reconciled_keys: only.size } : {}),
    };
  });
}

/**
 * Reads every current claim, learns what each source is worth from them, and decides the facts
 * (of the changed keys only, when nothing that weighs on every key moved). The claims and the truth
 * run stay inside, so writing the facts, the diff and the queue do not keep them alive (at 5,000
 * pages, 360,000 claims are ~100 MB of heap, free for the collector once this returns).
 */
function decideFacts(ledger: Ledger, options: PipelineOptions, reusable: boolean, removalAfterSyncs: number, at: string) {
  const registry = options.aliases ?? emptyRegistry();
  // A source whose file was removed no longer weighs in: its last capture voted on as an unknown
  // source, at a prior above the one its file gave it.
  const declared = new Set(options.sources.map((s) => s.id));
  const { claims, links } = linkIdentities(ledger, ledger.claims.current().filter((c) => declared.has(c.source_id)), registry, at);
  const base = readBase(ledger);
  // Every claim weighs in on what each source is worth, so the truth run always reads them all;
  // it keeps the weights the last run decided with while the new ones are within noise of them.
  const truth = learnTruth(claims, { sources: options.sources, settled: base?.learned });
  const globals = globalsOf(options.sources, registry, links, removalAfterSyncs);
  // Only while nothing that weighs on every key moved can the other keys keep their facts.
  const only = reusable && base && base.globals === globals && sameLearnedWeights(base.learned, truth.learned) ? changedKeys(ledger, base, claims, links) : null;
  const overrides = ledger.overrides.active();
  const facts = factsOf(truth, overrides, only ?? undefined);
  let anomalyCount = 0;
  for (const c of claims) if (c.anomaly) anomalyCount++;
  // Keys some claim names that no vote decides (anomalies, a source contradicting itself): still stated, not gone.
  const undecided = new Set<string>();
  const { itemKeys } = truth.run.table;
  for (let i = 0; i < itemKeys.length; i++) if (truth.run.truth.winner[i] < 0) undecided.add(itemKeys[i]);
  const stated = (key: string) => undecided.has(key);
  return { facts, only, globals, overrides, reliability: truth.reliability, learned: truth.learned, claimCount: claims.length, anomalyCount, stated };
}

export function extractionJob(source: Source, snapshot: Snapshot): SnapshotExtractionJob {
  const { id, kind, expect, extractor, provider, route } = source;
  return { body: snapshot.body, format: snapshot.format, source: { id, kind, expect, extractor, provider, route }, observedAt: snapshot.observed_at };
}

/**
 * From this many sources a run extracts on worker threads. A worker takes 0.4 s to start from
 * dist/ and over a second under tsx, while a table page parses in 3–5 ms: below a hundred pages
 * the main thread parses them sooner than a worker could start.
 */
export const WORKER_THRESHOLD = 100;

/**
 * Worker threads for a run of `targets` sources: one per core but the one the main thread needs
 * to fetch and store (on two cores a second worker made a 1,000-page sync no faster: the three
 * threads crowd each other), and none for small runs.
 */
export function extractWorkersFor(targets: number): number {
  return targets >= WORKER_THRESHOLD ? Math.max(1, Math.min(availableParallelism() - 1, 8)) : 0;
}

/**
 * Sources recorded per transaction: a commit per source costs more than recording it (2–3 ms
 * each), and a sync that dies mid-way loses at most one batch, which the next sync fetches again.
 */
const RECORD_BATCH = 64;

/**
 * Sources read (fetched, extracted) ahead of the next one to record: enough to keep the fetcher's
 * connections and the extraction workers busy while a batch is stored, few enough that what they
 * hold (bodies, snapshots, claims) stays small however many sources a run has.
 */
export const READ_AHEAD = RECORD_BATCH * 4;

/** One source, read and (if its capture is new) extracted, waiting to be recorded. */
interface Prepared {
  source: Source;
  acquired: Acquired;
  extracted?: Extracted;
}

/**
 * One sync: read every source and extract each new capture, READ_AHEAD sources at a time (reads
 * as the fetcher's limits allow, extraction on worker threads for large runs), record the results
 * in the order of `targets`, a batch of sources per transaction, and finally reconcile and queue.
 * Recording in order keeps a run's ledger the same however the responses interleave.
 */
export async function runPipeline(
  ledger: Ledger,
  options: PipelineOptions,
  targets: Source[],
  acquire: (source: Source) => Promise<Acquired>,
): Promise<SyncSummary> {
  const now = options.now ?? nowIso;
  const limits = captureLimits(options.limits);
  const started = performance.now();
  const runId = ledger.runs.start(now());
  // Built when the first new capture is recorded: a re-sync of 304s never needs the known models.
  let newModels: NewModelDetector | undefined;
  const detector = () => (newModels ??= new NewModelDetector(ledger, options.aliases ?? emptyRegistry()));
  const workers = options.extractWorkers ?? extractWorkersFor(targets.length);
  const extraction: Extraction = workers > 0 ? createExtractionPool({ workers }) : inlineExtraction;

  /** Never rejects: whatever goes wrong with one source becomes that source's failure. */
  async function prepare(source: Source): Promise<Prepared> {
    let acquired: Acquired = { status: 'failed', errorClass: 'internal', message: 'not read' };
    try {
      acquired = await acquire(source);
      if (acquired.status !== 'snapshot' || repeatsBasis(ledger.captures.currentStamp(source.id), acquired.snapshot)) {
        return { source, acquired };
      }
      return { source, acquired, extracted: await extraction.extract(extractionJob(source, acquired.snapshot)) };
    } catch (e) {
      const { attempts, ms, httpStatus } = acquired.status === 'failed' || acquired.status === 'live-only' ? {} : acquired;
      return { source, acquired: { status: 'failed', errorClass: 'internal', message: (e as Error).message, attempts, ms, httpStatus } };
    }
  }

  const reports: SourceReport[] = [];
  // Only sources within READ_AHEAD of the next to record are being read; a recorded one's body,
  // snapshot and claims are let go, so a run holds as much as its read-ahead, not all its sources.
  const reading: Array<Promise<Prepared> | undefined> = [];
  let reads = 0;
  try {
    for (let first = 0; first < targets.length; first += RECORD_BATCH) {
      for (; reads < Math.min(first + READ_AHEAD, targets.length); reads++) reading[reads] = prepare(targets[reads]);
      const batch = await Promise.all(reading.slice(first, first + RECORD_BATCH) as Array<Promise<Prepared>>);
      reading.fill(undefined, first, first + RECORD_BATCH);
      ledger.transaction(() => {
        for (const { source, acquired, extracted } of batch) {
          const report = recordAcquired(ledger, source, acquired, now(), acquired.status === 'snapshot' ? detector() : undefined, extracted, limits);
          if (options.keepBody && acquired.status === 'snapshot' && acquired.origin !== 'replay' && report.outcome !== 'unchanged' && report.snapshot) {
            // A worker compressed the body as it extracted it; a body extracted here was compressed as it was stored.
            options.keepBody(source.id, report.snapshot, extracted?.compressed ?? ledger.captures.compressedBody(report.snapshot)!);
          }
          reports.push(report);
        }
      });
    }
  } finally {
    await extraction.close();
  }
  const summary = reconcileAndQueue(ledger, options, reports, performance.now() - started);
  ledger.runs.finish(runId, now(), summary);
  return summary;
}
