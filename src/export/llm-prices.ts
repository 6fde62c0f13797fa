/**
 * simonw/llm-prices: one file per vendor, per model its `price_history`, newest first, each period
 * `{ input, output, from_date, to_date, input_cached }` in USD per 1M tokens.
 *
 * - Dates are the approved history's validity: a period starts when its price became valid there
 *   (`valid_from` of the interval that brought it, or the day a dated `from:` price starts) and ends
 *   when the next one did. The first period of a model starts `null`, as llm-prices writes a price
 *   whose start is unknown: the ledger's first interval starts at its first observation, not at the
 *   day the price took effect.
 * - Long-context tiers are models of their own, as llm-prices writes them: `<id>-200k` named
 *   `<name> >200k` beside `<id>` named `<name> ≤200k`.
 * - Resale routes, service tiers and cache lifetimes have no place in the format: not written.
 */
import { parseCondition } from '../schema/condition.ts';
import type { Dataset, HistoryFile } from '../schema/dataset.ts';
import { push } from './shape.ts';

type Interval = HistoryFile['intervals'][number];

export interface LlmPricesPeriod {
  input: number;
  output: number;
  from_date: string | null;
  to_date: string | null;
  input_cached: number | null;
}

export interface LlmPricesFile {
  vendor: string;
  models: Array<{ id: string; name: string; price_history: LlmPricesPeriod[] }>;
}

const PRICE_FIELDS = { input_price: 'input', output_price: 'output', cached_input_price: 'input_cached' } as const;
type PriceField = keyof typeof PRICE_FIELDS;

/** A price interval as llm-prices can hold it: its context tier (0: the base) and the day a dated price starts. */
interface Priced {
  field: PriceField;
  tier: number;
  /** When it holds from: a dated price's day, else the interval's valid_from. */
  start: string;
  end: string | null;
  value: number;
}

function readInterval(h: Interval): Priced | null {
  if (!(h.field in PRICE_FIELDS) || typeof h.value !== 'number') return null;
  let tier = 0;
  let dated: string | null = null;
  for (const part of parseCondition(h.condition)) {
    if (part.kind === 'context' && tier === 0) tier = part.above;
    else if (part.kind === 'from' && /^\d{4}-\d{2}-\d{2}$/.test(part.date) && dated === null) dated = `${part.date}T00:00:00.000Z`;
    else return null;
  }
  // A dated price holds from its day on, unless a later approval replaced it.
  const start = dated && dated > h.valid_from ? dated : h.valid_from;
  return { field: h.field as PriceField, tier, start, end: h.valid_to, value: h.value };
}

export function toLlmPrices(dataset: Dataset, history: HistoryFile): LlmPricesFile[] {
  const names = new Map(dataset.models.map((m) => [m.id, m.name]));
  const byModel = new Map<string, Priced[]>();
  for (const h of history.intervals) {
    const priced = readInterval(h);
    if (priced) push(byModel, h.model, priced);
  }
  const vendors = new Map<string, LlmPricesFile>();
  for (const [id, intervals] of [...byModel].sort(([a], [b]) => a.localeCompare(b))) {
    const [vendor, ...rest] = id.split('/');
    const modelId = rest.join('/');
    const name = names.get(id) ?? modelId;
    const tiers = [...new Set(intervals.map((p) => p.tier))].sort((a, b) => a - b);
    const tiered = tiers.some((t) => t > 0);
    const file = vendors.get(vendor) ?? { vendor, models: [] };
    for (const tier of tiers) {
      const periods = pricePeriods(intervals.filter((p) => p.tier === tier));
      if (!periods.length) continue;
      const label = tier % 1000 === 0 ? `${tier / 1000}k` : String(tier);
      if (tier === 0) file.models.push({ id: modelId, name: tiered ? `${name} ≤${tierLabel(tiers)}` : name, price_history: periods });
      else file.models.push({ id: `${modelId}-${label}`, name: `${name} >${label}`, price_history: periods });
    }
    if (file.models.length) vendors.set(vendor, file);
  }
  return [...vendors.values()].sort((a, b) => a.vendor.localeCompare(b.vendor));
}

/** The base entry's bound: the lowest tier's threshold. */
function tierLabel(tiers: number[]): string {
  const lowest = tiers.find((t) => t > 0)!;
  return lowest % 1000 === 0 ? `${lowest / 1000}k` : String(lowest);
}

/** One tier's prices over time, newest first; a new period wherever any of the three prices changed. */
function pricePeriods(intervals: Priced[]): LlmPricesPeriod[] {
  const bounds = [...new Set(intervals.flatMap((p) => [p.start, ...(p.end ? [p.end] : [])]))].sort();
  const periods: LlmPricesPeriod[] = [];
  let gap = false;
  for (let i = 0; i < bounds.length; i++) {
    const at = bounds[i];
    // Of the intervals holding at this moment, the one that started last is in force.
    const price = (field: PriceField): number | null =>
      intervals
        .filter((p) => p.field === field && p.start <= at && (p.end === null || p.end > at))
        .sort((a, b) => b.start.localeCompare(a.start))[0]?.value ?? null;
    const [input, output] = [price('input_price'), price('output_price')];
    // llm-prices has both prices in every period: while one was not approved there is no period,
    // and the period before it ends where the gap begins.
    if (input === null || output === null) {
      gap = true;
      continue;
    }
    const period: LlmPricesPeriod = { input, output, from_date: at.slice(0, 10), to_date: bounds[i + 1]?.slice(0, 10) ?? null, input_cached: price('cached_input_price') };
    const last = periods.at(-1);
    if (last && !gap && last.input === period.input && last.output === period.output && last.input_cached === period.input_cached) {
      last.to_date = period.to_date;
      continue;
    }
    periods.push(period);
    gap = false;
  }
  if (periods.length) periods[0].from_date = null;
  return periods.reverse();
}
