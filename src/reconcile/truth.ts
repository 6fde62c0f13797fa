/**
 * The reconciler's core: truth discovery over generic claims
 * (item = entity/field/condition, source, value key, observed time, confidence).
 *
 * Method (Accu family, Dong, Berti-Equille & Srivastava, VLDB 2009):
 * - each source s has an accuracy A(s), starting at its prior (by kind and trust);
 * - a vote for value v counts tau(s) = ln(n * A / (1 - A)), n = plausible false values of the
 *   field (estimated from the data), never below 0: a source worse than chance is ignored, not
 *   inverted. The vote is scaled by the claim's own confidence and by recency within the item;
 * - the posterior of v is softmax of the summed votes, leaving mass for n unseen values;
 * - A(s) is re-estimated as the mean posterior of what s claimed, smoothed toward its prior with
 *   priorWeight pseudo-claims, so a source that keeps contradicting well-supported values
 *   loses weight everywhere, while one with few claims keeps roughly its prior.
 * After a few iterations each item is decided by explicit, explainable rules (see decideItem).
 *
 * Tried and left out: copy detection (Dong et al.'s AccuCopy, and a plain agreement-rate variant).
 * On the Flight benchmark, without trusted anchors, both took accurate sources that agree with
 * each other for copies and lowered accuracy from 0.94 to 0.69-0.77.
 *
 * Everything is integer-indexed and stored in typed arrays: the inner loops allocate nothing,
 * so a million claims take a few seconds and memory grows linearly.
 */

import { decideItem, type DecideContext } from './rules.ts';
import { compatible, growableInt, type ClaimTable } from './table.ts';

export * from './rules.ts';
export { ClaimTable, compatible } from './table.ts';

export interface TruthOptions {
  /**
   * Plausible false values per item (Accu's n). Default: estimated per field from the data, as the
   * mean number of distinct wrong values on contested items (see estimateFalseValues).
   */
  falseValues?: number;
  /** Pseudo-claims pulling a source's learned accuracy toward its prior. */
  priorWeight?: number;
  maxIterations?: number;
  /** Stop when no accuracy moves more than this between iterations. */
  tolerance?: number;
  /** A weighted vote resolves a conflict when the winner holds at least this share of the posterior. */
  resolveShare?: number;
  /** Days after which a claim, relative to the newest claim on the same item, counts half. */
  halfLifeDays?: number;
}

const DEFAULTS: Required<Omit<TruthOptions, 'falseValues'>> = {
  priorWeight: 5,
  maxIterations: 20,
  tolerance: 1e-4,
  resolveShare: 0.75,
  halfLifeDays: 365,
};

const MIN_ACCURACY = 0.01;
const MAX_ACCURACY = 0.99;
const DAY_MS = 86_400_000;

export interface SourcePriors {
  /** Prior accuracy per source id, in (0, 1). */
  prior: Float64Array;
  /** Kind rank per source id (KIND_RANK). */
  rank: Int32Array;
}

export interface TruthResult {
  /** Claims of each item: claimOrder[itemStart[i] .. itemStart[i+1]). */
  itemStart: Int32Array;
  claimOrder: Int32Array;
  /** 1 when the claim is its source's counted vote on the item (best claim of that source). */
  claimIsVote: Uint8Array;
  /** The claim's weight in the final vote (0 when not a vote). */
  claimWeight: Float64Array;
  /** Per item: winning value id, status, rule, confidence, winner's share of the candidate posterior. */
  winner: Int32Array;
  status: Uint8Array;
  rule: Uint8Array;
  confidence: Float64Array;
  share: Float64Array;
  /** Per value: id of the coarser value on the same item it is compatible with, or -1. */
  valueParent: Int32Array;
  /** Per source: learned accuracy and counts of its votes that agree / disagree with the winners. */
  accuracy: Float64Array;
  /** Per group (field): the plausible false values the votes were weighed with. */
  falseValues: Float64Array;
  votes: Int32Array;
  agreements: Int32Array;
  disagreements: Int32Array;
  iterations: number;
}

