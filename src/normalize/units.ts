/**
 * Unit normalization: the figures pages print ("$2.50 / MTok", "128k", "1,047,576 tokens", "4B",
 * "✓") turned into the ledger's units (USD per 1M tokens, tokens, counts, booleans).
 * Every parser returns null for "no value" ("—", "N/A", "undisclosed", ...) instead of guessing.
 */
import { FIELDS, type FieldName } from '../schema/fields.ts';

/** Round away binary noise (1.7500000000000002 -> 1.75) while keeping every real digit. */
export function cleanNumber(n: number): number {
  if (!Number.isFinite(n) || Number.isInteger(n)) return n;
  return Number(n.toPrecision(10));
}

const NO_VALUE = /^(?:[—–\-−]+|n\/?a|none|null|unknown|undisclosed|not[\s-]+(?:yet[\s-]+)?(?:sourced|available|disclosed|listed)|tbd|tba|\?+|unavailable)$/i;

/** True for the cells and phrases pages print where a figure is missing. */
export function isNoValue(text: string | null | undefined): boolean {
  if (text == null) return true;
  const t = text.trim().replace(/^\*+|\*+$/g, '').trim();
  return t === '' || NO_VALUE.test(t);
}

function toNumber(digits: string): number {
  return Number(digits.replace(/[,\s_]/g, ''));
}

/**
 * A comma between digits that groups no thousands ("$1,60", "12,34,567"): a decimal comma, or a
 * list. Either way the figure is not the one its leading digits spell, so no figure is read.
 */
const AMBIGUOUS_COMMA = /\d,(?!\d{3}(?!\d))\d/;
/**
 * A minus before the figure ("-$2.00", "$-0.175", "−14"): no price or size is negative, so the
 * text is a typo, a credit or a delta, and dropping the sign would read it as a real figure.
 */
const MINUS_SIGN = /^\s*[-\u2212\u2013]\s*(?:US\$|\$|USD)?\s*\.?\d|(?:US\$|\$|USD)\s*[-\u2212\u2013]\s*\.?\d/i;
/** Text whose figure is not the one its digits spell: read as no figure at all. */
const misleading = (text: string): boolean => AMBIGUOUS_COMMA.test(text) || MINUS_SIGN.test(text);

/**
 * Price text that names no single USD price per token, whatever its digits: another currency
 * ("€1.8", "¥2", "CNY 4", "A$3"), a share ("50% off"), a range or a floor ("$0.40 - 0.80",
 * "starting at $0.80", "up to $2"). A price per something else than tokens is the basis `unread`.
 */
const OTHER_CURRENCY = /[€£¥₹₩元]|\b(?:EUR|GBP|CNY|RMB|JPY|INR|KRW|CHF|CAD|AUD|SGD|HKD|euros?|yuan|renminbi|yen)\b|\b(?:A|C|HK|NZ|S|R)\$/i;
const SHARE = /\d\s*%/;
const RANGE = /\d\s*(?:[-–—]|\bto\b)\s*(?:US\$|\$|USD)?\s*\.?\d/i;
const FLOOR_OR_CAP = /\b(?:starting|starts|from|as low as|up to|min(?:imum)?|max(?:imum)?)\s*(?:at\s*)?(?:US\$|\$|USD)/i;
// "$15 (input + output)", "blended 3:1": one figure for input and output together.
const COMBINED = /\binput\s*(?:\+|and|&)\s*output\b|\bblended\b|\bcombined\b/i;
export const notOnePrice = (text: string): boolean =>
  OTHER_CURRENCY.test(text) || SHARE.test(text) || RANGE.test(text) || FLOOR_OR_CAP.test(text) || COMBINED.test(text);

/**
 * A figure with no money sign that reads as a token count ("128K", "1,048,576" under an "Input"
 * header of a limits table): no price, whatever column it stands in. A basis ("per 1M") is no count.
 */
function tokenCountLike(text: string): boolean {
  if (/\$|\bUSD\b|¢|\bcents?\b/i.test(text)) return false;
  const rest = text.replace(PER_1M, ' ').replace(PER_1K, ' ');
  return /\d\s*[kKmMbB]\b/.test(rest) || /\d,\d{3}\b/.test(rest);
}

// ---------------------------------------------------------------- prices

/**
 * `unread`: a basis no USD-per-token figure comes of here: per minute, image, character, request or
 * search, or bare figures under a header or sentence that says they are cents.
 */
