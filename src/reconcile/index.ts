/**
 * Claims -> facts. The ledger's Claim is one input shape of the generic truth-discovery core
 * (truth.ts): an item is (model, field, condition), values are compared by their canonical
 * key (equivalence.ts), and every claim, counted or not, is kept as evidence on its fact.
 */
import type { Claim } from '../schema/claim.ts';
import type { EvidenceClaim, Fact, FactStatus, Override } from '../schema/fact.ts';
import type { FieldName } from '../schema/fields.ts';
import type { Source } from '../schema/source.ts';
import { valueKey } from './equivalence.ts';
import { explainDecision } from './explain.ts';
import {
  cmp,
  learnedWeights,
  reliabilityOf,
  representativeClaim,
  round,
  runTruth,
  type ClaimReader,
  type LearnedWeights,
  type SourceReliability,
  type TruthRun,
} from './run.ts';
import { keyOf } from '../schema/key.ts';
import { RULE_NAMES, STATUS_NAMES, compatible, type TruthOptions } from './truth.ts';

export { explainFact } from './explain.ts';
export { valueKey } from './equivalence.ts';
export { NEUTRAL_PRIOR, UNKNOWN_KIND, type LearnedWeights, type SourceReliability } from './run.ts';

export interface ReconcileOptions {
  /** Priors by kind/trust; a source id not listed gets NEUTRAL_PRIOR and kind 'unknown'. */
  sources: Array<Pick<Source, 'id' | 'kind' | 'trust'>>;
  overrides?: Override[];
  truth?: TruthOptions;
  /**
   * Build facts only for these item keys (itemKey). The truth run still reads every claim, since
   * what each source is worth is learned from all of them; only the facts outside are not built.
   */
  only?: ReadonlySet<string>;
  /** The weights the last reconciliation decided with: kept while what is learned now stays within noise of them (discoverTruth). */
  settled?: LearnedWeights;
}

export interface ReconcileResult {
  facts: Fact[];
  reliability: SourceReliability[];
  learned: LearnedWeights;
}

/** Whether two runs weighed votes alike, up to float noise (summing in another order). */
export function sameLearnedWeights(a: LearnedWeights, b: LearnedWeights, tolerance = 1e-12): boolean {
  const same = (x: Record<string, number>, y: Record<string, number>) => {
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    return keys.every((k) => k in y && Math.abs(x[k] - y[k]) <= tolerance * Math.max(1, Math.abs(x[k])));
  };
  return same(a.accuracy, b.accuracy) && same(a.falseValues, b.falseValues);
}

export function itemKey(model: string, field: string, condition: string): string {
  return keyOf({ model, field, condition });
}

const CLAIM_READER: ClaimReader<Claim> = {
  entity: (c) => c.model,
  field: (c) => c.field,
  condition: (c) => c.condition,
  value: (c) => c.value,
  source: (c) => c.source_id,
  observedAt: (c) => c.observed_at,
  confidence: (c) => c.confidence,
  excluded: (c) => c.anomaly !== undefined,
};

export function reconcile(claims: Claim[], options: ReconcileOptions): ReconcileResult {
  const truth = learnTruth(claims, options);
  return { facts: factsOf(truth, options.overrides ?? [], options.only), reliability: truth.reliability, learned: truth.learned };
}

/** The truth run over every claim, before any fact is built from it. */
export interface LearnedTruth {
  run: TruthRun;
  claims: Claim[];
  reliability: SourceReliability[];
  learned: LearnedWeights;
}

export function learnTruth(claims: Claim[], options: Pick<ReconcileOptions, 'sources' | 'truth' | 'settled'>): LearnedTruth {
  const run = runTruth(claims, CLAIM_READER, options.sources, valueKey, options.truth, options.settled);
  return { run, claims, reliability: reliabilityOf(run), learned: learnedWeights(run) };
}

