import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Claim, ClaimValue, ExtractResult } from '../schema/claim.ts';
import type { Change, ChangeStatus, ProposedChange } from '../schema/change.ts';
import type { Fact, Override } from '../schema/fact.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import type { FieldName } from '../schema/fields.ts';
import { MIGRATIONS } from './migrations.ts';
import type { RobotsCache } from '../fetch/robots.ts';
import type { FetchState } from '../fetch/types.ts';
import { displayName, displayNameRank } from '../normalize/identity.ts';

export const DEFAULT_DB_PATH = 'data/ledger.sqlite';

export interface Capture {
  id: number;
  source_id: string;
  sha256: string;
  url: string;
  format: string;
  observed_at: string;
  origin: 'fetch' | 'replay' | 'ingest';
  outcome: 'extracted' | 'drift' | 'unchanged';
  claim_count: number;
  notes: string[];
  drift: string[];
}

export interface SourceState {
  source_id: string;
  current_capture_id: number | null;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
  consecutive_failures: number;
}

export interface PublishedValue {
  model: string;
  field: FieldName;
  condition: string;
  value: ClaimValue;
  unit: string | null;
  status: Fact['status'];
  confidence: number;
  sources: Array<{ source_id: string; url: string; observed_at: string }>;
  valid_from: string;
  valid_to: string | null;
  change_id: number | null;
}

export interface ModelCandidateRow {
  model_id: string;
  name: string;
  source_id: string;
  first_seen: string;
  proposals: Array<{ id: string; score: number; reason: string }>;
  status: 'pending' | 'new' | 'alias' | 'distinct';
  decided_by: string | null;
  decided_at: string | null;
  decision: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
}

type Row = Record<string, any>;
const json = (v: unknown) => JSON.stringify(v);
const parse = <T>(s: string | null): T => (s === null ? (null as T) : (JSON.parse(s) as T));

function toClaim(r: Row): Claim {
  return {
    model: r.model,
    model_name: r.model_name,
    field: r.field,
    value: parse(r.value),
    unit: r.unit,
    condition: r.condition,
    locator: r.locator,
    quote: r.quote,
    confidence: r.confidence,
    ...(r.anomaly ? { anomaly: r.anomaly } : {}),
    source_id: r.source_id,
    snapshot_hash: r.snapshot_hash,
    observed_at: r.observed_at,
  };
}

function toCapture(r: Row): Capture {
  return { ...r, notes: parse(r.notes), drift: parse(r.drift) } as Capture;
}

function toChange(r: Row): Change {
  return {
    id: r.id,
    model: r.model,
    field: r.field,
    condition: r.condition,
    kind: r.kind,
    old_value: parse(r.old_value),
    new_value: parse(r.new_value),
    observed_at: r.observed_at,
    evidence_key: r.evidence_key,
    fact: parse(r.fact),
    status: r.status,
    created_at: r.created_at,
    reviewer: r.reviewer,
    reviewed_at: r.reviewed_at,
    note: r.note,
  };
}

function toPublished(r: Row): PublishedValue {
  return {
    model: r.model,
    field: r.field,
    condition: r.condition,
    value: parse(r.value),
    unit: r.unit,
    status: r.status,
    confidence: r.confidence,
    sources: parse(r.sources),
    valid_from: r.valid_from,
    valid_to: r.valid_to,
    change_id: r.change_id,
  };
}

/** The SQLite ledger: every snapshot, claim, change, review and approved interval. */
export class Ledger {
  readonly db: Database.Database;

