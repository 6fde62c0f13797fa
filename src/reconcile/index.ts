/**
 * Claims -> facts. The ledger's Claim is one input shape of the generic truth-discovery core
 * (truth.ts): an item is (model, field, condition), values are compared by their canonical
 * key (equivalence.ts), and every claim, counted or not, is kept as evidence on its fact.
 */
import type { Claim, ClaimValue } from '../schema/claim.ts';
import type { EvidenceClaim, Fact, Override } from '../schema/fact.ts';
import type { FieldName } from '../schema/fields.ts';
import type { Source } from '../schema/source.ts';
import { coarserKey, valueKey } from './equivalence.ts';
import { explainDecision } from './explain.ts';
import {
  ClaimTable,
  KIND_RANK,
  RULE_NAMES,
  STATUS_NAMES,
  UNKNOWN_RANK,
  compatible,
  discoverTruth,
  type TruthOptions,
  type TruthResult,
} from './truth.ts';

export { explainFact } from './explain.ts';
export { valueKey } from './equivalence.ts';

export interface ReconcileOptions {
  /** Priors by kind/trust; a source id not listed gets NEUTRAL_PRIOR and kind 'unknown'. */
  sources: Array<Pick<Source, 'id' | 'kind' | 'trust'>>;
  overrides?: Override[];
  truth?: TruthOptions;
}

export interface SourceReliability {
  source_id: string;
  kind: string;
  prior: number;
  learned: number;
  claims: number;
  agreements: number;
  disagreements: number;
}

export interface ReconcileResult {
  facts: Fact[];
  reliability: SourceReliability[];
}

/** Prior for a source nobody described: better than a coin, worse than any known kind. */
export const NEUTRAL_PRIOR = 0.6;
export const UNKNOWN_KIND = 'unknown';

const ITEM_SEP = '\u0000';

export function itemKey(model: string, field: string, condition: string): string {
  return model + ITEM_SEP + field + ITEM_SEP + condition;
}

export function reconcile(claims: Claim[], options: ReconcileOptions): ReconcileResult {
  const table = new ClaimTable();
  const sourceById = new Map(options.sources.map((s) => [s.id, s]));
  for (const claim of claims) {
    const item = table.itemId(itemKey(claim.model, claim.field, claim.condition));
    table.add(
      item,
      table.sourceId(claim.source_id),
      valueKey(claim.field, claim.value),
      Date.parse(claim.observed_at),
      claim.confidence,
      claim.anomaly !== undefined,
    );
  }
  const sourceKinds = table.sourceKeys.map((id) => sourceById.get(id)?.kind ?? UNKNOWN_KIND);
  const priorList = table.sourceKeys.map((id) => sourceById.get(id)?.trust ?? NEUTRAL_PRIOR);
  const truth = discoverTruth(
    table,
    { prior: Float64Array.from(priorList), rank: Int32Array.from(sourceKinds, (k) => KIND_RANK[k] ?? UNKNOWN_RANK) },
    coarserKey,
    options.truth,
  );

  const facts: Fact[] = [];
  const overrideByItem = new Map((options.overrides ?? []).map((o) => [itemKey(o.model, o.field, o.condition), o]));
  for (let i = 0; i < table.itemKeys.length; i++) {
    const itemClaims: number[] = [];
    for (let k = truth.itemStart[i]; k < truth.itemStart[i + 1]; k++) itemClaims.push(truth.claimOrder[k]);
    const override = overrideByItem.get(table.itemKeys[i]);
    overrideByItem.delete(table.itemKeys[i]);
    const view = { claims, table, truth, sourceKinds, itemClaims };
    if (override) facts.push(overriddenFact(view, override));
    else if (truth.winner[i] >= 0) facts.push(decidedFact(view, i));
  }
  // An override on a figure no source states still holds: the reviewer's word is the fact.
  for (const override of overrideByItem.values()) {
    facts.push(overriddenFact({ claims, table, truth, sourceKinds, itemClaims: [] }, override));
  }
  facts.sort(compareFacts);

  const reliability: SourceReliability[] = table.sourceKeys.map((id, s) => ({
    source_id: id,
    kind: sourceKinds[s],
    prior: priorList[s],
    learned: round(truth.accuracy[s], 4),
    claims: truth.votes[s],
    agreements: truth.agreements[s],
    disagreements: truth.disagreements[s],
  }));
  reliability.sort((a, b) => cmp(a.source_id, b.source_id));
  return { facts, reliability };
}

