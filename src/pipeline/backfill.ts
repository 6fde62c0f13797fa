import type { Fact } from '../schema/fact.ts';
import type { Source } from '../schema/source.ts';
import { reconcile } from '../reconcile/index.ts';
import { diffBackfill } from '../diff/backfill.ts';
import { planQueue, type QueuePlan } from '../diff/diff.ts';
import { keyOf, type Ledger } from '../store/ledger.ts';
import type { SourceReport } from './sync.ts';

export interface QueueCounts {
  queued: number;
  refreshed: number;
  superseded: number;
}

/** Brings the queue in line with a plan; backfill changes are flagged so they are planned apart. */
export function applyQueuePlan(ledger: Ledger, plan: QueuePlan, at: string, options: { backfill?: boolean } = {}): QueueCounts {
  for (const id of plan.supersede) ledger.setChangeStatus(id, 'superseded', { reviewer: null, at, note: 'replaced by newer evidence' });
  for (const { id, proposal } of plan.refresh) ledger.refreshPendingChange(id, proposal);
  for (const p of plan.insert) {
    const id = ledger.insertChange(p, at);
    if (options.backfill) ledger.markBackfill(id);
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
  const currentKeys = new Set(currentFacts.map(keyOf));
  for (const report of reports) {
    if (report.outcome !== 'backfilled' || !report.snapshot) continue;
    const capture = ledger.captureOfSnapshot(report.source_id, report.snapshot);
    if (!capture) continue;
    const { facts } = reconcile(ledger.claimsAsOf(capture.observed_at), { sources });
    const { proposals, skipped } = diffBackfill({
      factsAt: facts,
      inForce: ledger.publishedAt(capture.observed_at),
      currentKeys,
      sourceId: report.source_id,
      at: capture.observed_at,
    });
    const backfills = ledger.backfillChangeIds();
    const sameDate = ledger.changes().filter((c) => backfills.has(c.id) && c.observed_at === capture.observed_at);
    const done = applyQueuePlan(ledger, planQueue(proposals, sameDate), at, { backfill: true });
    counts.queued += done.queued;
    counts.refreshed += done.refreshed;
    counts.superseded += done.superseded;
    if (skipped > 0) report.notes.push(`backfill: ${skipped} figure(s) seen only in this older capture were not proposed (nothing later bounds them)`);
  }
  return counts;
}
