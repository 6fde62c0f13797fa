/**
 * The desk's bulk decisions: GET /bulk previews exactly the pending changes a filter and triage
 * group select; POST /bulk decides exactly the ids that preview listed (never a fresh selection),
 * all or nothing, behind the same CSRF token as a single decision.
 */
import type { Source } from '../../schema/source.ts';
import type { Journal } from '../../store/journal.ts';
import type { Ledger } from '../../store/ledger.ts';
import { inputError } from '../../errors.ts';
import { parseFilter } from '../batch.ts';
import { approveChanges, rejectChanges } from '../decide.ts';
import { isTriageGroup, type TriageGroup } from '../triage.ts';
import { bulkPage, type PageContext } from './pages.ts';
import { triagedSelection } from './views.ts';

/** The filter and group of a desk URL's query. */
export function selectionOf(q: URLSearchParams) {
  const get = (k: string) => q.get(k) || undefined;
  const filter = parseFilter({ source: get('source'), model: get('model'), provider: get('provider'), field: get('field'), kind: get('kind') });
  const g = get('group');
  if (g !== undefined && !isTriageGroup(g)) throw inputError(`unknown triage group "${g}"`);
  return { filter, group: g as TriageGroup | undefined };
}

export function bulkPreviewPage(ledger: Ledger, q: URLSearchParams, ctx: PageContext): string {
  const { filter, group } = selectionOf(q);
  return bulkPage({ filter, group, changes: triagedSelection(ledger, filter, group).matched }, ctx);
}

/** Decides the previewed ids; returns how many and what became of them. */
export function decideBulk(
  ledger: Ledger,
  sources: Source[],
  form: URLSearchParams,
  who: { reviewer: string; at: string; journal?: Journal },
): string {
  const ids = (form.get('ids') ?? '').split(',').filter(Boolean).map(Number);
  if (ids.length === 0 || ids.some((n) => !Number.isInteger(n) || n <= 0)) throw inputError('no changes to decide');
  const note = (form.get('note') ?? '').trim();
  const action = form.get('action');
  if (action === 'approve') return `${approveChanges(ledger, ids, { reviewer: who.reviewer, note: note || undefined, at: who.at }, sources, who.journal).length} changes approved`;
  if (action === 'reject') return `${rejectChanges(ledger, ids, { reviewer: who.reviewer, reason: note, at: who.at }, who.journal).length} changes rejected`;
  throw inputError('action must be approve or reject');
}