/** The claims of each item and, among them, the one vote per (item, source). */
interface VoteIndex {
  itemStart: Int32Array;
  claimOrder: Int32Array;
  voteStart: Int32Array;
  votes: Int32Array;
  claimIsVote: Uint8Array;
  /** Per claim: 1 for the newest claim of its item, less the older it is (halfLifeDays). */
  recency: Float64Array;
  /** Distinct voted values of each item: values[valueStart[i] .. valueStart[i+1]). */
  valueStart: Int32Array;
  values: Int32Array;
}

/**
 * Weights an earlier run decided with, aligned with the table's sources and groups (NaN where the
 * earlier run had none).
 */
export interface SettledWeights {
  accuracy: Float64Array;
  falseValues: Float64Array;
}

/** How many standard errors a source's accuracy may move and still count as the settled one (a 95% band). */
const ACCURACY_NOISE_SE = 2;
/** How far a field's plausible false values may move, relatively, and still count as the settled ones. */
const FALSE_VALUES_NOISE = 0.01;

/**
 * Whether what was just learned is, within its own noise, what an earlier run settled on: each
 * source's accuracy within ACCURACY_NOISE_SE standard errors of a proportion over its votes (and
 * the prior's pseudo-votes), each field's false values within FALSE_VALUES_NOISE.
 */
function withinNoise(accuracy: Float64Array, falseValues: Float64Array, votes: Int32Array, settled: SettledWeights, priorWeight: number): boolean {
  if (settled.accuracy.length !== accuracy.length || settled.falseValues.length !== falseValues.length) return false;
  for (let s = 0; s < accuracy.length; s++) {
    const a = accuracy[s];
    // NaN (a source the earlier run did not have) fails this comparison, as it should.
    if (!(Math.abs(a - settled.accuracy[s]) <= ACCURACY_NOISE_SE * Math.sqrt((a * (1 - a)) / (votes[s] + priorWeight)))) return false;
  }
  for (let g = 0; g < falseValues.length; g++) {
    if (!(Math.abs(falseValues[g] - settled.falseValues[g]) <= FALSE_VALUES_NOISE * falseValues[g])) return false;
  }
  return true;
}

/**
 * Learns each source's accuracy from the claims and decides every item with it. With `settled`,
 * when the weights just learned are within noise of those (withinNoise), the items are decided
 * with the settled weights instead: a weight that moved less than it can be known to has not
 * changed, and keeping it lets a sync that changed a few claims re-decide only their items.
 */
