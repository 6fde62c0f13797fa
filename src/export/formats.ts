import { parseCondition, routeOf, type ConditionPart } from '../schema/condition.ts';
import { FIELD_NAMES, type FieldName } from '../schema/fields.ts';
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

// --- LiteLLM's model_prices_and_context_window.json ------------------------------------------

const LITELLM_PRICE_KEYS: Partial<Record<FieldName, string>> = {
  input_price: 'input_cost_per_token',
  output_price: 'output_cost_per_token',
  cached_input_price: 'cache_read_input_token_cost',
  cache_write_price: 'cache_creation_input_token_cost',
};
const LITELLM_BATCH_KEYS: Partial<Record<FieldName, string>> = {
  batch_input_price: 'input_cost_per_token_batches',
  batch_output_price: 'output_cost_per_token_batches',
};
const LITELLM_FLAGS: Partial<Record<FieldName, string>> = {
  vision: 'supports_vision',
  function_calling: 'supports_function_calling',
  reasoning: 'supports_reasoning',
  structured_outputs: 'supports_response_schema',
  audio_input: 'supports_audio_input',
  audio_output: 'supports_audio_output',
};

function perToken(usdPerMillion: number): number {
  return Number((usdPerMillion / 1e6).toPrecision(12));
}

/** A condition part as LiteLLM's key suffix: `_above_200k_tokens`, `_priority`; null when LiteLLM has none. */
function litellmSuffix(part: ConditionPart): string | null {
  if (part.kind === 'tier' && (part.name === 'flex' || part.name === 'priority')) return `_${part.name}`;
  if (part.kind === 'context' && part.above % 1000 === 0) return `_above_${part.above / 1000}k_tokens`;
  return null;
}

/**
 * LiteLLM's shape: the model's own provider's entry is keyed by the bare model name; each
 * resale route (`route:X` condition) becomes an `X/model` entry, as LiteLLM itself does.
 */
export function toLiteLLM(dataset: Dataset): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const m of dataset.models) {
    // LiteLLM's max_input_tokens is an input limit: the model's own max_input_tokens figures, and
    // its context window only for a model that has no input limit at all.
    const inputLimitField: FieldName = m.values.some((v) => v.field === 'max_input_tokens') ? 'max_input_tokens' : 'context_window';
    const [provider, ...rest] = m.id.split('/');
    const name = rest.join('/');
    const entries = new Map<string, Record<string, unknown>>();
    const entryFor = (route: string | null) => {
      const key = route ? `${route}/${name}` : name;
      if (!entries.has(key)) entries.set(key, { litellm_provider: route ?? provider, mode: 'chat' });
      return entries.get(key)!;
    };
    for (const v of m.values) {
      const route = routeOf(v.condition);
      const rest = parseCondition(v.condition).filter((p) => p.kind !== 'route');
      if (rest.length > 1) continue;
      const suffix = rest.length === 1 ? litellmSuffix(rest[0]) : '';
      if (suffix === null) continue;
      const entry = entryFor(route);
      const field = v.field;
      const priceKey = LITELLM_PRICE_KEYS[field];
      if (priceKey && typeof v.value === 'number') entry[priceKey + suffix] = perToken(v.value);
      else if (suffix !== '') continue;
      else if (LITELLM_BATCH_KEYS[field] && typeof v.value === 'number') entry[LITELLM_BATCH_KEYS[field]!] = perToken(v.value);
      else if (field === inputLimitField) entry.max_input_tokens = v.value;
      else if (field === 'max_output_tokens') {
        entry.max_output_tokens = v.value;
        entry.max_tokens = v.value;
      } else if (field === 'tool_use' && v.value === true) entry.supports_function_calling ??= true;
      else if (LITELLM_FLAGS[field]) entry[LITELLM_FLAGS[field]!] = v.value;
    }
    for (const [key, entry] of entries) out[key] = sortKeys(entry);
  }
  return sortKeys(out);
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

function sortKeys<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))) as T;
}
