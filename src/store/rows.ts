/**
 * Typed row mappers: every row read from SQLite becomes a schema type here, at the store's
 * boundary. Columns are read by name (claims by position) and JSON columns parsed; no zod per row on hot paths
 * (a sync reads hundreds of thousands of claims), the shapes are the schemas' inferred types.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { Capture, FetchLogEntry, SourceState } from '../schema/capture.ts';
import type { Change } from '../schema/change.ts';
import type { Claim, ClaimValue } from '../schema/claim.ts';
import type { Fact, Override } from '../schema/fact.ts';
import type { FieldName } from '../schema/fields.ts';
import { keyOf, type FieldKey } from '../schema/key.ts';
import type { PublishedValue } from '../schema/history.ts';
import type { AuditEntry, ModelCandidate, ModelRecord } from '../schema/model.ts';

/** A row as better-sqlite3 returns it: column name to SQLite value. */
export type Row = { readonly [column: string]: string | number | null | Buffer };

export const json = (v: unknown): string => JSON.stringify(v);

/**
 * JSON from this many characters on is stored brotli-compressed, as a BLOB: a fact's evidence
 * grows with the sources that state its key, and a cold sync of a thousand pages wrote 53 MB of
 * it (the WAL, then the database). At the fastest quality it shrinks 6–7 times in a third of the
 * time writing it plain took; shorter JSON stays text, readable in any SQLite shell.
 */
const PACK_FROM = 4096;

const pack = (json: string | Buffer): Buffer => brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } });

export function packedJson(text: string): string | Buffer {
  return text.length < PACK_FROM ? text : pack(text);
}

/** A fact's evidence as the facts table stores it (see packedJson). */
export function packedFactClaims(fact: Fact): string | Buffer {
  return packedJson(JSON.stringify(fact.claims));
}

/** Whether two stored column values are the same bytes (packed JSON is a Buffer, a new one per read). */
export const sameStored = (a: Row[string] | undefined, b: Row[string]): boolean => a === b || (Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b));

const text = (r: Row, c: string): string => r[c] as string;
const textOrNull = (r: Row, c: string): string | null => (r[c] ?? null) as string | null;
const num = (r: Row, c: string): number => r[c] as number;
const numOrNull = (r: Row, c: string): number | null => (r[c] ?? null) as number | null;
const parsed = <T>(r: Row, c: string): T => (r[c] === null ? null : JSON.parse(r[c] as string)) as T;
/** A JSON column that may be packed (see packedJson). */
const unpacked = <T>(r: Row, c: string): T => (Buffer.isBuffer(r[c]) ? JSON.parse(brotliDecompressSync(r[c]).toString('utf8')) : parsed<T>(r, c)) as T;

/**
 * The columns a claim is read from, in the order toClaim reads them: claims come as raw arrays,
 * by position, since a sync reads every current claim and better-sqlite3 builds an array faster
 * than a row keyed by column name. A claim row stands for a run of captures; `k` is the capture it
 * is read through, whose snapshot and time the claim carries.
 */
export const CLAIM_COLUMNS = `c.source_id, c.model, c.model_name, c.field, c.condition, c.value, c.unit, c.locator, c.quote, c.confidence, c.anomaly,
  k.sha256 AS snapshot_hash, k.observed_at`;

/** A claim from the values of CLAIM_COLUMNS (anything after them is not read). */
export function toClaim(v: readonly Row[string][]): Claim {
  const anomaly = (v[10] ?? null) as string | null;
  return {
    model: v[1] as string,
    model_name: v[2] as string,
    field: v[3] as FieldName,
    value: JSON.parse(v[5] as string) as ClaimValue,
    unit: (v[6] ?? null) as string | null,
    condition: v[4] as string,
    locator: v[7] as string,
    quote: v[8] as string,
    confidence: v[9] as number,
    ...(anomaly ? { anomaly } : {}),
    source_id: v[0] as string,
    snapshot_hash: v[11] as string,
    observed_at: v[12] as string,
  };
}

export function toCapture(r: Row): Capture {
  return {
    id: num(r, 'id'),
    source_id: text(r, 'source_id'),
    sha256: text(r, 'sha256'),
    url: text(r, 'url'),
    format: text(r, 'format'),
    observed_at: text(r, 'observed_at'),
    origin: text(r, 'origin') as Capture['origin'],
    outcome: text(r, 'outcome') as Capture['outcome'],
    claim_count: num(r, 'claim_count'),
    notes: parsed<string[]>(r, 'notes'),
    drift: parsed<string[]>(r, 'drift'),
  };
}

export function toSourceState(r: Row): SourceState {
  return {
    source_id: text(r, 'source_id'),
    current_capture_id: numOrNull(r, 'current_capture_id'),
    etag: textOrNull(r, 'etag'),
    last_modified: textOrNull(r, 'last_modified'),
    last_attempt_at: textOrNull(r, 'last_attempt_at'),
    last_success_at: textOrNull(r, 'last_success_at'),
    last_failure_at: textOrNull(r, 'last_failure_at'),
    last_error: textOrNull(r, 'last_error'),
    consecutive_failures: num(r, 'consecutive_failures'),
  };
}

export function toFetchLogEntry(r: Row): FetchLogEntry {
  return {
    id: num(r, 'id'),
    source_id: text(r, 'source_id'),
    at: text(r, 'at'),
    status: text(r, 'status'),
    error_class: textOrNull(r, 'error_class'),
    message: textOrNull(r, 'message'),
    http_status: numOrNull(r, 'http_status'),
    attempts: num(r, 'attempts'),
    ms: num(r, 'ms'),
  };
}