export function discoverTruth(
  table: ClaimTable,
  priors: SourcePriors,
  coarser: (key: string) => string | null,
  options: TruthOptions = {},
  settled?: SettledWeights,
): TruthResult {
  const opt = { ...DEFAULTS, ...options };
  const index = indexVotes(table, opt.halfLifeDays);
  const valueParent = linkCoarserValues(table, coarser);
  const falseValues =
    opt.falseValues !== undefined
      ? new Float64Array(table.groupKeys.length).fill(opt.falseValues)
      : estimateFalseValues(table, index);
  const model = new VoteModel(table, index, valueParent, falseValues);
  const sourceCount = table.sourceKeys.length;
  const itemCount = table.itemKeys.length;
  const cSource = table.claimSource.data;
  const cValue = table.claimValue.data;

  const prior = new Float64Array(sourceCount);
  for (let s = 0; s < sourceCount; s++) prior[s] = clampAccuracy(priors.prior[s]);
  model.accuracy.set(prior);
  const voteCount = new Int32Array(sourceCount);
  for (const c of index.votes) voteCount[cSource[c]]++;

  const credit = new Float64Array(sourceCount);
  let iterations = 0;
  while (iterations < opt.maxIterations) {
    iterations++;
    model.prepare();
    credit.fill(0);
    for (let i = 0; i < itemCount; i++) {
      model.scoreItem(i);
      for (let k = index.voteStart[i]; k < index.voteStart[i + 1]; k++) {
        const c = index.votes[k];
        credit[cSource[c]] += model.subtree[cValue[c]];
      }
    }
    let moved = 0;
    for (let s = 0; s < sourceCount; s++) {
      const next = clampAccuracy((opt.priorWeight * prior[s] + credit[s]) / (opt.priorWeight + voteCount[s]));
      moved = Math.max(moved, Math.abs(next - model.accuracy[s]));
      model.accuracy[s] = next;
    }
    if (moved < opt.tolerance) break;
  }

  if (settled && withinNoise(model.accuracy, falseValues, voteCount, settled, opt.priorWeight)) {
    model.accuracy.set(settled.accuracy);
    falseValues.set(settled.falseValues);
  }
  // Final scoring with what was learned, then the explicit rules.
  model.prepare();
  const winner = new Int32Array(itemCount).fill(-1);
  const status = new Uint8Array(itemCount);
  const rule = new Uint8Array(itemCount);
  const confidence = new Float64Array(itemCount);
  const share = new Float64Array(itemCount);
  const agreements = new Int32Array(sourceCount);
  const disagreements = new Int32Array(sourceCount);
  const ctx: DecideContext = {
    votes: index.votes, values: index.values, cValue, cSource, cObserved: table.claimObserved.data,
    claimWeight: model.claimWeight, valueParent, posterior: model.posterior, support: model.support,
    accuracy: model.accuracy, rank: priors.rank, valueKeys: table.valueKeys, resolveShare: opt.resolveShare,
    falseValues: 0, from: 0, to: 0, vFrom: 0, vTo: 0,
  };
  for (let i = 0; i < itemCount; i++) {
    ctx.from = index.voteStart[i];
    ctx.to = index.voteStart[i + 1];
    if (ctx.from === ctx.to) continue; // only excluded claims: no fact
    ctx.vFrom = index.valueStart[i];
    ctx.vTo = index.valueStart[i + 1];
    ctx.falseValues = falseValues[table.itemGroup.data[i]];
    model.scoreItem(i);
    const d = decideItem(ctx);
    winner[i] = d.winner;
    status[i] = d.status;
    rule[i] = d.rule;
    confidence[i] = d.confidence;
    share[i] = d.share;
    for (let k = ctx.from; k < ctx.to; k++) {
      const c = index.votes[k];
      if (compatible(cValue[c], d.winner, valueParent)) agreements[cSource[c]]++;
      else disagreements[cSource[c]]++;
    }
  }

  return {
    itemStart: index.itemStart, claimOrder: index.claimOrder, claimIsVote: index.claimIsVote,
    claimWeight: model.claimWeight, winner, status, rule, confidence, share, valueParent,
    accuracy: model.accuracy, falseValues, votes: voteCount, agreements, disagreements, iterations,
  };
}

/**
 * Scores the values of one item at a time from the current source accuracies: vote weights
 * (log-odds), support (own votes plus coarser compatible votes),
 * posterior (softmax with mass for unseen false values), and subtree credit.
 */
class VoteModel {
  readonly accuracy: Float64Array;
  readonly claimWeight: Float64Array;
  readonly score: Float64Array;
  readonly support: Float64Array;
  readonly posterior: Float64Array;
  /** Posterior of a value plus that of every finer value it contains: what a vote for it earns. */
  readonly subtree: Float64Array;
  private readonly tau: Float64Array;

  constructor(
    private readonly table: ClaimTable,
    private readonly index: VoteIndex,
    private readonly valueParent: Int32Array,
    /** Per item group (field). */
    private readonly falseValues: Float64Array,
  ) {
    const valueCount = table.valueKeys.length;
    this.accuracy = new Float64Array(table.sourceKeys.length);
    this.tau = new Float64Array(table.sourceKeys.length);
    this.claimWeight = new Float64Array(table.claimCount);
    this.score = new Float64Array(valueCount);
    this.support = new Float64Array(valueCount);
    this.posterior = new Float64Array(valueCount);
    this.subtree = new Float64Array(valueCount);
  }

