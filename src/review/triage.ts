/**
 * Triage: which pending changes need a human first. Each change falls in one group, in this
 * order of precedence: a disputed figure, a large price move, a removal, a new model's figure,
 * then routine. Pure, so the CLI, the desk and the review policies group the queue the same way.
 */
import type { Change } from '../schema/change.ts';
import { isPriceField } from '../schema/fields.ts';

export const TRIAGE_GROUPS = ['disputed', 'large-move', 'removal', 'new-model', 'routine'] as const;
export type TriageGroup = (typeof TRIAGE_GROUPS)[number];

export const GROUP_TITLES: Record<TriageGroup, string> = {
  disputed: 'disputed figures',
  'large-move': 'large price moves',
  removal: 'removals',
  'new-model': 'new models',
  routine: 'routine',
};

/** A price move beyond this, in percent either way, needs a human (default of `changes --large-move`). */
export const DEFAULT_LARGE_MOVE_PCT = 10;

export interface TriageContext {
  /** Models with at least one approved value; a change to any other model is a new model's. */
  approvedModels: ReadonlySet<string>;
  largeMovePct?: number;
}

/** Relative move of a changed price, in percent (+25 for 2 -> 2.5); null for anything else. */
export function priceMovePct(change: Pick<Change, 'field' | 'kind' | 'old_value' | 'new_value'>): number | null {
  const { old_value: before, new_value: after } = change;
  if (!isPriceField(change.field) || change.kind !== 'changed') return null;
  if (typeof before !== 'number' || typeof after !== 'number' || before === 0) return null;
  // To 10 significant digits, as prices are stated: $1.75 -> $1.925 is 10%, not 10.000000000000002%,
  // or one move of exactly 10% was large and another (0.40 -> 0.44) routine.
  return Number((((after - before) / before) * 100).toPrecision(10));
}

export function triageGroup(change: Change, ctx: TriageContext): TriageGroup {
  if (change.fact?.status === 'disputed') return 'disputed';
  const move = priceMovePct(change);
  if (move !== null && Math.abs(move) > (ctx.largeMovePct ?? DEFAULT_LARGE_MOVE_PCT)) return 'large-move';
  if (change.kind === 'removed') return 'removal';
  if (!ctx.approvedModels.has(change.model)) return 'new-model';
  return 'routine';
}

export type TriagedChange = Change & { group: TriageGroup };

export interface Triage {
  changes: TriagedChange[];
  counts: Record<TriageGroup, number>;
}

/** The queue in the order a human should read it: by group, then model, then id. */
export function triage(changes: Change[], ctx: TriageContext): Triage {
  const counts = Object.fromEntries(TRIAGE_GROUPS.map((g) => [g, 0])) as Record<TriageGroup, number>;
  const rank = (g: TriageGroup) => TRIAGE_GROUPS.indexOf(g);
  const triaged = changes.map((c) => ({ ...c, group: triageGroup(c, ctx) }));
  for (const c of triaged) counts[c.group]++;
  triaged.sort((a, b) => rank(a.group) - rank(b.group) || a.model.localeCompare(b.model) || a.id - b.id);
  return { changes: triaged, counts };
}

export function isTriageGroup(s: string): s is TriageGroup {
  return (TRIAGE_GROUPS as readonly string[]).includes(s);
}
