/**
 * The pieces every extractor shares: building a claim (unit, sorted condition, sanity bounds),
 * deduplicating repeated readings of one figure, and turning expectations into drift reports.
 */
import type { ClaimValue, ExtractedClaim, ExtractResult } from '../schema/claim.ts';
import { FIELDS, type FieldName } from '../schema/fields.ts';
import type { Source } from '../schema/source.ts';
import { canonicalModelId } from '../normalize/identity.ts';
import { boundsAnomaly, cleanNumber } from '../normalize/units.ts';
import { canonicalCondition, joinConditions } from '../schema/condition.ts';
import { memoize } from './memo.ts';

export { joinConditions };

const UNIT_BY_KIND: Record<string, string | null> = {
  tokens: 'tokens',
  usd_per_mtok: 'USD/1M tokens',
  count: 'count',
  date: null,
  string: null,
  boolean: null,
};

export function unitOf(field: FieldName): string | null {
  return UNIT_BY_KIND[FIELDS[field].kind] ?? null;
}

// makeClaim runs once per claim (~14k on a big file): look each field's unit up once.
const UNIT_BY_FIELD = new Map<string, string | null>(Object.keys(FIELDS).map((field) => [field, unitOf(field as FieldName)]));

export interface ClaimInput {
  /** The model name as printed. */
  name: string;
  /** Canonical id when the extractor already knows it; otherwise derived from `name`. */
  model?: string;
  field: FieldName;
  value: ClaimValue;
  condition?: string;
  locator: string;
  quote: string;
  confidence: number;
  /** Why the figure is doubtful even inside its bounds (kept on the claim as an anomaly). */
  anomaly?: string;
}

// A table names each model once per figure: derive each (provider, name) id once, not per claim.
const modelIdOf = memoize((key: string) => {
  const cut = key.indexOf('\u0000');
  return canonicalModelId(key.slice(cut + 1), key.slice(0, cut) || undefined);
});

/**
 * The text as the ledger can hold it: half of a surrogate pair standing alone (a page's broken
 * emoji, a quote cut inside a pair) has no UTF-8 form, so SQLite stored U+FFFD for it, and the
 * claim read back was not the one extracted (nor equal to the next capture's). Checked first:
 * nearly every text is well formed, and the check costs a tenth of the rewrite.
 */
function storable(text: string): string {
  return text.isWellFormed() ? text : text.toWellFormed();
}

export function makeClaim(input: ClaimInput, provider?: string): ExtractedClaim {
  const claim: ExtractedClaim = {
    model: input.model ?? modelIdOf(`${provider ?? ''}\u0000${input.name}`),
    model_name: storable(input.name),
    field: input.field,
    // A JSON dump's 0.09999999999999999 is a price of $0.10 written by a float: the figure is that
    // number to 10 significant digits, its quote the text as the source wrote it.
    // A number past what a float holds (1e999 in a dump) is kept as its text: JSON, and so the
    // ledger, has no Infinity, and it read back as null, which no claim may be.
    value: typeof input.value !== 'number' ? input.value : Number.isFinite(input.value) ? cleanNumber(input.value) : input.quote,
    unit: UNIT_BY_FIELD.get(input.field) ?? null,
    condition: canonicalCondition(input.condition),
    locator: storable(input.locator),
    quote: storable(input.quote),
    confidence: input.confidence,
  };
  const anomaly = input.anomaly ?? boundsAnomaly(input.field, input.value) ?? (typeof input.value === 'number' && !Number.isFinite(input.value) ? 'not a finite number' : undefined);
  if (anomaly) claim.anomaly = anomaly;
  return claim;
}

/** Tables and JSON pointers pin a figure down better than a sentence does. */
function locatorRank(locator: string): number {
  if (locator.includes('sentence')) return 2;
  if (locator.startsWith('/') || locator.startsWith('table')) return 0;
  return 1;
}

function better(a: ExtractedClaim, b: ExtractedClaim): boolean {
  const rank = locatorRank(a.locator) - locatorRank(b.locator);
  if (rank !== 0) return rank < 0;
  return a.confidence > b.confidence;
}

