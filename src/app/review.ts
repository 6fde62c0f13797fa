import { inputError } from '../errors.ts';
import { batchSelection, parseFilter } from '../review/batch.ts';
import { approveChanges, rejectChanges, resolveReviewer } from '../review/decide.ts';
import { isTriageGroup, triage, TRIAGE_GROUPS, type Triage, type TriageGroup } from '../review/triage.ts';
import type { Change, ChangeStatus } from '../schema/change.ts';
import type { Ledger } from '../store/ledger.ts';
import { findModel } from './models.ts';
import { aliasesOf, journalOf, sourcesOf, withLedger, type Workspace } from './workspace.ts';

/** Which pending changes a decision is about: ids, or --all, or a filter, or a triage group. */
export interface Selection {
  ids?: string[];
  all?: boolean;
  source?: string;
  model?: string;
  provider?: string;
  field?: string;
  kind?: string;
  /** A triage group: disputed, large-move, removal, new-model or routine. */
  group?: string;
  /** The price move (percent) beyond which a change is a large move (default 10). */
  largeMovePct?: number;
}

export function listChanges(ws: Workspace, status: ChangeStatus = 'pending'): Change[] {
  return withLedger(ws, (ledger) => ledger.changes.list({ status }));
}

/** The pending queue in triage order, each change with its group, and the count per group. */
export function triageChanges(ws: Workspace, options: { largeMovePct?: number } = {}): Triage {
  return withLedger(ws, (ledger) => triageLedger(ledger, ledger.changes.list({ status: 'pending' }), options.largeMovePct));
}

/** Triage of `changes` against what the ledger has approved so far. */
export function triageLedger(ledger: Ledger, changes: Change[], largeMovePct?: number): Triage {
  const approvedModels = ledger.history.publishedModels();
  return triage(changes, { approvedModels, largeMovePct });
}

/** Publishes the selected changes into the dataset and its history, all or nothing; `dryRun` only says which. */
export function approve(ws: Workspace, selection: Selection, review: { reviewer?: string; note?: string; dryRun?: boolean }): Change[] {
  return withLedger(ws, (ledger) => {
    if (selection.all && !selection.ids?.length && ledger.changes.count('pending') === 0) return [];
    if (review.dryRun) return ledger.changes.list({ ids: chosenIds(chooseChanges(ledger, ws, selection)) });
    // Chosen in the deciding transaction, the changes need not be read again to be decided.
    return ledger.transaction(() => approveChanges(ledger, chooseChanges(ledger, ws, selection), { reviewer: resolveReviewer(review.reviewer), note: review.note }, sourcesOf(ws), journalOf(ws, ledger)));
  });
}

/** Rejects the selected changes; a rejected change returns only when its evidence changes. `dryRun` only says which. */
export function reject(ws: Workspace, selection: Selection, review: { reviewer?: string; reason: string; dryRun?: boolean }): Change[] {
  return withLedger(ws, (ledger) => {
    if (review.dryRun) {
      const chosen = chosenIds(chooseChanges(ledger, ws, selection));
      if (!review.reason.trim()) throw inputError('a rejection needs a reason (--reason TEXT)');
      return ledger.changes.list({ ids: chosen });
    }
    return ledger.transaction(() => rejectChanges(ledger, chooseChanges(ledger, ws, selection), { reviewer: resolveReviewer(review.reviewer), reason: review.reason }, journalOf(ws, ledger)));
  });
}

/** The chosen changes: as read among the pending ones, or by id when a named id is not pending (deciding it says why it cannot be). */
function chooseChanges(ledger: Ledger, ws: Workspace, selection: Selection): Array<Change | number> {
  const filter = parseFilter({ ...selection, model: selection.model ? findModel(ledger, aliasesOf(ws, ledger), selection.model) : undefined });
  let pending = ledger.changes.list({ status: 'pending' });
  let all = selection.all;
  if (selection.group !== undefined) {
    const group = triageGroupNamed(selection.group);
    if (selection.ids?.length) throw inputError('give change ids or a selection (--group, --all, filters), not both');
    pending = triageLedger(ledger, pending, selection.largeMovePct).changes.filter((c) => c.group === group);
    if (pending.length === 0) throw inputError(`no pending changes in group ${group}`);
    all = true;
  }
  const byId = new Map(pending.map((c) => [c.id, c]));
  return batchSelection(pending, { ids: changeIds(selection.ids ?? []), all, filter }).map((id) => byId.get(id) ?? id);
}

const chosenIds = (chosen: Array<Change | number>): number[] => chosen.map((c) => (typeof c === 'number' ? c : c.id));

export function triageGroupNamed(name: string): TriageGroup {
  if (!isTriageGroup(name)) throw inputError(`unknown triage group "${name}"; groups: ${TRIAGE_GROUPS.join(', ')}`);
  return name;
}

/** Change ids as `changes` prints them (`71316` or `#71316`); `0x10` or `1e3` is a typo, not change 16 or 1000. */
function changeIds(ids: string[]): number[] {
  return ids.map((s) => {
    const digits = /^#?(\d+)$/.exec(s.trim());
    const n = digits ? Number(digits[1]) : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) throw inputError(`not a change id: "${s}"`);
    return n;
  });
}
