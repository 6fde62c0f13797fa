/**
 * Batch review: which pending changes a selection (a source, a model, a provider, a field, a kind)
 * names. Pure, so the CLI and the review desk select the same way.
 */
import type { Change, ChangeKind } from '../schema/change.ts';
import { ChangeKindSchema } from '../schema/change.ts';
import { FIELD_NAMES, type FieldName } from '../schema/fields.ts';
import { inputError } from '../errors.ts';

export interface ChangeFilter {
  /** Changes whose new value this source supports (a "no longer seen" change has no supporting source). */
  source?: string;
  model?: string;
  /** The provider part of the model id: "openai" for openai/gpt-5. */
  provider?: string;
  field?: FieldName;
  kind?: ChangeKind;
}


const FILTER_KEYS = ['source', 'model', 'provider', 'field', 'kind'] as const;

export function isEmptyFilter(filter: ChangeFilter): boolean {
  return FILTER_KEYS.every((k) => !filter[k]);
}

export function describeFilter(filter: ChangeFilter): string {
  return FILTER_KEYS.filter((k) => filter[k])
    .map((k) => `--${k} ${filter[k]}`)
    .join(' ');
}

export function providerOf(model: string): string {
  return model.split('/')[0];
}

export function supportingSources(change: Change): string[] {
  return [...new Set((change.fact?.claims ?? []).filter((c) => c.supports).map((c) => c.source_id))].sort();
}

export function matchesFilter(change: Change, filter: ChangeFilter): boolean {
  if (filter.model && change.model !== filter.model) return false;
  if (filter.provider && providerOf(change.model) !== filter.provider) return false;
  if (filter.field && change.field !== filter.field) return false;
  if (filter.kind && change.kind !== filter.kind) return false;
  if (filter.source && !supportingSources(change).includes(filter.source)) return false;
  return true;
}

export function selectChanges(changes: Change[], filter: ChangeFilter): Change[] {
  return changes.filter((c) => matchesFilter(c, filter));
}

/** Checks user-typed filter values: an unknown field or kind is a typo, not an empty selection. */
export function parseFilter(raw: { source?: string; model?: string; provider?: string; field?: string; kind?: string }): ChangeFilter {
  if (raw.field && !(FIELD_NAMES as string[]).includes(raw.field)) {
    throw inputError(`unknown field "${raw.field}"; fields: ${FIELD_NAMES.join(', ')}`);
  }
  if (raw.kind && !ChangeKindSchema.safeParse(raw.kind).success) {
    throw inputError(`unknown change kind "${raw.kind}"; kinds: ${ChangeKindSchema.options.join(', ')}`);
  }
  const filter: ChangeFilter = {};
  if (raw.source) filter.source = raw.source;
  if (raw.model) filter.model = raw.model;
  if (raw.provider) filter.provider = raw.provider.toLowerCase();
  if (raw.field) filter.field = raw.field as FieldName;
  if (raw.kind) filter.kind = raw.kind as ChangeKind;
  return filter;
}

/**
 * The change ids one approve/reject command acts on: the ids given, every pending change (`all`),
 * or the pending changes a filter selects. Mixing ids with a selection is refused, and so is a
 * selection that matches nothing, so a typo never passes silently.
 */
export function batchSelection(pending: Change[], request: { ids: number[]; all?: boolean; filter: ChangeFilter }): number[] {
  const hasFilter = !isEmptyFilter(request.filter);
  if (request.ids.length > 0 && (hasFilter || request.all)) {
    throw inputError('give change ids or a selection (--all, --source, --model, --provider, --field, --kind), not both');
  }
  if (request.ids.length > 0) return request.ids;
  if (!hasFilter && !request.all) {
    throw inputError('name change ids, or select with --all, --source, --model, --provider, --field or --kind');
  }
  const chosen = hasFilter ? selectChanges(pending, request.filter) : pending;
  if (chosen.length === 0) throw inputError(hasFilter ? `no pending changes match ${describeFilter(request.filter)}` : 'no pending changes');
  return chosen.map((c) => c.id);
}

/** The distinct values each filter can take over a set of changes, for the desk's filter menus. */
export function filterChoices(changes: Change[]): { source: string[]; provider: string[]; field: string[]; kind: string[] } {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return {
    source: sorted(changes.flatMap(supportingSources)),
    provider: sorted(changes.map((c) => providerOf(c.model))),
    field: sorted(changes.map((c) => c.field)),
    kind: sorted(changes.map((c) => c.kind)),
  };
}
