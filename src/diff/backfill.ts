import type { ProposedChange } from '../schema/change.ts';
import type { Fact } from '../schema/fact.ts';
import type { PublishedValue } from '../schema/history.ts';
import { keyOf } from '../schema/key.ts';
import { diffFacts } from './diff.ts';

export interface BackfillInput {
  /** The facts reconciled from the claims every source stood behind at `at`. */
  factsAt: Fact[];
  /** The approved values in force at `at`. */
  inForce: Array<Pick<PublishedValue, 'model' | 'field' | 'condition' | 'value'>>;
  /** Keys the current facts hold: a backfill only fills in the past of a figure that still exists. */
  currentKeys: Set<string>;
  /** The source whose older capture was just recorded: only keys it speaks to are proposed. */
  sourceId: string;
  at: string;
}

export interface BackfillOutput {
  proposals: ProposedChange[];
  /** Keys seen only in the older capture: with no later value to bound them, they are left out. */
  skipped: number;
}

/**
 * Compares what the sources said at an older date with the approved timeline at that date. A
 * proposal is keyed to that date, so approving it inserts an interval that runs until the next
 * approved value starts.
 */
export function diffBackfill(input: BackfillInput): BackfillOutput {
  const spoken = input.factsAt.filter((f) => f.claims.some((c) => c.source_id === input.sourceId));
  const bounded = spoken.filter((f) => input.currentKeys.has(keyOf(f)));
  // The ordinary differ against the timeline at that date; the timeline's other keys are not
  // absences (this capture speaks only for its own figures), so nothing is proposed as removed.
  const { proposals } = diffFacts({
    facts: bounded,
    published: input.inForce,
    absences: new Map(),
    removalAfterSyncs: Number.POSITIVE_INFINITY,
    now: input.at,
  });
  return { proposals: proposals.map((p) => ({ ...p, observed_at: input.at })), skipped: spoken.length - bounded.length };
}
