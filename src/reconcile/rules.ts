/**
 * The decision rules that turn an item's scored votes into a value, a status and a named rule.
 * Every rule is one a reviewer can check by reading the claims (see decideItem).
 */
import { compatible } from './table.ts';

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

const EPS = 1e-9;

/** Arrays for the decision plus the current item's vote range and distinct-value range. */
export interface DecideContext {
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

export interface Decision {
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
export function decideItem(ctx: DecideContext): Decision {
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
