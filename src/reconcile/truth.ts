/**
 * The reconciler's core: truth discovery over generic claims
 * (item = entity/field/condition, source, value key, observed time, confidence).
 *
 * Method (Accu family, Dong et al. VLDB 2009, without copy detection):
 * - each source s has an accuracy A(s), starting at its prior (by kind and trust);
 * - a vote for value v counts tau(s) = ln(n * A / (1 - A)) (n = plausible false values), scaled by
 *   the claim's own confidence and by recency within the item (stale claims count less);
 * - the posterior of v is softmax of the summed votes, leaving mass for n unseen values;
 * - A(s) is re-estimated as the mean posterior of what s claimed, smoothed toward its prior with
 *   PRIOR_WEIGHT pseudo-claims, so a source that keeps contradicting well-supported values
 *   loses weight everywhere, while one with few claims keeps roughly its prior.
 * After a few iterations each item is decided by explicit, explainable rules (see decideItem).
 *
 * Everything is integer-indexed and stored in typed arrays: the inner loops allocate nothing,
 * so a million claims take a few seconds and memory grows linearly.
 */

export const STATUS_AGREED = 0;
export const STATUS_RESOLVED = 1;
export const STATUS_DISPUTED = 2;
export const STATUS_NAMES = ['agreed', 'resolved', 'disputed'] as const;

export const RULE_UNANIMOUS = 0;
export const RULE_SOURCE_KIND = 1;
export const RULE_RECENCY = 2;
export const RULE_WEIGHTED_VOTE = 3;
export const RULE_BEST_GUESS = 4;
export const RULE_NAMES = ['unanimous', 'source-kind', 'recency', 'weighted-vote', 'best-guess'] as const;

/** Kind ranks: lower outranks higher. A missing kind ranks after every known one. */
export const KIND_RANK: Record<string, number> = { 'first-party': 0, api: 1, 'model-card': 2, aggregator: 3 };
export const UNKNOWN_RANK = 4;
/** The only rank whose newer claims beat older conflicting ones outright: the vendor's own word. */
const RECENCY_RANK = 0;

export interface TruthOptions {
  /** Plausible false values per item (Accu's n). */
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

const DEFAULTS: Required<TruthOptions> = {
  falseValues: 10,
  priorWeight: 5,
  maxIterations: 20,
  tolerance: 1e-4,
  resolveShare: 0.75,
  halfLifeDays: 365,
};

const MIN_ACCURACY = 0.01;
const MAX_ACCURACY = 0.99;
const DAY_MS = 86_400_000;
const EPS = 1e-9;

/** An append-only typed array that doubles when full. */
class Growable<T extends Int32Array | Float64Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (size: number) => T) {
    this.data = make(1024);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const growableInt = () => new Growable((n) => new Int32Array(n));
const growableFloat = () => new Growable((n) => new Float64Array(n));

/**
 * Claims interned to integers. Items, sources and values get dense ids in order of first sight;
 * a value id is local to its item (the same key on two items is two values).
 */
export class ClaimTable {
  readonly itemKeys: string[] = [];
  readonly sourceKeys: string[] = [];
  readonly valueKeys: string[] = [];
  readonly valueItem = growableInt();
  private readonly itemIndex = new Map<string, number>();
  private readonly sourceIndex = new Map<string, number>();
  private readonly valueIndex = new Map<string, number>();
  readonly claimItem = growableInt();
  readonly claimSource = growableInt();
  readonly claimValue = growableInt();
  readonly claimObserved = growableFloat();
  readonly claimConfidence = growableFloat();
  /** 1 when the claim is excluded from voting (an anomaly): listed, never counted. */
  readonly claimExcluded = growableInt();

  get claimCount(): number {
    return this.claimItem.length;
  }

  itemId(key: string): number {
    return intern(this.itemIndex, this.itemKeys, key);
  }

  sourceId(key: string): number {
    return intern(this.sourceIndex, this.sourceKeys, key);
  }

  valueId(item: number, key: string): number {
    const scoped = item + '\u0000' + key;
    let id = this.valueIndex.get(scoped);
    if (id === undefined) {
      id = this.valueKeys.length;
      this.valueKeys.push(key);
      this.valueItem.push(item);
      this.valueIndex.set(scoped, id);
    }
    return id;
  }

  findValue(item: number, key: string): number {
    return this.valueIndex.get(item + '\u0000' + key) ?? -1;
  }