export type PriceBasis = 'per_token' | 'per_1k' | 'per_1m' | 'unread';

const BASIS_FACTOR: Record<PriceBasis, number> = { per_token: 1e6, per_1k: 1e3, per_1m: 1, unread: Number.NaN };

const PER_1M = /(?:\/|\bper\b|\bfor\b)\s*(?:1\s*)?(?:m\b|mtoks?\b|mtokens?\b|million\b|1,000,000\b|1000000\b)|\/\s*mtok/i;
const PER_1K = /(?:\/|\bper\b|\bfor\b)\s*(?:1\s*)?(?:k\b|ktoks?\b|ktokens?\b|thousand\b|1,000\b|1000\b)/i;
const PER_TOKEN = /(?:\/|\bper\b)\s*(?:1\s+)?token\b/i;

// "$0.006 / minute", "$15 / 1M characters", "Prices per 1,000 characters", "$25 / 1K calls". A slash
// needs a figure before it: "(text / image / video)" names modalities, not a unit.
const NOT_TOKENS =
  /(?:\d\s*\/|\bper\b|\bfor\b)\s*(?:1\s*)?(?:[km]\s*|thousand\s+|million\s+|1,000\s+|1000\s+|1,000,000\s+)?(?:minutes?|mins?|seconds?|secs?|hours?|hrs?|images?|characters?|chars?|requests?|reqs?|searches|search|queries|query|pages?|calls?|videos?|frames?|steps?)\b/i;

/**
 * The basis a header, caption or sentence states for the bare figures under it: as priceBasisOf,
 * and `unread` when it says they are cents or another currency ("Pricing in cents per 1M tokens",
 * "Input (¢ / 1M)", "Pricing (CNY per 1M tokens)").
 */
export function statedPriceBasis(text: string): PriceBasis | null {
  return /¢|\bcents?\b/i.test(text) || OTHER_CURRENCY.test(text) ? 'unread' : priceBasisOf(text);
}

const SCALE: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, million: 1e6, b: 1e9, billion: 1e9 };

/** A basis of some other number of tokens than one, a thousand or a million ("per 100K tokens", "/ 10M", "per 1B"). */
function otherQuantity(text: string): boolean {
  const m = text.match(/(?:\/|\bper\b)\s*(\d[\d,]*(?:\.\d+)?)\s*(k|m|b|thousand|million|billion)?\b\s*(?:tokens?|toks?)?/i);
  if (!m) return false;
  const n = Number(m[1].replace(/,/g, '')) * (m[2] ? SCALE[m[2].toLowerCase()] : 1);
  return n !== 1 && n !== 1e3 && n !== 1e6;
}

/** A unit with no figure ("$/1K tokens", "USD per 1M tokens"): a header's part, not a price. */
export function isUnitLabel(text: string): boolean {
  return statedPriceBasis(text) !== null && !/\d/.test(text.replace(/(?:\/|\bper\b)\s*[\d,.]*\s*(?:[kKmMbB]\b|thousand|million|billion)?/gi, ''));
}

/** The basis a price string states, if any ("$2.50 / MTok" -> per_1m). */
export function priceBasisOf(text: string): PriceBasis | null {
  if (NOT_TOKENS.test(text) || otherQuantity(text)) return 'unread';
  if (PER_1M.test(text)) return 'per_1m';
  if (PER_1K.test(text)) return 'per_1k';
  if (PER_TOKEN.test(text)) return 'per_token';
  return null;
}

// With its exponent when it has one: "$2.5e-1" is 0.25, not 2.5 with its exponent dropped.
const NUM = String.raw`((?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?)`;
const DOLLARS = new RegExp(String.raw`(?:US\$|\$|USD\s*)\s*` + NUM, 'i');
// From where a number starts only: tried inside a long run of digits, the match is quadratic.
const CENTS = new RegExp(String.raw`(?<![\d,.])` + NUM + String.raw`\s*(?:¢|cents?\b)`, 'i');
const BARE = /(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:e-?\d+)?|\.\d+)/i;

function moneyAmount(text: string): number | null {
  const dollars = text.match(DOLLARS);
  if (dollars) return toNumber(dollars[1]);
  const cents = text.match(CENTS);
  if (cents) return toNumber(cents[1]) / 100;
  const bare = text.match(BARE);
  return bare ? toNumber(bare[1]) : null;
}

