/**
 * What a row label or column header means: the ledger field it holds and any condition it implies
 * ("1h Cache Writes" -> cache_write_price under cache_ttl:1h). Patterns are anchored so that
 * "Tool use system prompt token count" is not "Tool use" and "Output speed" is not "Output".
 */
import type { ClaimValue } from '../schema/claim.ts';
import { FIELDS, type FieldName } from '../schema/fields.ts';
import { parseDate } from '../normalize/dates.ts';
import { isNoValue, notOnePrice, parseBoolean, parseCount, parseLicense, parsePrice, parseTokenCount, statedPriceBasis, type PriceBasis } from '../normalize/units.ts';
import { condition } from '../schema/condition.ts';

export interface LabelMeaning {
  field: FieldName;
  condition?: string;
  /** For loose labels ("Type"): the cell is read only when its text matches. */
  only?: RegExp;
}

/** A label we recognise but deliberately do not read, with the reason. */
export interface SkippedLabel {
  skip: string;
}

const RULES: Array<[RegExp, LabelMeaning | SkippedLabel]> = [
  [/^cheapest (?:tracked )?(?:output|input)(?: price)?$/, { skip: 'a "cheapest" price is the minimum across routes, not the model\'s own price' }],
  [/^(?:context(?: window| length| size)?|max(?:imum)? context(?: tokens| length)?|input context(?: window)?)$/, { field: 'context_window' }],
  // An input limit is its own field: GPT-5 takes 272K input tokens of a 400K window.
  [/^max(?:imum)? input(?: tokens| length)?$|^input (?:token )?limit$/, { field: 'max_input_tokens' }],
  [/^max(?:imum)? output(?: tokens| length)?$|^output (?:token )?limit$/, { field: 'max_output_tokens' }],
  [/^(?:model )?(?:released?|release date|launch(?:ed| date)?)$/, { field: 'release_date' }],
  [/^(?:knowledge cut-?off(?: date)?|training data cut-?off|training cut-?off|cut-?off)$/, { field: 'knowledge_cutoff' }],
  [/^(?:param(?:eter)?s|parameter count|model size|total param(?:eter)?s)$/, { field: 'parameters' }],
  [/^licen[sc]e$/, { field: 'license' }],
  [/^type$/, { field: 'license', only: /^(?:proprietary|apache[\s-]*2(?:\.0)?|mit)$/i }],
  [/^(?:openness|open weights?|weights)$/, { field: 'open_weights' }],
  [/^batch input(?: price| tokens)?$/, { field: 'batch_input_price' }],
  [/^batch output(?: price| tokens)?$/, { field: 'batch_output_price' }],
  [/^(?:1h|1 ?hour|one hour) cache writes?(?: price)?$/, { field: 'cache_write_price', condition: condition.cacheTtl('1h') }],
  [/^(?:(?:5m|5 ?min(?:ute)?s?) )?(?:prompt )?cache (?:writes?|creation)(?: price| tokens)?$/, { field: 'cache_write_price' }],
  [/^(?:cached input(?: price| tokens)?|cache (?:hits?|reads?)(?: (?:&|and) refreshes)?(?: price| tokens)?|context caching(?: price)?|input(?: tokens)? \(cache hits?\))$/, { field: 'cached_input_price' }],
  [/^(?:(?:base )?input(?: price| cost| tokens)?|input(?: tokens)? \(cache miss(?:es)?\)|prompt(?: price)?)$/, { field: 'input_price' }],
  [/^(?:output(?: price| cost| tokens)?|completion(?: price)?)$/, { field: 'output_price' }],
  [/^(?:vision|image input|images?)$/, { field: 'vision' }],
  [/^(?:reasoning(?: mode)?|extended thinking|thinking(?: mode)?)$/, { field: 'reasoning' }],
  [/^function calling$/, { field: 'function_calling' }],
  [/^(?:tool use|tool calls?|tools)$/, { field: 'tool_use' }],
  [/^(?:structured outputs?|json schema)$/, { field: 'structured_outputs' }],
  [/^(?:code execution|code interpreter)$/, { field: 'code_execution' }],
  [/^audio input$/, { field: 'audio_input' }],
  [/^audio output$/, { field: 'audio_output' }],
];

