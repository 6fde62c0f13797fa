import { FIELD_NAMES } from '../schema/fields.ts';
import type { Dataset } from '../schema/dataset.ts';
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

/**
 * A CSV cell, quoted when it must be. Text a spreadsheet would run as a formula (a model named
 * "=HYPERLINK(...)" by a page) gets a leading apostrophe, as OWASP advises; no figure or id
 * begins with = + or -. "@" is left alone: Cloudflare's model ids ("@cf/meta/...") begin with it.
 */
function csvCell(value: string): string {
  const inert = /^[=+\-\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
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