/**
 * A price in USD per 1M tokens. The basis is read from the text ("/1M", "per 1K", "/ MTok",
 * "per token"); when the text states none, `defaultBasis` applies (pricing tables headed
 * "per 1M tokens" print bare "$0.028"). Cents ("15¢") are divided by 100.
 */
export function parsePrice(text: string | number | null | undefined, defaultBasis: PriceBasis = 'per_1m'): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && defaultBasis !== 'unread' ? cleanNumber(text * BASIS_FACTOR[defaultBasis]) : null;
  if (text == null || isNoValue(text) || misleading(text) || notOnePrice(text) || tokenCountLike(text)) return null;
  const amount = moneyAmount(text);
  if (amount === null || !Number.isFinite(amount)) return null;
  const basis = priceBasisOf(text) ?? defaultBasis;
  return basis === 'unread' ? null : cleanNumber(amount * BASIS_FACTOR[basis]);
}

/** Per-token prices from JSON APIs ("0.00000175" or 1.75e-6) as USD per 1M tokens. */
export function perTokenToPerMillion(raw: string | number | null | undefined): number | null {
  if (raw == null || raw === '') return null;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(n)) return null;
  return cleanNumber(n * 1e6);
}

// ---------------------------------------------------------------- token counts

export interface TokenCountReading {
  value: number;
  /** Set when the figure was abbreviated ("262k"): the scale and the digits as printed. */
  abbreviated?: { mantissa: number; scale: number; decimals: number };
}

const TOKEN_COUNT = /(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([kKmM](?![a-z]))?/;

/** Read a token count ("128k", "1048K", "1,047,576", "400,000 tokens", "1M", "32000 tokens"). */
export function readTokenCount(text: string | number | null | undefined): TokenCountReading | null {
  if (typeof text === 'number') return Number.isFinite(text) ? { value: text } : null;
  if (text == null || isNoValue(text) || misleading(text)) return null;
  const m = text.match(TOKEN_COUNT);
  if (!m) return null;
  const mantissa = toNumber(m[1]);
  if (!m[2]) return Number.isInteger(mantissa) ? { value: mantissa } : null;
  const scale = /k/i.test(m[2]) ? 1e3 : 1e6;
  const decimals = m[1].includes('.') ? m[1].split('.')[1].length : 0;
  return { value: Math.round(mantissa * scale), abbreviated: { mantissa, scale, decimals } };
}

/**
 * Exact token figures a page prints in full ("262,144", "1,047,576", "131072"): an abbreviated
 * figure elsewhere on the same page that rounds to one of them means that exact figure.
 */
export function exactTokenFigures(pageText: string): number[] {
  const found = new Set<number>();
  const figure = /(?<![\d.,$])(\d{1,3}(?:,\d{3}){1,3}|\d{5,9})(?![\d.,]*\d)(?!\s*[kKmMbB%])(\s*tokens?\b)?/gi;
  for (const m of pageText.matchAll(figure)) {
    const n = toNumber(m[1]);
    // Binary-sized windows (262,144 = 2^18) or figures stated as tokens; not ids, years or dollars.
    if (n >= 1000 && n % 1000 !== 0 && (n % 1024 === 0 || m[2])) found.add(n);
  }
  return [...found];
}

/**
 * "262k" on a page that also says 262,144 is 262,144; otherwise the abbreviation's own value. A
 * one-digit abbreviation ("1M", "2M") is read as it is: Anthropic's 1M is 1,000,000 where Google's is
 * 1,048,576, and a page that prints one model's 1,048,576 says nothing of another model's "1M".
 */
export function snapToExactFigure(reading: TokenCountReading, exact: readonly number[]): number {
  const abbr = reading.abbreviated;
  if (!abbr || String(abbr.mantissa).replace('.', '').replace(/^0+/, '').length < 2) return reading.value;
  const unit = abbr.scale / 10 ** abbr.decimals;
  const matches = exact.filter((e) => Math.abs(Math.round(e / unit) * unit - reading.value) < unit / 2);
  return matches.length === 1 ? matches[0] : reading.value;
}

/** A token count, snapped to an exact figure printed elsewhere on the page when one matches. */
export function parseTokenCount(text: string | number | null | undefined, exact: readonly number[] = []): number | null {
  const reading = readTokenCount(text);
  return reading ? snapToExactFigure(reading, exact) : null;
}

// ---------------------------------------------------------------- counts

const COUNT_SCALE: Record<string, number> = {
  k: 1e3, thousand: 1e3, m: 1e6, million: 1e6, b: 1e9, billion: 1e9, t: 1e12, trillion: 1e12,
};

const COUNT_NUMBER = String.raw`\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?`;
const COUNT_WORD = String.raw`thousand|million|billion|trillion|[kmbt](?![a-z])`;
const COUNT = new RegExp(String.raw`(${COUNT_NUMBER})\s*(${COUNT_WORD})?`, 'i');
// The figure called the total, before or after the word ("671B total", "total: 671B").
const FIGURE = String.raw`(?:${COUNT_NUMBER})\s*(?:${COUNT_WORD})?`;
const TOTAL_COUNT = new RegExp(String.raw`(${FIGURE})\s*(?:params?\s*)?total\b|\btotal\s*(?:params?\s*)?[:=]?\s*(${FIGURE})`, 'i');

/** A count such as a parameter count ("4B", "2.8T", "20.9B", "117 billion", "21,000,000,000"). */
export function parseCount(text: string | number | null | undefined): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (text == null || isNoValue(text) || misleading(text)) return null;
  // "8x7B" (experts times size), "16 GB" (a file size): no parameter count. "37B active / 671B total"
  // is its total; "3B active" alone says only what is active.
  if (/\d\s*x\s*\d/i.test(text) || /\d\s*(?:[KMGT]i?B)\b/.test(text)) return null;
  if (/\bactive\b/i.test(text)) {
    const total = text.match(TOTAL_COUNT);
    return total ? parseCount(total[1] ?? total[2]) : null;
  }
  const m = text.match(COUNT);
  if (!m) return null;
  const n = toNumber(m[1]);
  const scale = m[2] ? COUNT_SCALE[m[2].toLowerCase()] : 1;
  return Math.round(cleanNumber(n * scale));
}

