import { userInfo } from 'node:os';
import type { Change } from '../schema/change.ts';
import type { Source } from '../schema/source.ts';
import { FIELDS } from '../schema/fields.ts';
import type { Ledger } from '../store/ledger.ts';
import { inputError } from '../errors.ts';
import type { JournalEntry } from '../schema/journal.ts';
import type { Journal } from '../store/journal.ts';

/** Who is reviewing: --reviewer, then $MODEL_LEDGER_REVIEWER, then the OS user. */
export function resolveReviewer(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.MODEL_LEDGER_REVIEWER) return process.env.MODEL_LEDGER_REVIEWER;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

const UNITS: Record<string, string | null> = { tokens: 'tokens', usd_per_mtok: 'USD/1M tokens', count: 'parameters' };

/**
 * The changes to decide, each pending: named by id and read here, or given as the caller read them
 * in the transaction that decides them (a reviewer may decide tens of thousands at once).
 */
function pendingOnly(ledger: Ledger, chosen: ReadonlyArray<number | Change>): Change[] {
  // One change named twice is decided once: read before any is decided, both copies would pass as pending.
  const seen = new Set<number>();
  return chosen.flatMap((c) => {
    const change = typeof c === 'number' ? ledger.changes.get(c) : c;
    if (!change) throw inputError(`no change with id ${c as number}`);
    if (change.status !== 'pending') throw inputError(`change ${change.id} is ${change.status}, not pending`);
    if (seen.has(change.id)) return [];
    seen.add(change.id);
    return [change];
  });
}

/** Records a decision on a pending change and returns the change as the ledger now holds it, without reading it back. */
function decide(ledger: Ledger, change: Change, status: 'approved' | 'rejected', review: { reviewer: string; at: string; note: string | null }): Change {
  ledger.changes.setStatus(change.id, status, review);
  return { ...change, status, reviewer: review.reviewer, reviewed_at: review.at, note: review.note };
}

/**
 * Approving publishes the change: it lands in the key's timeline at the date its evidence was
 * observed, and the review is written to the audit log, all or nothing.
 */
export function approveChanges(
  ledger: Ledger,
  ids: ReadonlyArray<number | Change>,
  review: { reviewer: string; note?: string; at?: string; rule?: string },
  sources: Source[],
  journal?: Journal,
): Change[] {
  const at = review.at ?? new Date().toISOString();
  const urls = new Map(sources.map((s) => [s.id, s.url]));
  return ledger.transaction(() => {
    const changes = pendingOnly(ledger, ids);
    const decided: Change[] = [];
    for (const change of changes) {
      decided.push(decide(ledger, change, 'approved', { reviewer: review.reviewer, at, note: review.note ?? null }));
      const key = { model: change.model, field: change.field, condition: change.condition };
      if (change.kind === 'removed' || change.new_value === null || !change.fact) {
        ledger.history.insertInterval(key, { value: null, valid_from: change.observed_at, change_id: change.id });
      } else {
        const supporting = change.fact.claims.filter((c) => c.supports);
        const sources = [...new Map(supporting.map((c) => [c.source_id, { source_id: c.source_id, url: urls.get(c.source_id) ?? '', observed_at: c.observed_at }])).values()];
        ledger.history.insertInterval(key, {
          value: change.new_value,
          unit: UNITS[FIELDS[change.field].kind] ?? null,
          status: change.fact.status,
          confidence: change.fact.confidence,
          sources: sources.sort((a, b) => a.source_id.localeCompare(b.source_id)),
          valid_from: change.observed_at,
          change_id: change.id,
        });
      }
      ledger.models.confirmNew(change.model, review.reviewer, at, `confirmed by approving change #${change.id}`);
      ledger.audit.record(review.reviewer, 'approve', `change ${change.id}`, { model: change.model, field: change.field, condition: change.condition, new_value: change.new_value, note: review.note ?? null, ...(review.rule ? { rule: review.rule } : {}) }, at);
    }
    journal?.append(changes.map((c) => ({ at, by: review.reviewer, action: 'approve', ...(review.rule ? { rule: review.rule } : {}), ...changeKey(c), note: review.note ?? null })));
    return decided;
  });
}

export function rejectChanges(ledger: Ledger, ids: ReadonlyArray<number | Change>, review: { reviewer: string; reason: string; at?: string }, journal?: Journal): Change[] {
  if (!review.reason.trim()) throw inputError('a rejection needs a reason (--reason TEXT)');
  const at = review.at ?? new Date().toISOString();
  return ledger.transaction(() => {
    const changes = pendingOnly(ledger, ids);
    const decided: Change[] = [];
    for (const change of changes) {
      decided.push(decide(ledger, change, 'rejected', { reviewer: review.reviewer, at, note: review.reason }));
      ledger.audit.record(review.reviewer, 'reject', `change ${change.id}`, { model: change.model, field: change.field, condition: change.condition, new_value: change.new_value, reason: review.reason }, at);
    }
    journal?.append(changes.map((c) => ({ at, by: review.reviewer, action: 'reject', ...changeKey(c), reason: review.reason })));
    return decided;
  });
}

/** What names a change in the journal: its key, kind, values and evidence, never its id. */
export function changeKey(c: Change): Pick<Extract<JournalEntry, { action: 'approve' }>, 'model' | 'field' | 'condition' | 'kind' | 'old_value' | 'new_value' | 'evidence_key'> {
  return { model: c.model, field: c.field, condition: c.condition, kind: c.kind, old_value: c.old_value, new_value: c.new_value, evidence_key: c.evidence_key };
}
