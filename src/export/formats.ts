import { FIELD_NAMES } from '../schema/fields.ts';
import type { Dataset, HistoryFile } from '../schema/dataset.ts';
import type { ClaimValue } from '../schema/claim.ts';

/**
 * Writers for the formats other tools read. Each is a pure function of the dataset with a
 * stable key and row order and fixed number formatting, so that a committed export diffs cleanly.
 */

export function toNdjson(dataset: Dataset): string {
  return dataset.models.map((m) => JSON.stringify(m)).join('\n') + (dataset.models.length ? '\n' : '');
}

/** The flat CSV's columns: identity, then one column per field holding its base ('') value. */
export const CSV_COLUMNS = ['id', 'name', 'provider', 'family', 'version', 'aliases', ...FIELD_NAMES, 'conditional_values'] as const;

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function plain(value: ClaimValue): string {
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

/** Numbers with at most 12 significant digits, never in exponent notation. */
export function formatNumber(n: number): string {
  const rounded = Number(n.toPrecision(12));
  const text = String(rounded);
  if (!text.includes('e')) return text;
  // Tiny per-token prices print as 1.75e-7 by default; spreadsheets want the plain decimal.
  const decimals = Math.min(100, 12 - Math.floor(Math.log10(Math.abs(rounded))));
  return rounded.toFixed(decimals).replace(/\.?0+$/, '');
}

/**
 * One row per model. Base figures go in their field's column; conditional figures (tiers,
 * routes) go in `conditional_values` as `field[condition]=value` pairs joined by "; ".
 */
export function toCsv(dataset: Dataset): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const m of dataset.models) {
    const base = new Map<string, ClaimValue>();
    const conditional: string[] = [];
    for (const v of m.values) {
      if (v.condition === '') base.set(v.field, v.value);
      else conditional.push(`${v.field}[${v.condition}]=${plain(v.value)}`);
    }
    const cells = [
      m.id,
      m.name,
      m.provider,
      m.family,
      m.version ?? '',
      m.aliases.join('|'),
      ...FIELD_NAMES.map((f) => (base.has(f) ? plain(base.get(f)!) : '')),
      conditional.join('; '),
    ];
    rows.push(cells.map(csvCell).join(','));
  }
  return rows.join('\n') + '\n';
}

// --- simonw/llm-prices: one file per vendor with price_history ------------------------------

export interface LlmPricesFile {
  vendor: string;
  models: Array<{
    id: string;
    name: string;
    price_history: Array<{ input: number | null; output: number | null; input_cached: number | null; from_date: string | null; to_date: string | null }>;
  }>;
}

/**
 * llm-prices' shape: per vendor, per model, base input/output/cached prices over time. A new
 * period starts whenever any of the three base prices changed.
 */
export function toLlmPrices(dataset: Dataset, history: HistoryFile): LlmPricesFile[] {
  const names = new Map(dataset.models.map((m) => [m.id, m.name]));
  const priceFields = { input_price: 'input', output_price: 'output', cached_input_price: 'input_cached' } as const;
  const byModel = new Map<string, HistoryFile['intervals']>();
  for (const h of history.intervals) {
    if (h.condition !== '' || !(h.field in priceFields)) continue;
    byModel.set(h.model, [...(byModel.get(h.model) ?? []), h]);
  }
  const vendors = new Map<string, LlmPricesFile>();
  for (const [id, intervals] of [...byModel].sort(([a], [b]) => a.localeCompare(b))) {
    const bounds = [...new Set(intervals.flatMap((h) => [h.valid_from, ...(h.valid_to ? [h.valid_to] : [])]))].sort();
    const periods: LlmPricesFile['models'][number]['price_history'] = [];
    for (let i = 0; i < bounds.length; i++) {
      const from = bounds[i];
      const at = (field: keyof typeof priceFields) => {
        const h = intervals.find((x) => x.field === field && x.valid_from <= from && (x.valid_to === null || x.valid_to > from));
        return h && typeof h.value === 'number' ? h.value : null;
      };
      const period = { input: at('input_price'), output: at('output_price'), input_cached: at('cached_input_price'), from_date: from.slice(0, 10), to_date: bounds[i + 1]?.slice(0, 10) ?? null };
      if (period.input === null && period.output === null) continue;
      const last = periods.at(-1);
      if (last && last.input === period.input && last.output === period.output && last.input_cached === period.input_cached) {
        last.to_date = period.to_date;
        continue;
      }
      periods.push(period);
    }
    if (!periods.length) continue;
    const [vendor, ...rest] = id.split('/');
    const file = vendors.get(vendor) ?? { vendor, models: [] };
    file.models.push({ id: rest.join('/'), name: names.get(id) ?? rest.join('/'), price_history: periods.reverse() });
    vendors.set(vendor, file);
  }
  return [...vendors.values()].sort((a, b) => a.vendor.localeCompare(b.vendor));
}