// ---------------------------------------------------------------- booleans and strings

const TRUE_WORDS = /^(?:yes|y|true|supported|available|✓|✔|✔️|☑|✅|●)$/i;
const FALSE_WORDS = /^(?:no|n|false|not supported|unsupported|✗|✘|❌|×|✕|○)$/i;

/** Yes/No, ✓/✗, true/false; anything else is no value. */
export function parseBoolean(text: string | boolean | null | undefined): boolean | null {
  if (typeof text === 'boolean') return text;
  if (text == null) return null;
  const t = text.trim().replace(/^\*+|\*+$/g, '').trim();
  if (TRUE_WORDS.test(t)) return true;
  if (FALSE_WORDS.test(t)) return false;
  return null;
}

const LICENSE_ALIASES: Array<[RegExp, string]> = [
  [/^apache(?:[\s-]*(?:license|licence))?[\s-]*(?:v(?:ersion)?\s*)?2(?:\.0)?$/i, 'apache-2.0'],
  [/^mit(?:\s+license)?$/i, 'mit'],
  [/^proprietary$/i, 'proprietary'],
  [/^(?:cc[\s-]?by[\s-]?4\.0)$/i, 'cc-by-4.0'],
  [/^(?:cc[\s-]?by[\s-]?nc[\s-]?4\.0)$/i, 'cc-by-nc-4.0'],
];

/**
 * A license name as a lower-case slug ("Apache 2.0(OSI)" and "apache-2.0" -> "apache-2.0") so that
 * sources spelling it differently agree. Annotations in parentheses are dropped.
 */
export function parseLicense(text: string | null | undefined): string | null {
  if (text == null || isNoValue(text)) return null;
  const t = text.replace(/\([^)]*\)/g, '').trim();
  if (!t) return null;
  for (const [pattern, slug] of LICENSE_ALIASES) if (pattern.test(t)) return slug;
  return t.toLowerCase().replace(/\s+/g, '-');
}

// ---------------------------------------------------------------- sanity bounds

/** Why a value fails its field's plausible range, or undefined when it is plausible. */
export function boundsAnomaly(field: FieldName, value: unknown): string | undefined {
  const spec = FIELDS[field] as { kind: string; min?: number; max?: number };
  if (typeof value !== 'number') return undefined;
  if (!Number.isFinite(value)) return `${field} is not a finite number`;
  if (spec.min !== undefined && value < spec.min) return `${field} ${value} is below the plausible minimum ${spec.min}`;
  if (spec.max !== undefined && value > spec.max) return `${field} ${value} is above the plausible maximum ${spec.max}`;
  return undefined;
}