/** A change row; `current`, by key (keyOf), are facts the facts table is known to hold, used instead of reading their row again. */
export function toChange(r: Row, current?: ReadonlyMap<string, Fact>): Change {
  return {
    id: num(r, 'id'),
    model: text(r, 'model'),
    field: text(r, 'field') as FieldName,
    condition: text(r, 'condition'),
    kind: text(r, 'kind') as Change['kind'],
    old_value: parsed<ClaimValue | null>(r, 'old_value'),
    new_value: parsed<ClaimValue | null>(r, 'new_value'),
    observed_at: text(r, 'observed_at'),
    evidence_key: text(r, 'evidence_key'),
    fact: factOfChange(r, current),
    status: text(r, 'status') as Change['status'],
    created_at: text(r, 'created_at'),
    reviewer: textOrNull(r, 'reviewer'),
    reviewed_at: textOrNull(r, 'reviewed_at'),
    note: textOrNull(r, 'note'),
  };
}

/**
 * A change's fact (see ChangeStore): its own copy, kept in its fact_ columns with its new_value
 * (CHANGE_FACT_COLUMNS), or whole in `fact` as changes were stored before; or the facts row it
 * follows, read with it as followed_ columns, or found in `current`. A change never follows a fact
 * that is gone (the facts store gives it its copy first), so a missing row is a broken ledger, not a
 * removal: a null fact would be approved as one.
 */
function factOfChange(r: Row, current?: ReadonlyMap<string, Fact>): Fact | null {
  if (r.fact !== null) return unpacked<Fact | null>(r, 'fact');
  if (r.fact_status !== null) return factFrom(r, 'fact_');
  const followed = current?.get(keyOf(r as unknown as FieldKey));
  if (followed) return followed;
  if (r.followed_value === null || r.followed_value === undefined) throw new Error(`change ${r.id as number} follows the fact of ${r.model as string} ${r.field as string}, and the ledger has no such fact`);
  return factFrom(r, 'followed_');
}

/** What a change is read with, beside its own columns (from the facts table as `f`): see factOfChange. */
export const CHANGE_FACT_COLUMNS =
  'c.new_value AS fact_value, f.value AS followed_value, f.status AS followed_status, f.confidence AS followed_confidence, f.rule AS followed_rule, f.explanation AS followed_explanation, f.claims AS followed_claims';

export function toPublished(r: Row): PublishedValue {
  return {
    model: text(r, 'model'),
    field: text(r, 'field') as FieldName,
    condition: text(r, 'condition'),
    value: parsed<ClaimValue>(r, 'value'),
    unit: textOrNull(r, 'unit'),
    status: text(r, 'status') as PublishedValue['status'],
    confidence: num(r, 'confidence'),
    sources: parsed<PublishedValue['sources']>(r, 'sources'),
    valid_from: text(r, 'valid_from'),
    valid_to: textOrNull(r, 'valid_to'),
    change_id: numOrNull(r, 'change_id'),
  };
}

export const toFact = (r: Row): Fact => factFrom(r, '');

/** A fact from a row's key columns and its fact columns, whose names start with `prefix`. */
function factFrom(r: Row, prefix: '' | 'fact_' | 'followed_'): Fact {
  return {
    model: text(r, 'model'),
    field: text(r, 'field') as FieldName,
    condition: text(r, 'condition'),
    value: parsed<ClaimValue>(r, `${prefix}value`),
    status: text(r, `${prefix}status`) as Fact['status'],
    confidence: num(r, `${prefix}confidence`),
    rule: text(r, `${prefix}rule`),
    explanation: text(r, `${prefix}explanation`),
    claims: unpacked<Fact['claims']>(r, `${prefix}claims`),
  };
}

export function toOverride(r: Row): Override {
  return {
    model: text(r, 'model'),
    field: text(r, 'field') as FieldName,
    condition: text(r, 'condition'),
    value: parsed<ClaimValue>(r, 'value'),
    reason: text(r, 'reason'),
    reviewer: text(r, 'reviewer'),
    created_at: text(r, 'created_at'),
  };
}

export function toModelRecord(r: Row): ModelRecord {
  return { id: text(r, 'id'), name: text(r, 'name'), provider: text(r, 'provider'), family: text(r, 'family'), version: textOrNull(r, 'version') };
}

export function toModelCandidate(r: Row): ModelCandidate {
  return {
    model_id: text(r, 'model_id'),
    name: text(r, 'name'),
    source_id: text(r, 'source_id'),
    first_seen: text(r, 'first_seen'),
    proposals: parsed<ModelCandidate['proposals']>(r, 'proposals'),
    status: text(r, 'status') as ModelCandidate['status'],
    decided_by: textOrNull(r, 'decided_by'),
    decided_at: textOrNull(r, 'decided_at'),
    decision: textOrNull(r, 'decision'),
  };
}

export function toAuditEntry(r: Row): AuditEntry {
  return {
    id: num(r, 'id'),
    at: text(r, 'at'),
    actor: text(r, 'actor'),
    action: text(r, 'action'),
    subject: textOrNull(r, 'subject'),
    detail: parsed<Record<string, unknown>>(r, 'detail'),
  };
}

/** A single-column read: the column's values. */
export function column<T extends string | number>(rows: unknown[], name: string): T[] {
  return (rows as Row[]).map((r) => r[name] as T);
}
