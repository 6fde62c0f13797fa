import { inputError } from '../errors.ts';
import { batchSelection, parseFilter } from '../review/batch.ts';
import { approveChanges, rejectChanges, resolveReviewer } from '../review/decide.ts';
import type { Change, ChangeStatus } from '../schema/change.ts';
import type { Ledger } from '../store/ledger.ts';
import { findModel } from './models.ts';
import { aliasesOf, sourcesOf, withLedger, type Workspace } from './workspace.ts';

/** Which pending changes a decision is about: ids, or --all, or a filter. */
export interface Selection {
  ids?: string[];
  all?: boolean;
  source?: string;
  model?: string;
  provider?: string;
  field?: string;
  kind?: string;
}

export function listChanges(ws: Workspace, status: ChangeStatus = 'pending'): Change[] {
  return withLedger(ws, (ledger) => ledger.changes.list({ status }));
}

/** Publishes the selected changes into the dataset and its history, all or nothing. */
export function approve(ws: Workspace, selection: Selection, review: { reviewer?: string; note?: string }): Change[] {
  return withLedger(ws, (ledger) => {
    if (selection.all && !selection.ids?.length && ledger.changes.list({ status: 'pending' }).length === 0) return [];
    const chosen = chooseChanges(ledger, ws, selection);
    return approveChanges(ledger, chosen, { reviewer: resolveReviewer(review.reviewer), note: review.note }, sourcesOf(ws));
  });
}

/** Rejects the selected changes; a rejected change returns only when its evidence changes. */
export function reject(ws: Workspace, selection: Selection, review: { reviewer?: string; reason: string }): Change[] {
  return withLedger(ws, (ledger) => rejectChanges(ledger, chooseChanges(ledger, ws, selection), { reviewer: resolveReviewer(review.reviewer), reason: review.reason }));
}

function chooseChanges(ledger: Ledger, ws: Workspace, selection: Selection): number[] {
  const filter = parseFilter({ ...selection, model: selection.model ? findModel(ledger, aliasesOf(ws), selection.model) : undefined });
  return batchSelection(ledger.changes.list({ status: 'pending' }), { ids: changeIds(selection.ids ?? []), all: selection.all, filter });
}

function changeIds(ids: string[]): number[] {
  return ids.map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0) throw inputError(`not a change id: "${s}"`);
    return n;
  });
}
