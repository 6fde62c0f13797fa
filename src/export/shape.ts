/** Small helpers the exporters of other tools' shapes share. */
import { parseCondition, routeOf, without } from '../schema/condition.ts';
import type { Dataset, DatasetValue } from '../schema/dataset.ts';
import { unescapePointer } from '../schema/pointer.ts';

/** Keys in sorted order, so two exports of one ledger are byte-identical. */
export function sortKeys<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))) as T;
}

/** Counts `value` under `at`. */
export function tally(map: Map<string, Map<string, number>>, at: string, value: string): void {
  const counts = map.get(at) ?? new Map<string, number>();
  counts.set(value, (counts.get(value) ?? 0) + 1);
  map.set(at, counts);
}

/** The value counted most often (ties: the first in sort order). */
export function mostCommon(counts: Map<string, number> | undefined): string | undefined {
  if (!counts) return undefined;
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}

/** The first `n` reference tokens of a JSON pointer, unescaped: `/a~1b/models/c` -> ['a/b', 'models', 'c']. */
export function pointerTokens(locator: string | null, n: number): string[] {
  if (!locator?.startsWith('/')) return [];
  return locator
    .slice(1)
    .split('/')
    .slice(0, n)
    .map(unescapePointer);
}

/** A model's values per route (null: the vendor's own offering): each route is an entry of its own in other tools' files. */
export function byRoute<V extends { condition: string }>(values: readonly V[]): Map<string | null, V[]> {
  const groups = new Map<string | null, V[]>();
  for (const v of values) {
    const route = routeOf(v.condition);
    push(groups, route, v);
  }
  return groups;
}

/** Appends `value` to the list under `key`. */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The dataset as in force at `at` (an ISO time) for formats that cannot date a price (LiteLLM's
 * file, models.dev's, a CSV's columns): a dated price (`from:DAY`) that has started replaces the
 * value it was dated against (same field, same other conditions) under that value's condition;
 * one not started yet stays as it is. Those formats went on publishing the price it replaced.
 */
export function inForce(dataset: Dataset, at: string): Dataset {
  const day = at.slice(0, 10);
  return { ...dataset, models: dataset.models.map((m) => ({ ...m, values: valuesInForce(m.values, day) })) };
}

function valuesInForce(values: readonly DatasetValue[], day: string): DatasetValue[] {
  // Each value's start ('' for an undated one) and its condition without the date, read once.
  const read = values.map((v) => {
    const dated = parseCondition(v.condition).find((p) => p.kind === 'from');
    const undated = without(v.condition, 'from');
    return { v, start: dated?.kind === 'from' ? dated.date : '', undated, group: `${v.field}\u0000${undated}` };
  });
  // Per field and undated condition: the latest start on or before `day`.
  const latest = new Map<string, string>();
  for (const { start, group } of read) if (start <= day && (latest.get(group) ?? start) <= start) latest.set(group, start);
  const out: DatasetValue[] = [];
  for (const { v, start, undated, group } of read) {
    if (start > day) out.push(v);
    else if (latest.get(group) === start) out.push(start ? { ...v, condition: undated } : v);
  }
  return out;
}