export function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`:]+/g, ' ')
    // A footnote marker glued to the label: "max output tokens(3)".
    .replace(/(?<=\w)\(\d{1,2}\)\s*$/, '')
    // "Input Tokens ($/1M)": the unit aside; the column's basis is read from the header itself (labelBasis).
    .replace(/\s*\(\s*(?:\$|usd)?\s*\/\s*(?:1\s*)?(?:m|k|mtok|million|thousand)\s*\)\s*$/, '')
    .replace(/\s*\(?(?:usd|\$|per 1m tokens|\/ ?1m|\/ ?mtok)\)?\s*$/g, '')
    .replace(/^(?:per )?1m (?=(?:input|output) )/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The field a label names, a reason it is skipped, or null when it is not a figure we track. */
export function labelMeaning(label: string): LabelMeaning | SkippedLabel | null {
  const key = normalizeLabel(label);
  if (!key) return null;
  for (const [pattern, meaning] of RULES) if (pattern.test(key)) return meaning;
  // "Output price (including thinking tokens)", "Input price (text, image, video)": the aside does not change the figure.
  const aside = key.match(ASIDE);
  if (aside && !QUALIFIER.test(key)) return labelMeaning(key.slice(0, aside.index));
  return HAS_UNIT_PHRASE.test(key) || QUALIFIER.test(key) ? unitHeaderMeaning(key) : null;
}

// "Price per 1,000 input tokens (batch)", "Paid Tier, per 1M tokens in USD": the unit is said once in
// the header; what is left names the figure, and a trailing qualifier says which price it is.
const UNIT_PHRASE = /\b(?:price|cost)s?\b|(?:\/|\bper\b)\s*(?:1\s*)?(?:1,000,000|1,000|1000000|1000|k|m|mtok|million|thousand)\b(?:\s*tokens?)?|\bin usd\b/gi;
const ASIDE = /\s*\((?:including|incl\.?|text)\b[^)]*\)$/;
const HAS_UNIT_PHRASE = new RegExp(UNIT_PHRASE.source, 'i');
const QUALIFIER = /\((batch|cache (?:read|write|hit)s?)\)\s*$/;

function unitHeaderMeaning(key: string): LabelMeaning | null {
  const qualifier = key.match(QUALIFIER)?.[1];
  const rest = key.replace(QUALIFIER, '').replace(UNIT_PHRASE, ' ').replace(/[,]/g, ' ').replace(/\s+/g, ' ').trim();
  const side = rest.match(/^(input|output)(?: tokens?)?$/)?.[1];
  if (!side) return null;
  if (!qualifier) return { field: side === 'input' ? 'input_price' : 'output_price' };
  if (qualifier === 'batch') return { field: side === 'input' ? 'batch_input_price' : 'batch_output_price' };
  if (side !== 'input') return null;
  return { field: /write/.test(qualifier) ? 'cache_write_price' : 'cached_input_price' };
}

/** The price basis a column header states ("Price per 1,000 input tokens" -> per_1k), if any. */
export function labelBasis(label: string): PriceBasis | null {
  return statedPriceBasis(label.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
}

export function isSkipped(m: LabelMeaning | SkippedLabel | null): m is SkippedLabel {
  return m !== null && 'skip' in m;
}

// ---------------------------------------------------------------- cell values

export interface CellContext {
  /** Exact token figures printed elsewhere on the page (see snapToExactFigure). */
  exactTokens: readonly number[];
  priceBasis: PriceBasis;
}

export interface CellReading {
  value: ClaimValue;
  /** A condition the cell itself states (the upper tier of "$1.25 / $2.50 above 200k"). */
  condition?: string;
}

const OPEN = /^(?:open(?:[\s-](?:source|weights?))?|open-weight|yes)$/i;
const CLOSED = /^(?:proprietary|closed(?:[\s-](?:source|weights?))?|no)$/i;

/** The figure a text calls the maximum, after the word or before it ("DEFAULT: 4K MAXIMUM: 8K", "4K default, 8K maximum"), if any. */
export function maximumFigure(text: string): string | null {
  return text.match(/max(?:imum)?\s*[:=]?\s*([\d.,]+\s*[kKmM]?)/i)?.[1] ?? text.match(/([\d.,]+\s*[kKmM]?)\s*max(?:imum)?\b/i)?.[1] ?? null;
}

/** A cell that states a maximum: that is the limit. */
function maximumPart(cell: string): string {
  return maximumFigure(cell) ?? cell;
}

const TIER_SPLIT = /(?=\$\s*\d)/;
const ABOVE = /(?:>|above|over|more than|greater than|longer than)\s*=?\s*(\d[\d,.]*)\s*([kKmM])?/i;

const LABEL_BEFORE_PRICE = new RegExp(ABOVE.source + String.raw`[^$\d]*:\s*(?:US)?\$`, 'i');

function tokensOf(digits: string, suffix?: string): number {
  const n = Number(digits.replace(/,/g, ''));
  return Math.round(n * (suffix ? (/k/i.test(suffix) ? 1e3 : 1e6) : 1));
}

// Parts of a price cell that are not a per-token list price: storage by the hour, per image, per query.
const NOT_PER_TOKEN = /\bper\s+(?:hour|day|month|image|request|query|search|second|minute)\b|\bper\s+[\dkK/]+\s*images?\b|\bstorage\b|\/\s*1,000\s+(?:search|grounded|quer|request)/i;
// "(text / image / video)", "(audio)": which tokens a price is for.
const MODALITY = /\(([^)]*)\)/;

/** The condition a price part's modality aside states: '' for text, null when it is not a token modality we track. */
function modalityCondition(part: string): string | null {
  const aside = part.match(MODALITY)?.[1]?.toLowerCase();
  if (!aside || /\btext\b/.test(aside)) return '';
  if (/\baudio\b/.test(aside)) return 'modality:audio';
  if (/\bimage\b/.test(aside)) return 'modality:image';
  return null;
}

/**
 * "$1.25, prompts <= 200k tokens $2.50, prompts > 200k tokens" -> base 1.25, context>200000 2.5;
 * "$0.30 (text / image / video) $1.00 (audio)" -> base 0.3, modality:audio 1. Storage, per-image and
 * per-query parts are dropped. A lone price is the base whatever modality it names (a TTS model's
 * audio output is its output price). Two base readings in one cell are ambiguous: none is read.
 */
function readTieredPrices(cell: string, basis: PriceBasis): CellReading[] {
  // "$1.25 (over 200K: $2.50)", ">200K: $2.50": a tier label before its price, where the parts
  // below take a label after it (Google's "$2.50, prompts > 200k tokens"). Read as none, not swapped;
  // and a cell that is a range, a floor, a share or another currency as a whole, before its parts.
  if (LABEL_BEFORE_PRICE.test(cell) || notOnePrice(cell)) return [];
  const parts = cell.split(TIER_SPLIT).filter((p) => /\$\s*\d/.test(p) && !NOT_PER_TOKEN.test(p));
  if (parts.length < 2 && !ABOVE.test(cell)) {
    if (parts.length === 0 && /\$\s*\d/.test(cell)) return [];
    const value = parsePrice(parts[0] ?? cell, basis);
    return value === null ? [] : [{ value }];
  }
  const readings: CellReading[] = [];
  for (const part of parts) {
    const value = parsePrice(part, basis);
    if (value === null) continue;
    const above = part.match(ABOVE);
    if (above) {
      readings.push({ value, condition: condition.context(tokensOf(above[1], above[2])) });
      continue;
    }
    const modality = modalityCondition(part);
    if (modality === null) continue;
    readings.push(modality ? { value, condition: modality } : { value });
  }
  if (readings.filter((r) => !r.condition).length > 1) return [];
  return readings;
}

/** The values a cell holds for a field (a price cell may hold two tiers); [] when it holds none. */
export function readCell(field: FieldName, cell: string, ctx: CellContext): CellReading[] {
  if (isNoValue(cell)) return [];
  const kind = FIELDS[field].kind;
  let value: ClaimValue | null = null;
  switch (kind) {
    case 'usd_per_mtok':
      return readTieredPrices(cell, ctx.priceBasis);
    case 'tokens':
      value = parseTokenCount(maximumPart(cell), ctx.exactTokens);
      break;
    case 'date':
      value = parseDate(cell);
      break;
    case 'count':
      value = parseCount(cell);
      break;
    case 'string':
      value = parseLicense(cell);
      break;
    case 'boolean':
      if (field === 'open_weights') {
        const t = cell.trim();
        value = OPEN.test(t) ? true : CLOSED.test(t) ? false : null;
      } else value = parseBoolean(cell);
      break;
  }
  return value === null ? [] : [{ value }];
}
