/**
 * The bridge between an input shape (ledger Claims, rows of a claims file) and the integer core:
 * intern the claims, give each source its prior and kind rank, run truth discovery, and report
 * what each source turned out to be worth.
 */
import { type PlainValue } from './equivalence.ts';
import {
  ClaimTable,
  KIND_RANK,
  UNKNOWN_RANK,
  discoverTruth,
  type SettledWeights,
  type TruthOptions,
  type TruthResult,
} from './truth.ts';
import type { SourceReliability } from '../schema/sync.ts';
import { coarserKey } from './equivalence.ts';

/** Prior for a source nobody described: better than a coin, worse than any known kind. */
export const NEUTRAL_PRIOR = 0.6;
export const UNKNOWN_KIND = 'unknown';

export interface SourcePrior {
  id: string;
  kind?: string;
  trust?: number;
}

export type { SourceReliability };

/** How to read one input claim; methods, so no closure is made per claim. */
export interface ClaimReader<T> {
  entity(claim: T): string;
  field(claim: T): string;
  condition(claim: T): string;
  value(claim: T): PlainValue;
  source(claim: T): string;
  /** ISO time, or '' when unknown. */
  observedAt(claim: T): string;
  confidence(claim: T): number;
  /** Listed with its fact but never counted (an anomaly). */
  excluded(claim: T): boolean;
}

export interface TruthRun {
  table: ClaimTable;
  truth: TruthResult;
  /** Per source id of the table. */
  sourceKinds: string[];
  sourceRanks: Int32Array;
  priors: number[];
}

export function runTruth<T>(
  claims: readonly T[],
  reader: ClaimReader<T>,
  sources: readonly SourcePrior[],
  key: (field: string, value: PlainValue) => string,
  options?: TruthOptions,
  settled?: LearnedWeights,
): TruthRun {
  const table = new ClaimTable();
  const keyOf = memoValueKey(key);
  const timeOf = memoTime();
  for (const claim of claims) {
    const field = reader.field(claim);
    table.add(
      table.itemOf(reader.entity(claim), field, reader.condition(claim)),
      table.sourceId(reader.source(claim)),
      keyOf(field, reader.value(claim)),
      timeOf(reader.observedAt(claim)),
      reader.confidence(claim),
      reader.excluded(claim),
    );
  }
  const byId = new Map<string, SourcePrior>();
  for (const s of sources) byId.set(s.id, s);
  const sourceKinds = table.sourceKeys.map((id) => byId.get(id)?.kind ?? UNKNOWN_KIND);
  const priors = table.sourceKeys.map((id) => byId.get(id)?.trust ?? NEUTRAL_PRIOR);
  const sourceRanks = Int32Array.from(sourceKinds, (k) => KIND_RANK[k] ?? UNKNOWN_RANK);
  const truth = discoverTruth(table, { prior: Float64Array.from(priors), rank: sourceRanks }, coarserKey, options, settled && alignWeights(table, settled));
  return { table, truth, sourceKinds, sourceRanks, priors };
}

/**
 * What the truth run learned that weighs every item's votes, by source id and field: each source's
 * accuracy and each field's plausible false values. While these stand, an item whose own claims
 * and override did not change is decided exactly as before.
 */
export interface LearnedWeights {
  accuracy: Record<string, number>;
  falseValues: Record<string, number>;
}

export function learnedWeights(run: TruthRun): LearnedWeights {
  const { table, truth } = run;
  return {
    accuracy: Object.fromEntries(table.sourceKeys.map((id, s) => [id, truth.accuracy[s]])),
    falseValues: Object.fromEntries(table.groupKeys.map((field, g) => [field, truth.falseValues[g]])),
  };
}

/** Weights by id in the table's order; NaN for a source or field they do not name, and none at all when they name one the table lacks. */
function alignWeights(table: ClaimTable, weights: LearnedWeights): SettledWeights | undefined {
  if (Object.keys(weights.accuracy).length !== table.sourceKeys.length || Object.keys(weights.falseValues).length !== table.groupKeys.length) return undefined;
  return {
    accuracy: Float64Array.from(table.sourceKeys, (id) => (Object.hasOwn(weights.accuracy, id) ? weights.accuracy[id] : NaN)),
    falseValues: Float64Array.from(table.groupKeys, (field) => (Object.hasOwn(weights.falseValues, field) ? weights.falseValues[field] : NaN)),
  };
}

export function reliabilityOf(run: TruthRun): SourceReliability[] {
  const { table, truth } = run;
  return table.sourceKeys
    .map((id, s) => ({
      source_id: id,
      kind: run.sourceKinds[s],
      prior: run.priors[s],
      learned: round(truth.accuracy[s], 4),
      claims: truth.votes[s],
      agreements: truth.agreements[s],
      disagreements: truth.disagreements[s],
    }))
    .sort((a, b) => cmp(a.source_id, b.source_id));
}

/** Values repeat across claims far more than they differ: canonicalize each distinct one once. */
export function memoValueKey(key: (field: string, value: PlainValue) => string): (field: string, value: PlainValue) => string {
  const byField = new Map<string, Map<PlainValue, string>>();
  return (field, value) => {
    let memo = byField.get(field);
    if (!memo) byField.set(field, (memo = new Map()));
    let k = memo.get(value);
    if (k === undefined) memo.set(value, (k = key(field, value)));
    return k;
  };
}

/** Milliseconds of an ISO time (NaN when absent or unreadable), parsed once per distinct string. */
export function memoTime(): (iso: string) => number {
  const memo = new Map<string, number>();
  return (iso) => {
    if (!iso) return NaN;
    let t = memo.get(iso);
    if (t === undefined) memo.set(iso, (t = Date.parse(iso)));
    return t;
  };
}

/**
 * The claim that stands for a winning value: equivalent figures (128000 and 131072) share a value,
 * so take the best-ranked, heaviest counted claim that states it. -1 if none does.
 */
export function representativeClaim(run: TruthRun, item: number, value: number): number {
  const { table, truth, sourceRanks } = run;
  const claimValue = table.claimValue.data;
  const claimSource = table.claimSource.data;
  let best = -1;
  for (let k = truth.itemStart[item]; k < truth.itemStart[item + 1]; k++) {
    const c = truth.claimOrder[k];
    if (!truth.claimIsVote[c] || claimValue[c] !== value) continue;
    if (best < 0) best = c;
    else {
      const rc = sourceRanks[claimSource[c]];
      const rb = sourceRanks[claimSource[best]];
      if (rc < rb || (rc === rb && truth.claimWeight[c] > truth.claimWeight[best])) best = c;
    }
  }
  return best;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
