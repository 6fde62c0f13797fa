/** What each desk page shows, read from the ledger; rendering is in pages.ts. */
import type { Change } from '../../schema/change.ts';
import type { Fact } from '../../schema/fact.ts';
import { isPriceField } from '../../schema/fields.ts';
import type { Source } from '../../schema/source.ts';
import type { Ledger } from '../../store/ledger.ts';
import { type PublishedValue } from '../../schema/history.ts';
import { filterChoices, selectChanges, supportingSources, type ChangeFilter } from '../batch.ts';
import { DocumentCache, loadChangeEvidence, type ChangeEvidence } from '../evidence.ts';
import { triage, type TriageGroup } from '../triage.ts';

export const PAGE_SIZE = 50;

export interface QueueItem {
  change: Change;
  /** Relative move of a price, in percent (+25 for 2 -> 2.5); null for anything else. */
  move: number | null;
  backfill: boolean;
  evidence: ChangeEvidence;
  group: TriageGroup;
}

export interface QueueGroup {
  model: string;
  modelName: string;
  sources: string[];
  items: QueueItem[];
}

export interface QueueView {
  filter: ChangeFilter;
  /** The triage group shown, if one is chosen. */
  group?: TriageGroup;
  /** Pending changes per triage group (of the filtered queue, before choosing a group). */
  counts: Record<TriageGroup, number>;
  choices: ReturnType<typeof filterChoices>;
  groups: QueueGroup[];
  pending: number;
  matched: number;
  page: number;
  pages: number;
}

export function priceMove(change: Pick<Change, 'field' | 'kind' | 'old_value' | 'new_value'>): number | null {
  const { old_value: before, new_value: after } = change;
  if (!isPriceField(change.field) || change.kind !== 'changed') return null;
  if (typeof before !== 'number' || typeof after !== 'number' || before === 0) return null;
  return ((after - before) / before) * 100;
}

/** The filtered pending queue in triage order (what needs a human first), each with its group. */
export function triagedSelection(ledger: Ledger, filter: ChangeFilter, group?: TriageGroup) {
  const pending = ledger.changes.list({ status: 'pending' });
  const t = triage(selectChanges(pending, filter), { approvedModels: ledger.history.publishedModels() });
  return { pending, counts: t.counts, matched: group ? t.changes.filter((c) => c.group === group) : t.changes };
}

/** The pending queue, filtered, in triage order and paged, grouped by model and the sources behind each change. */
export function queueView(ledger: Ledger, sources: Source[], filter: ChangeFilter, page: number, cache: DocumentCache, group?: TriageGroup): QueueView {
  const { pending, counts, matched } = triagedSelection(ledger, filter, group);
  const pages = Math.max(1, Math.ceil(matched.length / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = matched.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const names = new Map(ledger.models.list().map((m) => [m.id, m.name]));
  const backfills = ledger.changes.backfillIds();

  const groups: QueueGroup[] = [];
  for (const { group: g, ...change } of shown) {
    const from = supportingSources(change);
    const last = groups.at(-1);
    const item: QueueItem = { change, move: priceMove(change), backfill: backfills.has(change.id), evidence: loadChangeEvidence(ledger, change, sources, cache), group: g };
    if (last && last.model === change.model && last.sources.join() === from.join() && last.items[0].group === g) last.items.push(item);
    else groups.push({ model: change.model, modelName: names.get(change.model) ?? change.model, sources: from, items: [item] });
  }
  return { filter, group, counts, choices: filterChoices(pending), groups, pending: pending.length, matched: matched.length, page: current, pages };
}

export interface FactRow {
  fact: Fact;
  published: PublishedValue | undefined;
}

export interface ModelView {
  id: string;
  name: string;
  aliases: string[];
  facts: FactRow[];
  /** Facts whose sources gave different values, with every claim. */
  disputes: Fact[];
  history: PublishedValue[];
  pending: Change[];
}

export function modelView(ledger: Ledger, id: string): ModelView | null {
  const record = ledger.models.list().find((m) => m.id === id);
  if (!record) return null;
  const published = new Map(ledger.history.publishedOf(id).map((p) => [`${p.field}\u0000${p.condition}`, p]));
  const facts = ledger.facts.list({ model: id });
  return {
    id,
    name: record.name,
    aliases: ledger.models.aliasesOf(id),
    facts: facts.map((fact) => ({ fact, published: published.get(`${fact.field}\u0000${fact.condition}`) })),
    disputes: facts.filter((f) => new Set(f.claims.map((c) => JSON.stringify(c.value))).size > 1),
    history: ledger.history.list({ model: id }),
    pending: ledger.changes.list({ status: 'pending' }).filter((c) => c.model === id),
  };
}
