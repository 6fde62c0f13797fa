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
import type { PublishedValue } from '../schema/history.ts';
import type { AuditEntry, ModelCandidate, ModelRecord } from '../schema/model.ts';

/** A row as better-sqlite3 returns it: column name to SQLite value. */
export type Row = { readonly [column: string]: string | number | null | Buffer };

export const json = (v: unknown): string => JSON.stringify(v);

/**
 * A fact's evidence serialised: its JSON, and once asked for (to be packed), that JSON's UTF-8
 * bytes. Not kept past the call that needs it: keeping every fact's serialised evidence from its
 * facts row to its change held ~190 MB more at the peak of a 5,000-page cold sync (see
 * packedFactClaims for what is kept instead).
 */
interface Evidence {
  json: string;
  bytes?: Buffer;
}

function evidenceOf(claims: Fact['claims']): Evidence {
  return { json: JSON.stringify(claims) };
}

const bytesOf = (evidence: Evidence): Buffer => (evidence.bytes ??= Buffer.from(evidence.json));

/** A fact's JSON around its evidence (what comes before, the evidence, what after), or null when the evidence is not its last key. */
function factParts(fact: Fact, evidence?: Evidence): [string, Evidence, string] | null {
  const keys = Object.keys(fact);
  if (keys[keys.length - 1] !== 'claims') return null;
  const { claims, ...rest } = fact;
  const head = JSON.stringify(rest);
  return [`${head.length > 2 ? `${head.slice(0, -1)},` : '{'}"claims":`, evidence ?? evidenceOf(claims), '}'];
}

/**
 * JSON from this many characters on is stored brotli-compressed, as a BLOB: a fact's evidence (in
 * the facts table, and in the change queued for it) grows with the sources that state its key, and
 * a cold sync of a thousand pages wrote 53 MB of it, twice over (the WAL, then the database). At the
 * fastest quality it shrinks 6–7 times in a third of the time writing it plain took; shorter JSON
 * stays text, readable in any SQLite shell.
 */
const PACK_FROM = 4096;

const pack = (json: string | Buffer): Buffer => brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } });

export function packedJson(text: string): string | Buffer {
  return text.length < PACK_FROM ? text : pack(text);
}

/** Change rows packed ahead of their queueing, from the evidence serialised for a facts row. */
const packedAhead = new WeakMap<Fact, string | Buffer>();

/**
 * A fact's evidence as the facts table stores it (see packedJson). `queued`: the fact is new and
 * about to be queued as a change, so its change row is packed now from the same serialised
 * evidence and kept, packed (a twentieth of its JSON), until packedFact asks for it. Serialising
 * a cold sync's evidence once instead of twice saved ~0.25 s per 1,000 pages.
 */
export function packedFactClaims(fact: Fact, queued = false): string | Buffer {
  const evidence = evidenceOf(fact.claims);
  if (queued) packedAhead.set(fact, packedFactFrom(fact, evidence));
  return evidence.json.length < PACK_FROM ? evidence.json : pack(bytesOf(evidence));
}

/** A fact as the changes table stores it: null, or packed JSON (see packedJson). */
export function packedFact(fact: Fact | null): string | Buffer {
  if (!fact) return 'null';
  const ahead = packedAhead.get(fact);
  if (ahead === undefined) return packedFactFrom(fact);
  packedAhead.delete(fact);
  return ahead;
}

function packedFactFrom(fact: Fact, evidence?: Evidence): string | Buffer {
  const parts = factParts(fact, evidence);
  if (!parts) return packedJson(JSON.stringify(fact));
  const [head, claims, tail] = parts;
  if (head.length + claims.json.length + tail.length < PACK_FROM) return head + claims.json + tail;
  return pack(Buffer.concat([Buffer.from(head), bytesOf(claims), Buffer.from(tail)]));
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

export function toChange(r: Row): Change {
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
    fact: unpacked<Fact | null>(r, 'fact'),
    status: text(r, 'status') as Change['status'],
    created_at: text(r, 'created_at'),
    reviewer: textOrNull(r, 'reviewer'),
    reviewed_at: textOrNull(r, 'reviewed_at'),
    note: textOrNull(r, 'note'),
  };
}

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

export function toFact(r: Row): Fact {
  return {
    model: text(r, 'model'),
    field: text(r, 'field') as FieldName,
    condition: text(r, 'condition'),
    value: parsed<ClaimValue>(r, 'value'),
    status: text(r, 'status') as Fact['status'],
    confidence: num(r, 'confidence'),
    rule: text(r, 'rule'),
    explanation: text(r, 'explanation'),
    claims: unpacked<Fact['claims']>(r, 'claims'),
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