/** The map under `key` in `parent`, created empty on first use. */
function mapUnder<K, K2, V>(parent: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let child = parent.get(key);
  if (child === undefined) {
    child = new Map();
    parent.set(key, child);
  }
  return child;
}

/**
 * One claim per (model, field, condition, value): a page repeating a figure in a table and in
 * prose says it once, from the most precise place. Different values stay: the reconciler decides.
 */
export function dedupeClaims(claims: readonly ExtractedClaim[]): ExtractedClaim[] {
  // Nested maps keyed by the claim's own strings and value, not one concatenated key: a big file
  // has ~14k claims, and building, flattening and hashing a fresh key string (plus printing each
  // numeric value) per claim cost more than the rest of the dedupe. One field has one value kind,
  // so the value itself tells values apart. Each slot holds an index into `kept`, which keeps the
  // first-seen order while a better reading replaces a worse one in place.
  const slots = new Map<string, Map<string, Map<string, Map<ClaimValue, number>>>>();
  const kept: ExtractedClaim[] = [];
  for (const claim of claims) {
    const byValue = mapUnder(mapUnder(mapUnder(slots, claim.model), claim.field), claim.condition);
    const at = byValue.get(claim.value);
    if (at === undefined) {
      byValue.set(claim.value, kept.length);
      kept.push(claim);
    } else if (better(claim, kept[at])) {
      kept[at] = claim;
    }
  }
  return kept;
}

export interface Expectations {
  min_models: number;
  fields: string[];
}

/** What an extractor (and its source file) expects a healthy page to yield. */
export function mergeExpectations(own: Partial<Expectations>, source?: Pick<Source, 'expect'>): Expectations {
  const fromSource = source?.expect;
  return {
    min_models: Math.max(own.min_models ?? 1, fromSource?.min_models ?? 0),
    fields: [...new Set([...(own.fields ?? []), ...(fromSource?.fields ?? [])])],
  };
}

/** Drift: expectations the claims do not meet. Never an exception, never a guess. */
export function driftReport(claims: readonly ExtractedClaim[], expect: Expectations): string[] {
  // One pass over the claims (a big file has ~14k), collecting what the checks below need.
  const models = new Set<string>();
  const baseFields = new Set<string>();
  for (const claim of claims) {
    if (claim.anomaly) continue;
    models.add(claim.model);
    if (claim.condition === '') baseFields.add(claim.field);
  }
  const drift: string[] = [];
  if (models.size === 0) {
    drift.push(
      claims.length === 0
        ? 'no figures found: the page yielded no claims (it may have changed shape or be the wrong page)'
        : `no usable figures found: all ${claims.length} claims failed sanity bounds`,
    );
    return drift;
  }
  if (models.size < expect.min_models) {
    drift.push(`found figures for ${models.size} model(s), expected at least ${expect.min_models}`);
  }
  for (const field of expect.fields) {
    if (!baseFields.has(field)) drift.push(`no model has a base ${field}: expected at least one`);
  }
  return drift;
}

/** Assemble an extractor's result: dedupe, then check expectations. */
export function finishResult(
  claims: readonly ExtractedClaim[],
  notes: readonly string[],
  own: Partial<Expectations>,
  source?: Pick<Source, 'expect'>,
): ExtractResult {
  const unique = dedupeClaims(claims);
  return { claims: unique, notes: [...new Set(notes)], drift: driftReport(unique, mergeExpectations(own, source)) };
}

/** Collects notes that repeat per model into one line each ("skipped created: 342 models"). */
export class NoteTally {
  private readonly counts = new Map<string, { count: number; examples: string[] }>();
  add(note: string, example?: string): void {
    const entry = this.counts.get(note) ?? { count: 0, examples: [] };
    entry.count += 1;
    if (example && entry.examples.length < 3) entry.examples.push(example);
    this.counts.set(note, entry);
  }
  lines(): string[] {
    return [...this.counts].map(([note, { count, examples }]) =>
      count === 1 && examples.length <= 1
        ? `${note}${examples.length ? ` (${examples[0]})` : ''}`
        : `${note} (${count}x${examples.length ? `, e.g. ${examples.join(', ')}` : ''})`,
    );
  }
}