  /** Turn accuracies into vote strengths (without the per-field ln n) for the next pass. */
  prepare(): void {
    for (let s = 0; s < this.tau.length; s++) this.tau[s] = Math.log(this.accuracy[s] / (1 - this.accuracy[s]));
  }

  scoreItem(i: number): void {
    const { votes, voteStart, values, valueStart, recency } = this.index;
    const cSource = this.table.claimSource.data;
    const cValue = this.table.claimValue.data;
    const cConfidence = this.table.claimConfidence.data;
    const { score, support, posterior, subtree, valueParent } = this;
    const vFrom = valueStart[i];
    const vTo = valueStart[i + 1];
    const n = this.falseValues[this.table.itemGroup.data[i]];
    const lnN = Math.log(n);
    for (let k = vFrom; k < vTo; k++) {
      score[values[k]] = 0;
      subtree[values[k]] = 0;
    }
    for (let k = voteStart[i]; k < voteStart[i + 1]; k++) {
      const c = votes[k];
      const s = cSource[c];
      // a source worse than chance among the plausible values is ignored, not inverted
      const weight = Math.max(0, lnN + this.tau[s]) * cConfidence[c] * recency[c];
      this.claimWeight[c] = weight;
      score[cValue[c]] += weight;
    }
    let max = -Infinity;
    for (let k = vFrom; k < vTo; k++) {
      const v = values[k];
      let s = score[v];
      for (let p = valueParent[v]; p >= 0; p = valueParent[p]) s += score[p];
      support[v] = s;
      if (s > max) max = s;
    }
    // softmax over the stated values plus the unseen false values (each with support 0)
    let total = Math.max(0, n + 1 - (vTo - vFrom)) * Math.exp(-max);
    for (let k = vFrom; k < vTo; k++) total += Math.exp(support[values[k]] - max);
    for (let k = vFrom; k < vTo; k++) {
      const v = values[k];
      posterior[v] = Math.exp(support[v] - max) / total;
      for (let p = v; p >= 0; p = valueParent[p]) subtree[p] += posterior[v];
    }
  }
}

/**
 * Accu's n per field: how many different wrong values a field's claims spread over, taken as the
 * mean number of distinct values beyond one on items where the votes disagree (at least 1; 1 for
 * a field with no disagreement). Booleans come out at 1, as they should; a field whose errors
 * scatter widely gets a larger n, and then agreement on a value is stronger evidence.
 */
function estimateFalseValues(table: ClaimTable, index: VoteIndex): Float64Array {
  const groups = table.groupKeys.length;
  const extra = new Float64Array(groups);
  const contested = new Float64Array(groups);
  for (let i = 0; i < table.itemKeys.length; i++) {
    const distinct = index.valueStart[i + 1] - index.valueStart[i];
    if (distinct < 2) continue;
    const g = table.itemGroup.data[i];
    extra[g] += distinct - 1;
    contested[g]++;
  }
  const n = new Float64Array(groups);
  for (let g = 0; g < groups; g++) n[g] = contested[g] ? Math.max(1, extra[g] / contested[g]) : 1;
  return n;
}