interface ItemView {
  claims: Claim[];
  table: ClaimTable;
  truth: TruthResult;
  sourceKinds: string[];
  itemClaims: number[];
}

function decidedFact(view: ItemView, item: number): Fact {
  const { claims, table, truth, itemClaims } = view;
  const winner = truth.winner[item];
  const supports = (c: number): boolean =>
    !table.claimExcluded.data[c] && compatible(table.claimValue.data[c], winner, truth.valueParent);
  const evidence = itemClaims.map((c) => evidenceOf(view, c, supports(c)));
  const first = claims[itemClaims[0]];
  const fact: Fact = {
    model: first.model,
    field: first.field,
    condition: first.condition,
    value: representativeValue(view, winner),
    status: STATUS_NAMES[truth.status[item]],
    confidence: round(truth.confidence[item], 4),
    rule: RULE_NAMES[truth.rule[item]],
    explanation: '',
    claims: sortEvidence(evidence),
  };
  fact.explanation = explainDecision(fact, truth.share[item]);
  return fact;
}

function overriddenFact(view: ItemView, override: Override): Fact {
  const key = valueKey(override.field, override.value);
  const evidence = view.itemClaims.map((c) => {
    const counted = !view.table.claimExcluded.data[c];
    return evidenceOf(view, c, counted && valueKey(override.field, view.claims[c].value) === key);
  });
  const fact: Fact = {
    model: override.model,
    field: override.field,
    condition: override.condition,
    value: override.value,
    status: 'overridden',
    confidence: 1,
    rule: 'override',
    explanation: '',
    claims: sortEvidence(evidence),
  };
  fact.explanation = explainDecision(fact, 1, override);
  return fact;
}

function evidenceOf(view: ItemView, c: number, supports: boolean): EvidenceClaim {
  const claim = view.claims[c];
  return {
    source_id: claim.source_id,
    source_kind: view.sourceKinds[view.table.claimSource.data[c]],
    value: claim.value,
    snapshot_hash: claim.snapshot_hash,
    locator: claim.locator,
    quote: claim.quote,
    observed_at: claim.observed_at,
    // the claim's log-odds vote; 0 for a source's extra claims and for anomalies
    weight: round(view.truth.claimWeight[c], 4),
    supports,
  };
}

/**
 * The figure a fact reports for its winning value: equivalent figures (128000 and 131072) share a
 * value, so take the exact figure of the best-ranked, heaviest vote that states it.
 */
function representativeValue(view: ItemView, winner: number): ClaimValue {
  const { table, truth } = view;
  let best = -1;
  for (const c of view.itemClaims) {
    if (!truth.claimIsVote[c] || table.claimValue.data[c] !== winner) continue;
    if (best < 0 || betterRepresentative(view, c, best)) best = c;
  }
  return view.claims[best].value;
}

function betterRepresentative(view: ItemView, c: number, best: number): boolean {
  const rank = (x: number) => KIND_RANK[view.sourceKinds[view.table.claimSource.data[x]]] ?? UNKNOWN_RANK;
  if (rank(c) !== rank(best)) return rank(c) < rank(best);
  return view.truth.claimWeight[c] > view.truth.claimWeight[best];
}

function sortEvidence(evidence: EvidenceClaim[]): EvidenceClaim[] {
  return evidence.sort(
    (a, b) =>
      Number(b.supports) - Number(a.supports) ||
      b.weight - a.weight ||
      cmp(a.source_id, b.source_id) ||
      cmp(a.observed_at, b.observed_at) ||
      cmp(a.locator, b.locator) ||
      cmp(String(a.value), String(b.value)),
  );
}

function compareFacts(a: Fact, b: Fact): number {
  return cmp(a.model, b.model) || cmp(a.field as FieldName, b.field as FieldName) || cmp(a.condition, b.condition);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
