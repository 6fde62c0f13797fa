import type { Fact } from '../schema/fact.ts';
import type { Source } from '../schema/source.ts';
import { reconcile } from '../reconcile/index.ts';
import { diffBackfill } from '../diff/backfill.ts';
import { planQueue, type QueuePlan } from '../diff/diff.ts';
import { type Ledger } from '../store/ledger.ts';
import { keyOf } from '../schema/key.ts';
import type { SourceReport } from '../schema/sync.ts';

export interface QueueCounts {
  queued: number;
  refreshed: number;
  superseded: number;
}

/**
 * Brings the queue in line with a plan; backfill changes are flagged so they are planned apart.
 * The others propose the facts the facts table now holds, so they follow those rows (see
 * ChangeStore); a backfill's fact is of an older date, so it keeps its own copy.
 */
export function applyQueuePlan(ledger: Ledger, plan: QueuePlan, at: string, options: { backfill?: boolean } = {}): QueueCounts {
  const follows = !options.backfill;
  for (const id of plan.supersede) ledger.changes.setStatus(id, 'superseded', { reviewer: null, at, note: 'replaced by newer evidence' });
  for (const { id, proposal } of plan.refresh) ledger.changes.refreshPending(id, proposal, follows);
  for (const p of plan.insert) {
    const id = ledger.changes.insert(p, at, follows);
    if (options.backfill) ledger.changes.markBackfill(id);
  }
  return { queued: plan.insert.length, refreshed: plan.refresh.length, superseded: plan.supersede.length };
}

/**
 * For each source that just recorded a capture older than its basis: reconcile what every source
 * said as of that capture's date and queue the differences from the approved timeline at that
 * date, keyed to it. Approving them inserts history intervals in the past.
 */
export function queueBackfills(ledger: Ledger, sources: Source[], reports: SourceReport[], currentFacts: Fact[], at: string): QueueCounts {
  const counts: QueueCounts = { queued: 0, refreshed: 0, superseded: 0 };
  if (!reports.some((r) => r.outcome === 'backfilled')) return counts;
  const currentKeys = new Set(currentFacts.map(keyOf));
  for (const report of reports) {
    if (report.outcome !== 'backfilled' || !report.snapshot) continue;
    const capture = ledger.captures.ofSnapshot(report.source_id, report.snapshot);
    if (!capture) continue;
    const { facts } = reconcile(ledger.claims.asOf(capture.observed_at), { sources });
    const { proposals, skipped } = diffBackfill({
      factsAt: facts,
      inForce: ledger.history.publishedAt(capture.observed_at),
      currentKeys,
      sourceId: report.source_id,
      at: capture.observed_at,
    });
    const backfills = ledger.changes.backfillIds();
    const sameDate = ledger.changes.list().filter((c) => backfills.has(c.id) && c.observed_at === capture.observed_at);
    const done = applyQueuePlan(ledger, planQueue(proposals, sameDate), at, { backfill: true });
    counts.queued += done.queued;
    counts.refreshed += done.refreshed;
    counts.superseded += done.superseded;
    if (skipped > 0) report.notes.push(`backfill: ${skipped} figure(s) seen only in this older capture were not proposed (nothing later bounds them)`);
  }
  return counts;
}