  /** Returns the claim's index. `observedMs` is NaN when unknown. */
  add(item: number, source: number, valueKey: string, observedMs: number, confidence: number, excluded: boolean): number {
    this.claimItem.push(item);
    this.claimSource.push(source);
    this.claimValue.push(this.valueId(item, valueKey));
    this.claimObserved.push(observedMs);
    this.claimConfidence.push(confidence);
    this.claimExcluded.push(excluded ? 1 : 0);
    return this.claimItem.length - 1;
  }
}

function intern(index: Map<string, number>, keys: string[], key: string): number {
  let id = index.get(key);
  if (id === undefined) {
    id = keys.length;
    keys.push(key);
    index.set(key, id);
  }
  return id;
}

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
  votes: Int32Array;
  agreements: Int32Array;
  disagreements: Int32Array;
  iterations: number;
}

/** True when a claim of value `a` supports a winner `w`: the same value, or a coarser one containing it. */
export function compatible(a: number, w: number, parent: Int32Array): boolean {
  for (let v = w; v >= 0; v = parent[v]) if (v === a) return true;
  return false;
}

export function discoverTruth(
  table: ClaimTable,
  priors: SourcePriors,
  coarser: (key: string) => string | null,
  options: TruthOptions = {},
): TruthResult {
  const opt = { ...DEFAULTS, ...options };
  const itemCount = table.itemKeys.length;
  const sourceCount = table.sourceKeys.length;
  const valueCount = table.valueKeys.length;
  const claimCount = table.claimCount;
  const cItem = table.claimItem.view();
  const cSource = table.claimSource.view();
  const cValue = table.claimValue.view();
  const cObserved = table.claimObserved.view();
  const cConfidence = table.claimConfidence.view();
  const cExcluded = table.claimExcluded.view();

  const valueParent = linkCoarserValues(table, coarser);

  // Group claims by item (counting sort keeps input order within an item).
  const itemStart = new Int32Array(itemCount + 1);
  for (let c = 0; c < claimCount; c++) itemStart[cItem[c] + 1]++;
  for (let i = 0; i < itemCount; i++) itemStart[i + 1] += itemStart[i];
  const claimOrder = new Int32Array(claimCount);
  const fill = itemStart.slice(0, itemCount);
  for (let c = 0; c < claimCount; c++) claimOrder[fill[cItem[c]]++] = c;

  // One vote per (item, source): its newest claim, then its most confident one.
  const claimIsVote = new Uint8Array(claimCount);
  const bestOfSource = new Int32Array(sourceCount).fill(-1);
  const recency = new Float64Array(claimCount);
  const voteList = growableInt();
  const voteStart = new Int32Array(itemCount + 1);
  for (let i = 0; i < itemCount; i++) {
    const from = itemStart[i];
    const to = itemStart[i + 1];
    let newest = -Infinity;
    for (let k = from; k < to; k++) {
      const c = claimOrder[k];
      if (cExcluded[c]) continue;
      const s = cSource[c];
      const b = bestOfSource[s];
      if (b < 0 || isBetterClaim(c, b, cObserved, cConfidence)) bestOfSource[s] = c;
      if (cObserved[c] > newest) newest = cObserved[c];
    }
    for (let k = from; k < to; k++) {
      const c = claimOrder[k];
      const s = cSource[c];
      if (bestOfSource[s] !== c) continue;
      claimIsVote[c] = 1;
      voteList.push(c);
      const age = Number.isFinite(newest) && Number.isFinite(cObserved[c]) ? (newest - cObserved[c]) / DAY_MS : 0;
      recency[c] = 1 / (1 + age / opt.halfLifeDays);
    }
    for (let k = from; k < to; k++) bestOfSource[cSource[claimOrder[k]]] = -1;
    voteStart[i + 1] = voteList.length;
  }
  const votes = voteList.view();

  const accuracy = new Float64Array(sourceCount);
  for (let s = 0; s < sourceCount; s++) accuracy[s] = clampAccuracy(priors.prior[s]);
  const tau = new Float64Array(sourceCount);
  const score = new Float64Array(valueCount);
  const support = new Float64Array(valueCount);
  const posterior = new Float64Array(valueCount);
  const subtree = new Float64Array(valueCount);
  const credit = new Float64Array(sourceCount);
  const voteCount = new Int32Array(sourceCount);
  for (let v = 0; v < votes.length; v++) voteCount[cSource[votes[v]]]++;

  // Distinct voted values of each item: valueList[valueStart[i] .. valueStart[i+1]).
  const valueStart = new Int32Array(itemCount + 1);
  const valueList = growableInt();
  const listed = new Int32Array(valueCount).fill(-1);
  for (let i = 0; i < itemCount; i++) {
    for (let k = voteStart[i]; k < voteStart[i + 1]; k++) {
      const v = cValue[votes[k]];
      if (listed[v] === i) continue;
      listed[v] = i;
      valueList.push(v);
    }
    valueStart[i + 1] = valueList.length;
  }
  const values = valueList.view();

  const scoreItem = (i: number): void => {
    const vFrom = valueStart[i];
    const vTo = valueStart[i + 1];
    for (let k = vFrom; k < vTo; k++) {
      score[values[k]] = 0;
      subtree[values[k]] = 0;
    }
    for (let k = voteStart[i]; k < voteStart[i + 1]; k++) {
      const c = votes[k];
      score[cValue[c]] += tau[cSource[c]] * cConfidence[c] * recency[c];
    }
    // support(v) = its own votes + votes for coarser values that contain it
    let max = -Infinity;
    for (let k = vFrom; k < vTo; k++) {
      const v = values[k];
      let s = score[v];
      for (let p = valueParent[v]; p >= 0; p = valueParent[p]) s += score[p];
      support[v] = s;
      if (s > max) max = s;
    }
    // softmax over the stated values plus the unseen false values (each with support 0)
    let total = Math.max(0, opt.falseValues + 1 - (vTo - vFrom)) * Math.exp(-max);
    for (let k = vFrom; k < vTo; k++) total += Math.exp(support[values[k]] - max);
    for (let k = vFrom; k < vTo; k++) {
      const v = values[k];
      posterior[v] = Math.exp(support[v] - max) / total;
      // a coarser value is credited with the posterior of every finer value it contains
      for (let p = v; p >= 0; p = valueParent[p]) subtree[p] += posterior[v];
    }
  };

  let iterations = 0;
  for (; iterations < opt.maxIterations; iterations++) {
    for (let s = 0; s < sourceCount; s++) tau[s] = Math.log((opt.falseValues * accuracy[s]) / (1 - accuracy[s]));
    credit.fill(0);
    for (let i = 0; i < itemCount; i++) {
      scoreItem(i);
      for (let k = voteStart[i]; k < voteStart[i + 1]; k++) {
        const c = votes[k];
        credit[cSource[c]] += subtree[cValue[c]];
      }
    }
    let moved = 0;
    for (let s = 0; s < sourceCount; s++) {
      const prior = clampAccuracy(priors.prior[s]);
      const next = clampAccuracy((opt.priorWeight * prior + credit[s]) / (opt.priorWeight + voteCount[s]));
      moved = Math.max(moved, Math.abs(next - accuracy[s]));
      accuracy[s] = next;
    }
    if (moved < opt.tolerance) {
      iterations++;
      break;
    }
  }

  // Final decision with the learned accuracies.
  for (let s = 0; s < sourceCount; s++) tau[s] = Math.log((opt.falseValues * accuracy[s]) / (1 - accuracy[s]));
  const claimWeight = new Float64Array(claimCount);
  const winner = new Int32Array(itemCount).fill(-1);
  const status = new Uint8Array(itemCount);
  const rule = new Uint8Array(itemCount);
  const confidence = new Float64Array(itemCount);
  const share = new Float64Array(itemCount);
  const agreements = new Int32Array(sourceCount);
  const disagreements = new Int32Array(sourceCount);
  const ctx: DecideContext = {
    votes, values, cValue, cSource, cObserved, claimWeight, valueParent, posterior, support, accuracy,
    rank: priors.rank, valueKeys: table.valueKeys, resolveShare: opt.resolveShare, falseValues: opt.falseValues,
    from: 0, to: 0, vFrom: 0, vTo: 0,
  };
  for (let i = 0; i < itemCount; i++) {
    const from = voteStart[i];
    const to = voteStart[i + 1];
    if (from === to) continue; // only excluded claims: no fact
    scoreItem(i);
    for (let k = from; k < to; k++) {
      const c = votes[k];
      claimWeight[c] = tau[cSource[c]] * cConfidence[c] * recency[c];
    }
    ctx.from = from;
    ctx.to = to;
    ctx.vFrom = valueStart[i];
    ctx.vTo = valueStart[i + 1];
    const d = decideItem(ctx);
    winner[i] = d.winner;
    status[i] = d.status;
    rule[i] = d.rule;
    confidence[i] = d.confidence;
    share[i] = d.share;
    for (let k = from; k < to; k++) {
      const c = votes[k];
      if (compatible(cValue[c], d.winner, valueParent)) agreements[cSource[c]]++;
      else disagreements[cSource[c]]++;
    }
  }

  return {
    itemStart, claimOrder, claimIsVote, claimWeight, winner, status, rule, confidence, share, valueParent,
    accuracy, votes: voteCount, agreements, disagreements, iterations,
  };
}