/** Group claims by item and pick each source's vote per item: its newest, then most confident claim. */
function indexVotes(table: ClaimTable, halfLifeDays: number): VoteIndex {
  const itemCount = table.itemKeys.length;
  const claimCount = table.claimCount;
  const cItem = table.claimItem.data;
  const cSource = table.claimSource.data;
  const cValue = table.claimValue.data;
  const cObserved = table.claimObserved.data;
  const cConfidence = table.claimConfidence.data;
  const cExcluded = table.claimExcluded.data;

  // counting sort by item keeps input order within an item
  const itemStart = new Int32Array(itemCount + 1);
  for (let c = 0; c < claimCount; c++) itemStart[cItem[c] + 1]++;
  for (let i = 0; i < itemCount; i++) itemStart[i + 1] += itemStart[i];
  const claimOrder = new Int32Array(claimCount);
  const fill = itemStart.slice(0, itemCount);
  for (let c = 0; c < claimCount; c++) claimOrder[fill[cItem[c]]++] = c;

  const claimIsVote = new Uint8Array(claimCount);
  const recency = new Float64Array(claimCount);
  const bestOfSource = new Int32Array(table.sourceKeys.length).fill(-1);
  const voteStart = new Int32Array(itemCount + 1);
  const voteList = growableInt();
  const valueStart = new Int32Array(itemCount + 1);
  const valueList = growableInt();
  const listedFor = new Int32Array(table.valueKeys.length).fill(-1);
  for (let i = 0; i < itemCount; i++) {
    let newest = -Infinity;
    for (let k = itemStart[i]; k < itemStart[i + 1]; k++) {
      const c = claimOrder[k];
      if (cExcluded[c]) continue;
      const b = bestOfSource[cSource[c]];
      if (b < 0 || isBetterClaim(c, b, cObserved, cConfidence)) bestOfSource[cSource[c]] = c;
      if (cObserved[c] > newest) newest = cObserved[c];
    }
    // A source stating two values for the item at once (one capture's Batch table read as the
    // standard price beside the real one) contradicts itself: it has no vote on the item.
    for (let k = itemStart[i]; k < itemStart[i + 1]; k++) {
      const c = claimOrder[k];
      const b = bestOfSource[cSource[c]];
      if (cExcluded[c] || b < 0 || c === b || cValue[c] === cValue[b] || !sameTime(cObserved[c], cObserved[b])) continue;
      bestOfSource[cSource[c]] = CONTRADICTED;
    }
    for (let k = itemStart[i]; k < itemStart[i + 1]; k++) {
      const c = claimOrder[k];
      if (bestOfSource[cSource[c]] !== c) continue;
      claimIsVote[c] = 1;
      voteList.push(c);
      const ageDays = Number.isFinite(newest) && Number.isFinite(cObserved[c]) ? (newest - cObserved[c]) / DAY_MS : 0;
      recency[c] = 1 / (1 + ageDays / halfLifeDays);
      if (listedFor[cValue[c]] !== i) {
        listedFor[cValue[c]] = i;
        valueList.push(cValue[c]);
      }
    }
    for (let k = itemStart[i]; k < itemStart[i + 1]; k++) bestOfSource[cSource[claimOrder[k]]] = -1;
    voteStart[i + 1] = voteList.length;
    valueStart[i + 1] = valueList.length;
  }
  return {
    itemStart, claimOrder, voteStart, votes: voteList.view(), claimIsVote, recency, valueStart, values: valueList.view(),
  };
}

/** A source's best claim on an item when it states two values for it at the same time: no claim of it votes. */
const CONTRADICTED = -2;

/** The same observation time, an unknown time (NaN) being the same as another unknown one. */
const sameTime = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

function isBetterClaim(c: number, b: number, observed: Float64Array, conf: Float64Array): boolean {
  const oc = Number.isNaN(observed[c]) ? -Infinity : observed[c];
  const ob = Number.isNaN(observed[b]) ? -Infinity : observed[b];
  if (oc !== ob) return oc > ob;
  return conf[c] > conf[b];
}

function clampAccuracy(a: number): number {
  return Math.min(MAX_ACCURACY, Math.max(MIN_ACCURACY, Number.isFinite(a) ? a : 0.5));
}

/** Per value: the nearest coarser value that some claim on the same item states, or -1. */
function linkCoarserValues(table: ClaimTable, coarser: (key: string) => string | null): Int32Array {
  const parent = new Int32Array(table.valueKeys.length).fill(-1);
  const items = table.valueItem.data;
  for (let v = 0; v < parent.length; v++) {
    for (let key = coarser(table.valueKeys[v]); key !== null; key = coarser(key)) {
      const p = table.findValue(items[v], key);
      if (p >= 0) {
        parent[v] = p;
        break;
      }
    }
  }
  return parent;
}
