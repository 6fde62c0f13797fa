import { createHash } from 'node:crypto';
import type { Claim } from '../schema/claim.ts';
import type { Override } from '../schema/fact.ts';
import { keyOf } from '../schema/key.ts';
import { condition, joinConditions, routeOf } from '../schema/condition.ts';
import type { AliasRegistry } from '../normalize/aliases.ts';
import type { ModelLink } from '../normalize/links.ts';
import type { LearnedWeights } from '../reconcile/index.ts';
import type { Source } from '../schema/source.ts';
import type { Ledger } from '../store/ledger.ts';

/**
 * What the last reconciliation read, part by part, so that the next one can tell which
 * (model, field, condition) keys it must reconcile and diff again and which keep their facts.
 */
export interface ReconciledBase {
  /** Inputs that weigh in on every key: source priors, the alias registry, the model links, the removal threshold. */
  globals: string;
  /** Each source's basis capture id. */
  basis: Record<string, number | null>;
  /** Each pinned key's override, as JSON. */
  overrides: Record<string, string>;
  /** The last audit entry it had seen. */
  audit: number;
  learned: LearnedWeights;
}

const BASE_META = 'reconciled_base';

export function readBase(ledger: Ledger): ReconciledBase | null {
  const text = ledger.runs.meta(BASE_META);
  return text ? (JSON.parse(text) as ReconciledBase) : null;
}

export function writeBase(ledger: Ledger, base: ReconciledBase): void {
  ledger.runs.setMeta(BASE_META, JSON.stringify(base));
}

/** The run's settings that weigh on every key: source priors, the alias registry, the removal threshold. */
export function settingsOf(sources: readonly Source[], registry: AliasRegistry, removalAfterSyncs: number): string {
  return JSON.stringify([
    sources.map(({ id, kind, trust }) => [id, kind, trust]).sort(),
    [[...registry.byAlias].sort(), [...registry.ids].sort(), [...registry.distinct].sort()],
    removalAfterSyncs,
  ]);
}

export function globalsOf(sources: readonly Source[], registry: AliasRegistry, links: ReadonlyMap<string, ModelLink>, removalAfterSyncs: number): string {
  return createHash('sha256')
    .update(settingsOf(sources, registry, removalAfterSyncs))
    .update(JSON.stringify([...links.values()].sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0))))
    .digest('hex');
}

export function overridesByKey(overrides: readonly Override[]): Record<string, string> {
  return Object.fromEntries(overrides.map((o) => [keyOf(o), JSON.stringify(o)]));
}

/** Moves claims onto the models their ids are linked to, keeping the id each came with and why. */
export function applyLinks(claims: Claim[], links: ReadonlyMap<string, ModelLink>): Claim[] {
  if (links.size === 0) return claims;
  return claims.map((c) => {
    const link = links.get(c.model);
    if (!link) return c;
    const route = link.route && !routeOf(c.condition) ? joinConditions(c.condition, condition.route(link.route)) : c.condition;
    return { ...c, model: link.model, condition: route, linked_from: { model: c.model, evidence: link.evidence, detail: link.detail } };
  });
}

/** Audit actions whose keys are found elsewhere: a pin or a lift shows in the overrides themselves. */
const SEEN_IN_OVERRIDES = new Set(['override', 'lift-override']);

/**
 * The keys whose own inputs changed since `base`: every key a source's old or new basis capture
 * claims when that basis moved (each of its facts cites the capture, and its claims' age weighs the
 * votes on their keys), every key whose override changed, and every key a review decision touched.
 * Null when something happened that it cannot place on keys (an alias decision, an unknown action).
 */
export function changedKeys(ledger: Ledger, base: ReconciledBase, claims: readonly Claim[], links: ReadonlyMap<string, ModelLink>): Set<string> | null {
  const keys = new Set<string>();
  const basis = ledger.sources.basisCaptures();
  const moved = new Set<string>();
  for (const id of new Set([...basis.keys(), ...Object.keys(base.basis)])) {
    const before = base.basis[id] ?? null;
    if ((basis.get(id) ?? null) === before) continue;
    moved.add(id);
    if (before !== null) for (const c of applyLinks(ledger.claims.ofCapture(before), links)) keys.add(keyOf(c));
  }
  if (moved.size > 0) for (const c of claims) if (moved.has(c.source_id)) keys.add(keyOf(c));

  const overrides = overridesByKey(ledger.overrides.active());
  for (const key of new Set([...Object.keys(overrides), ...Object.keys(base.overrides)])) {
    if (overrides[key] !== base.overrides[key]) keys.add(key);
  }

  for (const entry of ledger.audit.since(base.audit)) {
    if (SEEN_IN_OVERRIDES.has(entry.action)) continue;
    if (entry.action !== 'approve' && entry.action !== 'reject') return null;
    const { model, field, condition: cond } = entry.detail as { model: string; field: string; condition: string };
    keys.add(keyOf({ model, field, condition: cond }));
  }
  return keys;
}