function isBetterClaim(c: number, b: number, observed: Float64Array, conf: Float64Array): boolean {
  const oc = Number.isNaN(observed[c]) ? -Infinity : observed[c];
  const ob = Number.isNaN(observed[b]) ? -Infinity : observed[b];
  if (oc !== ob) return oc > ob;
  return conf[c] > conf[b];
}

function clampAccuracy(a: number): number {
  return Math.min(MAX_ACCURACY, Math.max(MIN_ACCURACY, Number.isFinite(a) ? a : 0.5));
}

function linkCoarserValues(table: ClaimTable, coarser: (key: string) => string | null): Int32Array {
  const parent = new Int32Array(table.valueKeys.length).fill(-1);
  const items = table.valueItem.view();
  for (let v = 0; v < parent.length; v++) {
    // the nearest coarser key that some claim on the same item actually states
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

/** Arrays for the decision plus the current item's vote range and distinct-value range. */
interface DecideContext {
  votes: Int32Array;
  values: Int32Array;
  cValue: Int32Array;
  cSource: Int32Array;
  cObserved: Float64Array;
  claimWeight: Float64Array;
  valueParent: Int32Array;
  posterior: Float64Array;
  support: Float64Array;
  accuracy: Float64Array;
  rank: Int32Array;
  valueKeys: string[];
  resolveShare: number;
  falseValues: number;
  from: number;
  to: number;
  vFrom: number;
  vTo: number;
}

interface Decision {
  winner: number;
  status: number;
  rule: number;
  confidence: number;
  share: number;
}

const ANY_RANK = Infinity;

/**
 * The decision rules, in order:
 * 1. unanimous: every vote is compatible with one value -> agreed.
 * 2. source-kind: the best-ranked kind present agrees internally and some lower-ranked source
 *    disagrees -> that kind's value, resolved (first-party > api > model-card > aggregator).
 * 3. recency: first-party sources disagree among themselves and one claim is strictly newer than
 *    every first-party claim against it -> the newest, resolved (the vendor changed its figure).
 * 4. weighted-vote: among values the best-ranked kind states, the winner holds >= resolveShare of
 *    their posterior -> resolved; otherwise best-guess -> disputed (the value is the most likely one).
 */
function decideItem(ctx: DecideContext): Decision {
  const { posterior } = ctx;
  let topRank = Infinity;
  for (let k = ctx.from; k < ctx.to; k++) topRank = Math.min(topRank, ctx.rank[ctx.cSource[ctx.votes[k]]]);

  const all = bestValue(ctx, ANY_RANK);
  if (allCompatible(ctx, all, ANY_RANK)) {
    return { winner: all, status: STATUS_AGREED, rule: RULE_UNANIMOUS, confidence: posterior[all], share: 1 };
  }

  const top = bestValue(ctx, topRank);
  if (anyBelowRank(ctx, topRank) && allCompatible(ctx, top, topRank)) {
    return {
      winner: top,
      status: STATUS_RESOLVED,
      rule: RULE_SOURCE_KIND,
      // sure as the top kind's own votes make it, less when the lower kinds disagree
      confidence: tierPosterior(ctx, topRank) * (0.5 + 0.5 * lowerAgreement(ctx, topRank, top)),
      share: candidateShare(ctx, top, topRank),
    };
  }

  if (topRank === RECENCY_RANK) {
    const newest = newestVote(ctx, topRank);
    if (newest >= 0 && newerThanEveryDissent(ctx, topRank, newest)) {
      const v = ctx.cValue[newest];
      return {
        winner: v,
        status: STATUS_RESOLVED,
        rule: RULE_RECENCY,
        confidence: ctx.accuracy[ctx.cSource[newest]] * (0.5 + 0.5 * lowerAgreement(ctx, topRank, v)),
        share: candidateShare(ctx, v, topRank),
      };
    }
  }

  const s = candidateShare(ctx, top, topRank);
  const resolved = s >= ctx.resolveShare;
  return {
    winner: top,
    status: resolved ? STATUS_RESOLVED : STATUS_DISPUTED,
    rule: resolved ? RULE_WEIGHTED_VOTE : RULE_BEST_GUESS,
    confidence: posterior[top],
    share: s,
  };
}

/**
 * The value with the highest support among the values some vote of rank `r` states or refines
 * (ANY_RANK: any vote). Ties: the more precise value, then the smaller key.
 */
function bestValue(ctx: DecideContext, r: number): number {
  const { values, support, valueParent, valueKeys } = ctx;
  let best = -1;
  for (let k = ctx.vFrom; k < ctx.vTo; k++) {
    const v = values[k];
    if (r !== ANY_RANK && !supportedByRank(ctx, v, r)) continue;
    if (best < 0) {
      best = v;
      continue;
    }
    const diff = support[v] - support[best];
    if (diff > EPS) best = v;
    else if (diff > -EPS) {
      if (compatible(best, v, valueParent)) best = v; // v refines best
      else if (!compatible(v, best, valueParent) && valueKeys[v] < valueKeys[best]) best = v;
    }
  }
  return best;
}

/** Whether some vote of rank r states v or a coarser value containing v. */
function supportedByRank(ctx: DecideContext, v: number, r: number): boolean {
  for (let k = ctx.from; k < ctx.to; k++) {
    const c = ctx.votes[k];
    if (ctx.rank[ctx.cSource[c]] === r && compatible(ctx.cValue[c], v, ctx.valueParent)) return true;
  }
  return false;
}

/** Whether every vote of rank <= maxRank supports w. */
function allCompatible(ctx: DecideContext, w: number, maxRank: number): boolean {
  for (let k = ctx.from; k < ctx.to; k++) {
    const c = ctx.votes[k];
    if (ctx.rank[ctx.cSource[c]] > maxRank) continue;
    if (!compatible(ctx.cValue[c], w, ctx.valueParent)) return false;
  }
  return true;
}

function anyBelowRank(ctx: DecideContext, r: number): boolean {
  for (let k = ctx.from; k < ctx.to; k++) if (ctx.rank[ctx.cSource[ctx.votes[k]]] > r) return true;
  return false;
}

/** Share of the lower-ranked votes' weight that supports w (1 when there are none). */
function lowerAgreement(ctx: DecideContext, r: number, w: number): number {
  let agree = 0;
  let total = 0;
  for (let k = ctx.from; k < ctx.to; k++) {
    const c = ctx.votes[k];
    if (ctx.rank[ctx.cSource[c]] <= r) continue;
    const weight = Math.max(ctx.claimWeight[c], EPS);
    total += weight;
    if (compatible(ctx.cValue[c], w, ctx.valueParent)) agree += weight;
  }
  return total === 0 ? 1 : agree / total;
}

/** Posterior of the value all rank-r votes agree on, against the unseen alternatives only. */
function tierPosterior(ctx: DecideContext, r: number): number {
  let sum = 0;
  for (let k = ctx.from; k < ctx.to; k++) {
    const c = ctx.votes[k];
    if (ctx.rank[ctx.cSource[c]] === r) sum += ctx.claimWeight[c];
  }
  const e = Math.exp(Math.min(sum, 700));
  return e / (e + ctx.falseValues);
}

/** w's share of the posterior among the values votes of rank r state (unseen mass ignored). */
function candidateShare(ctx: DecideContext, w: number, r: number): number {
  let total = 0;
  for (let k = ctx.vFrom; k < ctx.vTo; k++) {
    const v = ctx.values[k];
    if (supportedByRank(ctx, v, r)) total += ctx.posterior[v];
  }
  return total > 0 ? ctx.posterior[w] / total : 0;
}

/** The newest rank-r vote with a known time, or -1. */
function newestVote(ctx: DecideContext, r: number): number {
  let best = -1;
  for (let k = ctx.from; k < ctx.to; k++) {
    const c = ctx.votes[k];
    if (ctx.rank[ctx.cSource[c]] !== r || !Number.isFinite(ctx.cObserved[c])) continue;
    if (best < 0 || ctx.cObserved[c] > ctx.cObserved[best]) best = c;
  }
  return best;
}

/** Whether vote n is strictly newer than every rank-r vote that contradicts it. */
function newerThanEveryDissent(ctx: DecideContext, r: number, n: number): boolean {
  const v = ctx.cValue[n];
  for (let k = ctx.from; k < ctx.to; k++) {
    const c = ctx.votes[k];
    if (ctx.rank[ctx.cSource[c]] !== r || compatible(ctx.cValue[c], v, ctx.valueParent)) continue;
    if (!(ctx.cObserved[c] < ctx.cObserved[n])) return false;
  }
  return true;
}
