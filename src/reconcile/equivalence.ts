/**
 * Value equivalence: before votes are counted, every claimed value is reduced to a
 * canonical key, so that claims which say the same thing in different ways vote together.
 *
 * Decisions (per field kind; see also the report in docs):
 * - tokens (context_window, max_output_tokens): a nominal "K"/"M" figure written in decimal
 *   or binary is ONE value: 128000 = 131072 = "128K", 200000 = 204800, 1000000 = 1048576 = "1M".
 *   Pages print "128K" for both and APIs print either, so treating them as a conflict would flag
 *   nearly every model. Anything else is a real difference: 400000 vs 256000, 128000 vs 120000.
 *   The fact keeps the exact figure of its best-ranked supporter (first-party over aggregator).
 * - usd_per_mtok: equal when equal to 6 significant digits. Per-token prices times 1e6 leave
 *   float noise (1.7500000000000002); real price steps are never that small.
 * - count (parameters): equal to 3 significant digits, so 20.9B and 20,914,757,184 agree but
 *   "21B" and 20.9B do not (a rounded headline figure is a different claim from a counted one).
 * - date: normalized to YYYY-MM-DD, YYYY-MM or YYYY. A coarser date is COMPATIBLE with a finer one
 *   inside it: "2025-12" supports "2025-12-18" (it is less precise, not contradictory), and the
 *   fact takes the most precise supported value. Two different days in the same month conflict.
 * - boolean: true/false; yes/no/supported/1 and their opposites are read as booleans.
 * - string (license): lower case, "license"/"licence" dropped, spaces and underscores as dashes,
 *   so "Apache 2.0", "apache-2.0" and "Apache License 2.0" agree.
 * - any other field (generic claim files): trimmed, whitespace collapsed, lower-cased text.
 */
import { FIELDS, type FieldKind } from '../schema/fields.ts';

export type PlainValue = string | number | boolean;

export function fieldKindOf(field: string): FieldKind | 'generic' {
  return (FIELDS as Record<string, { kind: FieldKind }>)[field]?.kind ?? 'generic';
}

/** The canonical key two claims share exactly when they state the same value. */
export function valueKey(field: string, value: PlainValue): string {
  const kind = fieldKindOf(field);
  switch (kind) {
    case 'tokens':
      return numericKey(value, nominalTokens);
    case 'usd_per_mtok':
      return numericKey(value, (n) => significant(n, 6));
    case 'count':
      return numericKey(value, (n) => significant(n, 3));
    case 'date':
      return dateKey(value);
    case 'boolean':
      return booleanKey(value);
    case 'string':
      return licenseKey(value);
    default:
      return textKey(value);
  }
}

/**
 * The next coarser key a key is compatible with ("2025-12-18" -> "2025-12" -> "2025"), or null.
 * Only dates have precision levels; every other key stands alone.
 */
export function coarserKey(key: string): string | null {
  if (/^d:\d{4}-\d{2}-\d{2}$/.test(key)) return key.slice(0, 9);
  if (/^d:\d{4}-\d{2}$/.test(key)) return key.slice(0, 6);
  return null;
}

export function textKey(value: PlainValue): string {
  return 's:' + String(value).trim().replace(/\s+/g, ' ').toLowerCase();
}

function numericKey(value: PlainValue, key: (n: number) => string): string {
  const n = typeof value === 'number' ? value : parseLooseNumber(String(value));
  return Number.isFinite(n) ? 'n:' + key(n) : textKey(value);
}

/**
 * "128,000" -> 128000, "128K" -> 128000, "1.5M" -> 1500000, "1e-6" -> 0.000001; NaN when not a
 * number. A comma or a space is read only between groups of three digits: "1,50" and "1,5" are
 * decimal commas, no number, where dropping the comma made them 150 and 15.
 */
export function parseLooseNumber(text: string): number {
  let number = text.replace(/\$/g, '').trim();
  if (/^[+-]?\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?\s*[kmb]?$/i.test(number)) number = number.replace(/[,\s]/g, '');
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([kmb])?$/i.exec(number);
  if (!m) return NaN;
  const scale = { k: 1e3, m: 1e6, b: 1e9 }[(m[2] ?? '').toLowerCase() as 'k' | 'm' | 'b'] ?? 1;
  return Number(m[1]) * scale;
}

function significant(n: number, digits: number): string {
  return String(Number(n.toPrecision(digits)));
}

function nominalTokens(n: number): string {
  if (!Number.isInteger(n) || n <= 0) return String(n);
  if (n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n % 1_048_576 === 0) return `${n / 1_048_576}M`;
  if (n % 1000 === 0) return `${n / 1000}K`;
  if (n % 1024 === 0) return `${n / 1024}K`;
  return String(n);
}

function dateKey(value: PlainValue): string {
  const text = String(value).trim();
  const m = text.match(/^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:[T ].*)?$/);
  if (!m) return textKey(value);
  const parts = [m[1], m[2], m[3]].filter((p): p is string => p !== undefined).map((p, i) => (i ? p.padStart(2, '0') : p));
  return 'd:' + parts.join('-');
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'supported', '✓', '✔']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'unsupported', 'not supported', '✗', '✘', '-']);

function booleanKey(value: PlainValue): string {
  if (typeof value === 'boolean') return value ? 'b:true' : 'b:false';
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return 'b:true';
  if (FALSE_WORDS.has(word)) return 'b:false';
  return textKey(value);
}

function licenseKey(value: PlainValue): string {
  const slug = String(value)
    .trim()
    .toLowerCase()
    .replace(/\blicen[cs]e\b/g, ' ')
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return 's:' + slug;
}
