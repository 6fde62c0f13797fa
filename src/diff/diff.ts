import { hash } from 'node:crypto';
import type { ClaimValue } from '../schema/claim.ts';
import type { Change, ProposedChange } from '../schema/change.ts';
import type { Fact } from '../schema/fact.ts';
import type { PublishedValue } from '../schema/history.ts';
import { keyOf, type FieldKey } from '../schema/key.ts';

export interface DiffInput {
  facts: Fact[];
  published: Array<Pick<PublishedValue, 'model' | 'field' | 'condition' | 'value'> & { valid_from?: string }>;
  /** How many consecutive successful syncs each published key has been missing so far. */
  absences: Map<string, number>;
  /**
   * Whether any source's basis capture changed since the last diff. Re-reading the same
   * snapshots is not new evidence that a key is gone, so absences only count up on new captures.
   */
  newEvidence?: boolean;
  /** A published key must be missing this many consecutive syncs before "no longer seen" is proposed. */
  removalAfterSyncs: number;
  /**
   * Whether a source still states a key that has no fact: its claims are anomalies (a $0 price) or
   * contradict each other. Such a key is not gone, so its approved value is not proposed for removal.
   */
  stated?: (key: string) => boolean;
  /**
   * Whether a reviewer declared a model another name of a model (aliases.yaml): its claims now
   * speak for that model, so its published keys are gone for a known reason and need no wait.
   */
  renamed?: (model: string) => boolean;
  now: string;
}

export interface DiffOutput {
  proposals: ProposedChange[];
  absences: Map<string, number>;
}

export function sameValue(a: ClaimValue | null, b: ClaimValue | null): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/** A fingerprint of what supports a value: the value and the snapshots it was read from. */
export function evidenceKey(value: ClaimValue | null, fact: Fact | null): string {
  const snapshots = fact ? [...new Set(fact.claims.filter((c) => c.supports).map((c) => c.snapshot_hash))].sort() : [];
  return hash('sha256', JSON.stringify([value, snapshots]), 'hex').slice(0, 16);
}

function latestSupport(fact: Fact, fallback: string): string {
  const dates = fact.claims.filter((c) => c.supports).map((c) => c.observed_at);
  return dates.length ? dates.reduce((a, b) => (a > b ? a : b)) : fallback;
}

/**
 * When a new value starts to hold: when its newest evidence was observed, but never before the
 * approved value it replaces started (a value can win later on old evidence, and history must not
 * be rewritten backwards), and for a reviewer's pin, from the moment it was pinned.
 */
function validFrom(fact: Fact, replacedFrom: string | undefined, now: string): string {
  if (fact.status === 'overridden') return now;
  const observed = latestSupport(fact, now);
  return replacedFrom && replacedFrom > observed ? replacedFrom : observed;
}

/**
 * Compares reconciled facts with the approved dataset, field by field. Facts are the
 * reconciliation of every source's last good capture, so a failed fetch or a drifting page
 * cannot make a key disappear; a key that does disappear must stay gone for
 * `removalAfterSyncs` syncs before it is proposed as no longer seen, unless its model was renamed.
 */
export function diffFacts(input: DiffInput): DiffOutput {
  const proposals: ProposedChange[] = [];
  const published = new Map(input.published.map((p) => [keyOf(p), p]));
  const seen = new Set<string>();

  for (const fact of input.facts) {
    const key = keyOf(fact);
    seen.add(key);
    const old = published.get(key);
    if (old && sameValue(old.value, fact.value)) continue;
    proposals.push({
      model: fact.model,
      field: fact.field,
      condition: fact.condition,
      kind: old ? 'changed' : 'added',
      old_value: old ? old.value : null,
      new_value: fact.value,
      observed_at: validFrom(fact, old?.valid_from, input.now),
      evidence_key: evidenceKey(fact.value, fact),
      fact,
    });
  }

  const absences = new Map<string, number>();
  for (const [key, old] of published) {
    if (seen.has(key) || input.stated?.(key)) continue;
    const counted = input.absences.get(key) ?? 0;
    const syncs = counted + (input.newEvidence === false && counted > 0 ? 0 : 1);
    absences.set(key, syncs);
    if (syncs < input.removalAfterSyncs && !input.renamed?.(old.model)) continue;
    proposals.push({
      model: old.model,
      field: old.field,
      condition: old.condition,
      kind: 'removed',
      old_value: old.value,
      new_value: null,
      observed_at: input.now,
      evidence_key: evidenceKey(null, null),
      fact: null,
    });
  }
  return { proposals: inQueueOrder(proposals), absences };
}

export interface QueuePlan {
  insert: ProposedChange[];
  refresh: Array<{ id: number; proposal: ProposedChange }>;
  supersede: number[];
}

/**
 * Decides how new proposals meet the queue: the same proposal already pending is refreshed
 * in place when its evidence moved (reviewers keep their place) and left alone when nothing did,
 * a different one supersedes it, and a proposal a reviewer already rejected comes back only when
 * its evidence changed.
 */
export function planQueue(proposals: ProposedChange[], existing: Change[]): QueuePlan {
  const pending = new Map<string, Change>();
  const rejected = new Set<string>();
  for (const c of existing) {
    if (c.status === 'pending') pending.set(keyOf(c), c);
    if (c.status === 'rejected') rejected.add(JSON.stringify([keyOf(c), c.new_value, c.evidence_key]));
  }
  const plan: QueuePlan = { insert: [], refresh: [], supersede: [] };
  const proposed = new Set<string>();
  for (const p of proposals) {
    const key = keyOf(p);
    proposed.add(key);
    const current = pending.get(key);
    if (current && current.kind === p.kind && sameValue(current.new_value, p.new_value)) {
      if (!samePending(current, p)) plan.refresh.push({ id: current.id, proposal: p });
      continue;
    }
    if (current) plan.supersede.push(current.id);
    if (rejected.size > 0 && rejected.has(JSON.stringify([key, p.new_value, p.evidence_key]))) continue;
    plan.insert.push(p);
  }
  for (const [key, c] of pending) if (!proposed.has(key)) plan.supersede.push(c.id);
  return plan;
}

/**
 * Whether a pending change already says all a proposal for it says. A removal's date and a pin's
 * are the moment they were first proposed (the diff stamps them with its own clock), so a later
 * sync that proposes them again keeps that date instead of moving it forward.
 */
function samePending(current: Change, p: ProposedChange): boolean {
  const stampedNow = p.kind === 'removed' || p.fact?.status === 'overridden';
  return (
    current.evidence_key === p.evidence_key &&
    (stampedNow || current.observed_at === p.observed_at) &&
    JSON.stringify(current.old_value) === JSON.stringify(p.old_value) &&
    (current.fact === p.fact || JSON.stringify(current.fact) === JSON.stringify(p.fact))
  );
}

/**
 * The order changes are queued in, and so their ids: keys compared as the JSON text
 * `["model","field","condition"]`, the ledger's first key encoding. Kept so that change ids, and
 * the history and exports that cite them, stay what they were for the same inputs. Each text is
 * built once, not at every comparison: sorting a first import's 70k proposals took 0.7-1.0 s.
 */
function inQueueOrder<T extends FieldKey>(keys: T[]): T[] {
  const text = new Map(keys.map((k) => [k, JSON.stringify([k.model, k.field, k.condition])]));
  return keys.sort((a, b) => text.get(a)!.localeCompare(text.get(b)!));
}