/** The facts of a truth run, of every item or only of the item keys in `only`. */
export function factsOf({ run, claims }: LearnedTruth, overrides: readonly Override[], only?: ReadonlySet<string>): Fact[] {
  const { table, truth } = run;
  const overrideByItem = new Map<string, Override>();
  for (const o of overrides) {
    const key = itemKey(o.model, o.field, o.condition);
    if (!only || only.has(key)) overrideByItem.set(key, o);
  }

  const facts: Fact[] = [];
  for (let i = 0; i < table.itemKeys.length; i++) {
    if (only && !only.has(table.itemKeys[i])) continue;
    const override = overrideByItem.get(table.itemKeys[i]);
    if (override) {
      overrideByItem.delete(table.itemKeys[i]);
      facts.push(overriddenFact(run, claims, i, override));
    } else if (truth.winner[i] >= 0) facts.push(decidedFact(run, claims, i));
  }
  // An override on a figure no source states still holds: the reviewer's word is the fact.
  for (const override of overrideByItem.values()) facts.push(overriddenFact(run, claims, -1, override));
  facts.sort(compareFacts);
  return facts;
}

function decidedFact(run: TruthRun, claims: Claim[], item: number): Fact {
  const { table, truth } = run;
  const winner = truth.winner[item];
  const evidence: EvidenceClaim[] = [];
  for (let k = truth.itemStart[item]; k < truth.itemStart[item + 1]; k++) {
    const c = truth.claimOrder[k];
    const supports = !table.claimExcluded.data[c] && compatible(table.claimValue.data[c], winner, truth.valueParent);
    evidence.push(evidenceOf(run, claims, c, supports));
  }
  const first = claims[truth.claimOrder[truth.itemStart[item]]];
  return withExplanation(
    {
      model: first.model,
      field: first.field,
      condition: first.condition,
      value: claims[representativeClaim(run, item, winner)].value,
      status: STATUS_NAMES[truth.status[item]] as FactStatus,
      confidence: round(truth.confidence[item], 4),
      rule: RULE_NAMES[truth.rule[item]],
      explanation: '',
      claims: sortEvidence(evidence),
    },
    truth.share[item],
  );
}

/** `item` is -1 when no claim states the overridden figure. */
function overriddenFact(run: TruthRun, claims: Claim[], item: number, override: Override): Fact {
  const { table, truth } = run;
  const key = valueKey(override.field, override.value);
  const evidence: EvidenceClaim[] = [];
  if (item >= 0) {
    for (let k = truth.itemStart[item]; k < truth.itemStart[item + 1]; k++) {
      const c = truth.claimOrder[k];
      const supports = !table.claimExcluded.data[c] && table.valueKeys[table.claimValue.data[c]] === key;
      evidence.push(evidenceOf(run, claims, c, supports));
    }
  }
  return withExplanation(
    {
      model: override.model,
      field: override.field,
      condition: override.condition,
      value: override.value,
      status: 'overridden',
      confidence: 1,
      rule: 'override',
      explanation: '',
      claims: sortEvidence(evidence),
    },
    1,
    override,
  );
}

function withExplanation(fact: Fact, share: number, override?: Override): Fact {
  fact.explanation = explainDecision(fact, share, override);
  return fact;
}

function evidenceOf(run: TruthRun, claims: Claim[], c: number, supports: boolean): EvidenceClaim {
  const claim = claims[c];
  return {
    source_id: claim.source_id,
    source_kind: run.sourceKinds[run.table.claimSource.data[c]],
    value: claim.value,
    snapshot_hash: claim.snapshot_hash,
    locator: claim.locator,
    quote: claim.quote,
    observed_at: claim.observed_at,
    // the claim's log-odds vote; 0 for a source's extra claims and for anomalies
    weight: round(run.truth.claimWeight[c], 4),
    supports,
    ...(claim.linked_from ? { linked_from: claim.linked_from } : {}),
  };
}

function sortEvidence(evidence: EvidenceClaim[]): EvidenceClaim[] {
  return evidence.sort(compareEvidence);
}

/** Supporters first, heaviest first, then a stable order by source, time, place and value. */
function compareEvidence(a: EvidenceClaim, b: EvidenceClaim): number {
  return (
    Number(b.supports) - Number(a.supports) ||
    b.weight - a.weight ||
    cmp(a.source_id, b.source_id) ||
    cmp(a.observed_at, b.observed_at) ||
    cmp(a.locator, b.locator) ||
    cmp(String(a.value), String(b.value))
  );
}

function compareFacts(a: Fact, b: Fact): number {
  return cmp(a.model, b.model) || cmp(a.field as FieldName, b.field as FieldName) || cmp(a.condition, b.condition);
}