  constructor(readonly path: string = DEFAULT_DB_PATH) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL never corrupts the ledger; a power cut can lose only the last commits.
    this.db.pragma('synchronous = NORMAL');
    // A sync writes tens of MB per transaction; a 64 MB page cache keeps it from spilling mid-way.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement, compiled once per ledger: syncs run the same few hundred thousand times. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private migrate(): void {
    const applied = this.db.pragma('user_version', { simple: true }) as number;
    for (let i = applied; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  close(): void {
    this.db.close();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // --- snapshots and captures -------------------------------------------------------------

  putSnapshot(snapshot: Pick<Snapshot, 'sha256' | 'body' | 'content_type'>): void {
    this
      .sql('INSERT OR IGNORE INTO snapshots (sha256, body, content_type, bytes) VALUES (?, ?, ?, ?)')
      .run(snapshot.sha256, snapshot.body, snapshot.content_type, Buffer.byteLength(snapshot.body));
  }

  snapshotBody(sha256: string): string | null {
    const row = this.sql('SELECT body FROM snapshots WHERE sha256 = ?').get(sha256) as Row | undefined;
    return row ? row.body : null;
  }

  /** Records a capture and its claims; claims are stored even for a drifting capture, for the record. */
  addCapture(
    snapshot: Snapshot,
    origin: Capture['origin'],
    outcome: Capture['outcome'],
    result: ExtractResult | null,
  ): Capture {
    this.putSnapshot(snapshot);
    const info = this
      .sql(
        `INSERT INTO captures (source_id, sha256, url, format, observed_at, origin, outcome, claim_count, notes, drift)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        snapshot.source_id,
        snapshot.sha256,
        snapshot.url,
        snapshot.format,
        snapshot.observed_at,
        origin,
        outcome,
        result?.claims.length ?? 0,
        json(result?.notes ?? []),
        json(result?.drift ?? []),
      );
    const captureId = Number(info.lastInsertRowid);
    if (result && result.claims.length > 0) {
      const insert = this.sql(
        `INSERT INTO claims (capture_id, source_id, snapshot_hash, observed_at, model, model_name, field, condition,
           value, unit, locator, quote, confidence, anomaly) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const c of result.claims) {
        insert.run(
          captureId,
          snapshot.source_id,
          snapshot.sha256,
          snapshot.observed_at,
          c.model,
          c.model_name,
          c.field,
          c.condition,
          json(c.value),
          c.unit,
          c.locator,
          c.quote,
          c.confidence,
          c.anomaly ?? null,
        );
      }
    }
    return this.capture(captureId)!;
  }

  capture(id: number): Capture | null {
    const row = this.sql('SELECT * FROM captures WHERE id = ?').get(id) as Row | undefined;
    return row ? toCapture(row) : null;
  }

  capturesOf(sourceId: string): Capture[] {
    return (
      this.sql('SELECT * FROM captures WHERE source_id = ? ORDER BY observed_at, id').all(sourceId) as Row[]
    ).map(toCapture);
  }

  claimsOfCapture(captureId: number): Claim[] {
    return (this.sql('SELECT * FROM claims WHERE capture_id = ? ORDER BY rowid').all(captureId) as Row[]).map(
      toClaim,
    );
  }

  /** One model's claims in one capture, without reading a large capture whole. */
  claimsOfCaptureForModel(captureId: number, model: string): Claim[] {
    return (
      this.sql('SELECT * FROM claims WHERE model = ? AND capture_id = ? ORDER BY rowid').all(model, captureId) as Row[]
    ).map(toClaim);
  }

  /** The newest capture of a source that holds this snapshot. */
  captureOfSnapshot(sourceId: string, sha256: string): Capture | null {
    const row = this
      .sql('SELECT * FROM captures WHERE source_id = ? AND sha256 = ? ORDER BY id DESC LIMIT 1')
      .get(sourceId, sha256) as Row | undefined;
    return row ? toCapture(row) : null;
  }

  /** The claims the world stood behind at `at`: each source's newest good capture observed by then. */
  claimsAsOf(at: string): Claim[] {
    return (
      this
        .sql(
          `SELECT c.* FROM claims c JOIN (
             SELECT source_id, (SELECT id FROM captures k WHERE k.source_id = s.source_id AND k.outcome = 'extracted'
               AND k.observed_at <= ? ORDER BY k.observed_at DESC, k.id DESC LIMIT 1) AS capture_id
             FROM (SELECT DISTINCT source_id FROM captures) s
           ) basis ON c.capture_id = basis.capture_id ORDER BY c.rowid`,
        )
        .all(at) as Row[]
    ).map(toClaim);
  }

  /** The claims every source currently stands behind: those of each source's last good capture. */
  currentClaims(): Claim[] {
    return (
      this
        .sql(
          // CROSS JOIN keeps source_state outside: each basis capture's claims come by index, instead
          // of a scan of every claim ever stored, which grows with each sync.
          `SELECT c.* FROM source_state s CROSS JOIN claims c ON c.capture_id = s.current_capture_id ORDER BY c.rowid`,
        )
        .all() as Row[]
    ).map(toClaim);
  }

  // --- source state --------------------------------------------------------------------------

  sourceState(sourceId: string): SourceState | null {
    return (this.sql('SELECT * FROM source_state WHERE source_id = ?').get(sourceId) as SourceState) ?? null;
  }

  sourceStates(): SourceState[] {
    return this.sql('SELECT * FROM source_state ORDER BY source_id').all() as SourceState[];
  }

  /** What a conditional request needs for every source with a state: validators and the basis hash, in one query. */
  conditionalStates(): Map<string, FetchState> {
    const rows = this
      .sql(
        `SELECT s.source_id, s.etag, s.last_modified, c.sha256 FROM source_state s
         LEFT JOIN captures c ON c.id = s.current_capture_id`,
      )
      .all() as Array<FetchState & { source_id: string }>;
    return new Map(rows.map(({ source_id, ...state }) => [source_id, state]));
  }

  /** The robots.txt texts the fetcher read, kept between syncs. */
  robotsCache(): RobotsCache {
    return {
      get: (origin) => (this.sql('SELECT text, fetched_at FROM robots_txt WHERE origin = ?').get(origin) as { text: string; fetched_at: string } | undefined) ?? null,
      put: (origin, text, fetchedAt) => {
        this.sql('INSERT OR REPLACE INTO robots_txt (origin, text, fetched_at) VALUES (?, ?, ?)').run(origin, text, fetchedAt);
      },
    };
  }

  currentCapture(sourceId: string): Capture | null {
    const row = this
      .sql('SELECT c.* FROM source_state s JOIN captures c ON c.id = s.current_capture_id WHERE s.source_id = ?')
      .get(sourceId) as Row | undefined;
    return row ? toCapture(row) : null;
  }

  private ensureState(sourceId: string): void {
    this.sql('INSERT OR IGNORE INTO source_state (source_id) VALUES (?)').run(sourceId);
  }

  recordSuccess(sourceId: string, at: string, update: { captureId?: number; etag?: string | null; lastModified?: string | null }): void {
    this
      .sql(
        `INSERT INTO source_state (source_id, last_attempt_at, last_success_at, consecutive_failures, current_capture_id, etag, last_modified)
         VALUES (?, ?, ?, 0, ?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
           last_success_at = excluded.last_success_at, consecutive_failures = 0,
           current_capture_id = COALESCE(excluded.current_capture_id, current_capture_id),
           etag = COALESCE(excluded.etag, etag), last_modified = COALESCE(excluded.last_modified, last_modified)`,
      )
      .run(sourceId, at, at, update.captureId ?? null, update.etag ?? null, update.lastModified ?? null);
  }

  recordFailure(sourceId: string, at: string, error: string): void {
    this.ensureState(sourceId);
    this
      .sql(
        `UPDATE source_state SET last_attempt_at = ?, last_failure_at = ?, last_error = ?,
           consecutive_failures = consecutive_failures + 1 WHERE source_id = ?`,
      )
      .run(at, at, error, sourceId);
  }

  logFetch(entry: {
    source_id: string;
    at: string;
    status: string;
    error_class?: string | null;
    message?: string | null;
    http_status?: number | null;
    attempts?: number;
    ms?: number;
  }): void {
    this
      .sql(
        `INSERT INTO fetch_log (source_id, at, status, error_class, message, http_status, attempts, ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.source_id,
        entry.at,
        entry.status,
        entry.error_class ?? null,
        entry.message ?? null,
        entry.http_status ?? null,
        entry.attempts ?? 1,
        Math.round(entry.ms ?? 0),
      );
  }

  fetchLog(sourceId: string, limit = 20): Row[] {
    return this
      .sql('SELECT * FROM fetch_log WHERE source_id = ? ORDER BY id DESC LIMIT ?')
      .all(sourceId, limit) as Row[];
  }

  // --- models and aliases -------------------------------------------------------------------

  /** Records a model; its display name is replaced only by a better one (see displayNameRank). */
  upsertModel(model: { id: string; name: string; provider: string; family: string; version: string | null }, at: string): void {
    const name = displayName(model.name);
    const current = this.sql('SELECT name FROM models WHERE id = ?').get(model.id) as Row | undefined;
    if (!current) {
      this
        .sql('INSERT INTO models (id, name, provider, family, version, first_seen) VALUES (?, ?, ?, ?, ?, ?)')
        .run(model.id, name, model.provider, model.family, model.version, at);
    } else if (displayNameRank(name) > displayNameRank(current.name)) {
      this.sql('UPDATE models SET name = ? WHERE id = ?').run(name, model.id);
    }
  }

  addAlias(alias: string, modelId: string, sourceId: string): void {
    this.sql('INSERT OR IGNORE INTO aliases (alias, model_id, source_id) VALUES (?, ?, ?)').run(alias, modelId, sourceId);
  }

  models(): Array<{ id: string; name: string; provider: string; family: string; version: string | null }> {
    return this.sql('SELECT id, name, provider, family, version FROM models ORDER BY id').all() as any[];
  }

  aliasesOf(modelId: string): string[] {
    return (
      this.sql('SELECT DISTINCT alias FROM aliases WHERE model_id = ? ORDER BY alias').all(modelId) as Row[]
    ).map((r) => r.alias);
  }

  /** Resolves a user-typed model name: a canonical id, or any alias a source printed. */
  /** An alias was accepted: the names printed for `from` now name `to`, and `from` is no model of its own. */
  mergeModel(from: string, to: string, at: string): void {
    this.transaction(() => {
      const source = this.sql('SELECT * FROM models WHERE id = ?').get(from) as Row | undefined;
      if (!source) return;
      const identity = { id: to, name: source.name, provider: to.split('/')[0], family: source.family, version: source.version };
      this.upsertModel(identity, at);
      this.sql('INSERT OR IGNORE INTO aliases (alias, model_id, source_id) SELECT alias, ?, source_id FROM aliases WHERE model_id = ?').run(to, from);
      this.sql('DELETE FROM aliases WHERE model_id = ?').run(from);
      this.sql('DELETE FROM models WHERE id = ?').run(from);
    });
  }

  /** Whether the ledger knows this id: a model a source named, or one claims were aliased onto. */
  hasModel(id: string): boolean {
    return Boolean(
      this.sql('SELECT 1 FROM models WHERE id = ?').get(id) ?? this.sql('SELECT 1 FROM facts WHERE model = ? LIMIT 1').get(id),
    );
  }

  /** Ids whose model part is exactly `slug` ("qwen3.5-9b" -> qwen/qwen3.5-9b), for names typed without a provider. */
  modelIdsEndingWith(slug: string): string[] {
    return (this.sql(`SELECT id FROM models WHERE id LIKE '%/' || ? ORDER BY id`).all(slug) as Row[]).map((r) => r.id);
  }

  findModelIds(name: string): string[] {
    const byId = this.sql('SELECT id FROM models WHERE id = ?').get(name.toLowerCase()) as Row | undefined;
    if (byId) return [byId.id];
    return (
      this
        .sql('SELECT DISTINCT model_id FROM aliases WHERE lower(alias) = lower(?) ORDER BY model_id')
        .all(name) as Row[]
    ).map((r) => r.model_id);
  }

  // --- new-model candidates --------------------------------------------------------------------

  addModelCandidate(c: { model_id: string; name: string; source_id: string; first_seen: string; proposals: unknown[] }): void {
    this
      .sql('INSERT OR IGNORE INTO model_candidates (model_id, name, source_id, first_seen, proposals) VALUES (?, ?, ?, ?, ?)')
      .run(c.model_id, c.name, c.source_id, c.first_seen, json(c.proposals));
  }

  modelCandidates(status?: string): ModelCandidateRow[] {
    return (
      this.sql('SELECT * FROM model_candidates WHERE (? IS NULL OR status = ?) ORDER BY first_seen, model_id').all(status ?? null, status ?? null) as Row[]
    ).map((r) => ({ ...(r as ModelCandidateRow), proposals: parse(r.proposals) }));
  }

  /** Approving a change of a model nobody had confirmed yet confirms it as a new model. */
  confirmNewModel(modelId: string, by: string, at: string, decision: string): void {
    this
      .sql(`UPDATE model_candidates SET status = 'new', decided_by = ?, decided_at = ?, decision = ? WHERE model_id = ? AND status = 'pending'`)
      .run(by, at, decision, modelId);
  }

  decideModelCandidate(modelId: string, status: 'new' | 'alias' | 'distinct', by: string, at: string, decision: string): number {
    return this
      .sql('UPDATE model_candidates SET status = ?, decided_by = ?, decided_at = ?, decision = ? WHERE model_id = ?')
      .run(status, by, at, decision, modelId).changes;
  }

  // --- facts ------------------------------------------------------------------------------------

  replaceFacts(facts: Fact[]): void {
    this.sql('DELETE FROM facts').run();
    const insert = this.sql(
      `INSERT INTO facts (model, field, condition, value, status, confidence, rule, explanation, claims)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const f of facts) {
      insert.run(f.model, f.field, f.condition, json(f.value), f.status, f.confidence, f.rule, f.explanation, json(f.claims));
    }
  }

  facts(filter: { model?: string; field?: string } = {}): Fact[] {
    const rows = this
      .sql(
        `SELECT * FROM facts WHERE (? IS NULL OR model = ?) AND (? IS NULL OR field = ?)
         ORDER BY model, field, condition`,
      )
      .all(filter.model ?? null, filter.model ?? null, filter.field ?? null, filter.field ?? null) as Row[];
    return rows.map((r) => ({
      model: r.model,
      field: r.field,
      condition: r.condition,
      value: parse(r.value),
      status: r.status,
      confidence: r.confidence,
      rule: r.rule,
      explanation: r.explanation,
      claims: parse(r.claims),
    }));
  }

  replaceReliability(rows: ReadonlyArray<{ source_id: string }>): void {
    this.sql('DELETE FROM source_reliability').run();
    const insert = this.sql('INSERT INTO source_reliability (source_id, detail) VALUES (?, ?)');
    for (const r of rows) insert.run(r.source_id, json(r));
  }

  reliability(): Array<Record<string, unknown>> {
    return (this.sql('SELECT detail FROM source_reliability ORDER BY source_id').all() as Row[]).map((r) =>
      parse(r.detail),
    );
  }

  // --- overrides ----------------------------------------------------------------------------------

  activeOverrides(): Override[] {
    return (
      this.sql('SELECT * FROM overrides WHERE lifted_at IS NULL ORDER BY id').all() as Row[]
    ).map((r) => ({
      model: r.model,
      field: r.field,
      condition: r.condition,
      value: parse(r.value),
      reason: r.reason,
      reviewer: r.reviewer,
      created_at: r.created_at,
    }));
  }

  pinOverride(o: Override): void {
    this.transaction(() => {
      this.liftOverride(o.model, o.field, o.condition, o.reviewer, o.created_at);
      this
        .sql(
          `INSERT INTO overrides (model, field, condition, value, reason, reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(o.model, o.field, o.condition, json(o.value), o.reason, o.reviewer, o.created_at);
      this.audit(o.reviewer, 'override', `${o.model} ${o.field}${o.condition ? ` [${o.condition}]` : ''}`, {
        value: o.value,
        reason: o.reason,
      }, o.created_at);
    });
  }

  liftOverride(model: string, field: string, condition: string, reviewer: string, at: string): number {
    const info = this
      .sql(
        `UPDATE overrides SET lifted_at = ?, lifted_by = ?
         WHERE model = ? AND field = ? AND condition = ? AND lifted_at IS NULL`,
      )
      .run(at, reviewer, model, field, condition);
    return info.changes;
  }

  // --- changes ------------------------------------------------------------------------------------

  changes(filter: { status?: ChangeStatus; ids?: number[] } = {}): Change[] {
    const rows = this
      .sql('SELECT * FROM changes WHERE (? IS NULL OR status = ?) ORDER BY id')
      .all(filter.status ?? null, filter.status ?? null) as Row[];
    const all = rows.map(toChange);
    return filter.ids ? all.filter((c) => filter.ids!.includes(c.id)) : all;
  }

  change(id: number): Change | null {
    const row = this.sql('SELECT * FROM changes WHERE id = ?').get(id) as Row | undefined;
    return row ? toChange(row) : null;
  }

  insertChange(p: ProposedChange, at: string): number {
    const info = this
      .sql(
        `INSERT INTO changes (model, field, condition, kind, old_value, new_value, observed_at, evidence_key, fact, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      )
      .run(p.model, p.field, p.condition, p.kind, json(p.old_value), json(p.new_value), p.observed_at, p.evidence_key, json(p.fact), at);
    return Number(info.lastInsertRowid);
  }

  /** Flags a change as a backfill: it speaks for a date older than its source's current basis. */
  markBackfill(id: number): void {
    this.sql('UPDATE changes SET backfill = 1 WHERE id = ?').run(id);
  }

  backfillChangeIds(): Set<number> {
    return new Set((this.sql('SELECT id FROM changes WHERE backfill = 1').all() as Row[]).map((r) => r.id));
  }

  refreshPendingChange(id: number, p: ProposedChange): void {
    this
      .sql('UPDATE changes SET old_value = ?, observed_at = ?, evidence_key = ?, fact = ? WHERE id = ?')
      .run(json(p.old_value), p.observed_at, p.evidence_key, json(p.fact), id);
  }

  setChangeStatus(id: number, status: ChangeStatus, review: { reviewer: string | null; at: string; note: string | null }): void {
    this
      .sql('UPDATE changes SET status = ?, reviewer = ?, reviewed_at = ?, note = ? WHERE id = ?')
      .run(status, review.reviewer, review.at, review.note, id);
  }

  // --- history (the approved dataset over time) -------------------------------------------------

  /** The open intervals: the dataset as currently approved. */
  published(): PublishedValue[] {
    return (
      this.sql('SELECT * FROM history WHERE valid_to IS NULL ORDER BY model, field, condition').all() as Row[]
    ).map(toPublished);
  }

  /** The approved values in force at the end of `at` (a date or timestamp). */
  publishedAt(at: string): PublishedValue[] {
    const bound = endOfDay(at);
    return (
      this
        .sql(
          `SELECT * FROM history WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)
           ORDER BY model, field, condition`,
        )
        .all(bound, bound) as Row[]
    ).map(toPublished);
  }

  /** One key's intervals in order. An exact-key query: history()'s optional filters cannot use the index. */
  timeline(key: { model: string; field: string; condition: string }): PublishedValue[] {
    return (
      this
        .sql('SELECT * FROM history WHERE model = ? AND field = ? AND condition = ? ORDER BY valid_from, id')
        .all(key.model, key.field, key.condition) as Row[]
    ).map(toPublished);
  }

  history(filter: { model?: string; field?: string } = {}): PublishedValue[] {
    return (
      this
        .sql(
          `SELECT * FROM history WHERE (? IS NULL OR model = ?) AND (? IS NULL OR field = ?)
           ORDER BY model, field, condition, valid_from, id`,
        )
        .all(filter.model ?? null, filter.model ?? null, filter.field ?? null, filter.field ?? null) as Row[]
    ).map(toPublished);
  }

  /**
   * Places a value into the key's timeline at `validFrom`: the interval it lands in is cut there,
   * and the new one runs until the next interval starts (or stays open). A null value ends the
   * key's timeline at `validFrom` (the model or figure is no longer offered).
   */
  insertInterval(key: { model: string; field: string; condition: string }, entry: Omit<PublishedValue, 'model' | 'field' | 'condition' | 'valid_to'> | { value: null; valid_from: string; change_id: number | null }): void {
    const intervals = this.timeline(key);
    const from = entry.valid_from;
    const containing = intervals.find((h) => h.valid_from <= from && (h.valid_to === null || h.valid_to > from));
    const next = intervals.find((h) => h.valid_from > from);
    if (containing) {
      // Cut the interval the new value lands in. One that started the same moment becomes an empty
      // interval rather than disappearing: it was approved, and history keeps what was approved.
      this
        .sql(
          `UPDATE history SET valid_to = ? WHERE model = ? AND field = ? AND condition = ? AND valid_from = ?
             AND (valid_to IS NULL OR valid_to > ?)`,
        )
        .run(from, key.model, key.field, key.condition, containing.valid_from, from);
    }
    if (entry.value === null) return;
    const e = entry as Omit<PublishedValue, 'model' | 'field' | 'condition' | 'valid_to'>;
    this
      .sql(
        `INSERT INTO history (model, field, condition, value, unit, status, confidence, sources, valid_from, valid_to, change_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(key.model, key.field, key.condition, json(e.value), e.unit, e.status, e.confidence, json(e.sources), from, next?.valid_from ?? null, e.change_id);
  }

  // --- meta ------------------------------------------------------------------------------------------

  meta(key: string): string | null {
    const row = this.sql('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined;
    return row ? row.value : null;
  }

  setMeta(key: string, value: string): void {
    this.sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Which capture each source's current claims come from: changes when, and only when, evidence does. */
  basisFingerprint(): string {
    return (this.sql('SELECT source_id, current_capture_id FROM source_state ORDER BY source_id').all() as Row[])
      .map((r) => `${r.source_id}:${r.current_capture_id ?? ''}`)
      .join(',');
  }

  // --- absences ------------------------------------------------------------------------------------

  absences(): Map<string, number> {
    const rows = this.sql('SELECT * FROM absences').all() as Row[];
    return new Map(rows.map((r) => [keyOf(r as any), r.syncs]));
  }

  replaceAbsences(counts: Map<string, number>): void {
    this.sql('DELETE FROM absences').run();
    const insert = this.sql('INSERT INTO absences (model, field, condition, syncs) VALUES (?, ?, ?, ?)');
    for (const [key, syncs] of counts) {
      const [model, field, condition] = JSON.parse(key) as string[];
      insert.run(model, field, condition, syncs);
    }
  }

  // --- audit -----------------------------------------------------------------------------------------

  audit(actor: string, action: string, subject: string | null, detail: Record<string, unknown>, at: string): void {
    this
      .sql('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)')
      .run(at, actor, action, subject, json(detail));
  }

  auditLog(): AuditEntry[] {
    return (this.sql('SELECT * FROM audit_log ORDER BY id').all() as Row[]).map((r) => ({
      ...(r as AuditEntry),
      detail: parse(r.detail),
    }));
  }

  // --- sync runs ---------------------------------------------------------------------------------------

  startRun(at: string): number {
    return Number(this.sql('INSERT INTO sync_runs (started_at) VALUES (?)').run(at).lastInsertRowid);
  }

  finishRun(id: number, at: string, summary: unknown): void {
    this.sql('UPDATE sync_runs SET finished_at = ?, summary = ? WHERE id = ?').run(at, json(summary), id);
  }
}

/** The identity of a (model, field, condition) key, as one string usable in maps. */
export function keyOf(k: { model: string; field: string; condition: string }): string {
  return JSON.stringify([k.model, k.field, k.condition]);
}

/**
 * Checks a point in time given by a user (`--at`): a calendar date (YYYY-MM-DD) or an ISO
 * timestamp. Anything else is refused rather than quietly read as "now".
 */
export function parsePointInTime(at: string): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(at);
  if (date) {
    const d = new Date(`${at}T00:00:00.000Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().startsWith(at)) return at;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(at) && !Number.isNaN(new Date(at).getTime())) {
    return new Date(at).toISOString();
  }
  throw new RangeError(`not a date: "${at}" (use YYYY-MM-DD or an ISO timestamp)`);
}

/** "2026-07-18" means the whole of that day; a full timestamp means itself. */
export function endOfDay(at: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(at) ? `${at}T23:59:59.999Z` : at;
}
