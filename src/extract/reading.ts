/**
 * The generic reading layer the page extractors share, for pages nobody wrote an extractor for:
 * what a row or a page is about (its subject), the conditions a model name or a cell states, the
 * unit a page states once above a table, key-value lines and single-model pages. Every reading
 * refuses to guess: a figure it cannot tie to one model, one field and one condition is not claimed.
 */
import { condition as conditions } from '../schema/condition.ts';
import { parsePrice, parseTokenCount, priceBasisOf, statedPriceBasis, type PriceBasis } from '../normalize/units.ts';
import { FIELDS, type FieldName } from '../schema/fields.ts';
import { isSkipped, labelMeaning, maximumFigure } from './labels.ts';
import type { Page, Table, TextBlock } from './tables.ts';

/** Conditions the generic readings state (free-form parts of the condition grammar). */
export const READ_CONDITIONS = {
  latencyOptimized: 'latency_optimized',
  fineTuned: 'fine_tuned',
  batch: 'batch',
  modality: (kind: 'audio' | 'image'): string => `modality:${kind}`,
  beta: (header: string): string => `beta:${header}`,
  context: conditions.context,
};

// A status badge after the name, not part of it. "(Preview)" is: a preview is a model of its own.
const STATUS_SUFFIX = /\s*\((?:deprecated|legacy|retired|new|latest|default|recommended|stable)\)\s*$/i;
// "gpt-4o (→ gpt-4o-2024-08-06)": which snapshot the name points at, no part of the name.
const POINTER = /^\((?:→|->|=>|points? to|alias(?:es)?(?: of| for)?|currently)\s*[^)]*\)\s*$/i;

/** The name without a last aside that points at another name; tested on that aside alone, which stays linear on long cells. */
function withoutPointer(name: string): string {
  const open = name.lastIndexOf('(');
  return open >= 0 && POINTER.test(name.slice(open)) ? name.slice(0, open) : name;
}
const PREVIEW_SUFFIX = /\s*\(preview\)\s*$/i;
const LATENCY_OPTIMIZED = /\s*\((?:w\/|with)\s*latency[- ]optimi[sz]ed(?: inference)?\)\s*/i;

/** A model cell's name and the condition it states: "Nova Pro (w/ latency optimized inference)". */
export function rowSubject(cell: string): { name: string; condition: string } {
  let name = cell.trim();
  let condition = '';
  if (LATENCY_OPTIMIZED.test(name)) {
    name = name.replace(LATENCY_OPTIMIZED, ' ').trim();
    condition = READ_CONDITIONS.latencyOptimized;
  }
  return { name: withoutPointer(name).replace(STATUS_SUFFIX, '').replace(PREVIEW_SUFFIX, ' preview').trim(), condition };
}

/**
 * The basis of a table's bare price figures: what the texts above it state, else per 1M tokens,
 * unless the page's text states prices per 1K tokens, per token, in cents or in another currency
 * somewhere this reading does not tie to the table (a note two paragraphs up, "Rates per 1K tokens",
 * "All prices are in euros"), or a Currency column does: then which basis is the table's, the page
 * does not say, and its bare figures are not read.
 */
export function tableBasis(table: Table, pageStatesOtherBasis: boolean): PriceBasis {
  const stated = statedBasis([...table.context, table.caption, table.heading]);
  if (stated) return stated;
  // A Currency column that names another than USD: its rows' bare figures are that currency.
  const currency = table.headers.findIndex((h) => /^\s*currency\s*$/i.test(h));
  if (currency >= 0 && table.rows.some((r) => !/^\s*(?:usd|us\$|\$)?\s*$/i.test(r[currency] ?? ''))) return 'unread';
  return pageStatesOtherBasis ? 'unread' : 'per_1m';
}

/** Whether a page's text states prices per 1K tokens, per token, in cents or in another currency anywhere (see tableBasis); read once a page. */
export function statesOtherBasis(page: Page): boolean {
  return page.blocks.some(
    (b) => b.kind !== 'code' && /\$|\bprices?\b|\bcosts?\b|\brates?\b|\bpricing\b/i.test(b.text) && ['per_1k', 'per_token', 'unread'].includes(statedPriceBasis(b.text) ?? ''),
  );
}

/** The unit the short texts above a table state ("Cost per 1,000 tokens"), if they state one. */
export function statedBasis(texts: readonly string[]): PriceBasis | null {
  for (const text of [...texts].reverse()) {
    if (!/\b(?:price|cost|pricing)s?\b/i.test(text)) continue;
    const basis = statedPriceBasis(text);
    if (basis) return basis;
  }
  return null;
}

// ---------------------------------------------------------------- tables about the section's model

const TAB_HEADING = /^(?:standard|batch|flex|priority|scale)(?:\s+(?:tier|processing|api|pricing))?$/i;

const WORKED_EXAMPLE = /\b(?:example|calculation|breakdown|estimate)s?\b/i;

function lineOf(locator: string): number {
  return Number(locator.match(/line (\d+)/)?.[1] ?? -1);
}

/** A heading with the decoration pages add after a name (emoji, mojibake) taken off. */
export function cleanHeading(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The model a table is about when its rows are figures and its columns are not models ("| Input
 * price | Free | $1.25 |" under "## Gemini 2.5 Pro"): the nearest heading above it that is not a
 * tab label, if that heading names a model. Any other heading in between ends the section.
 */
export function sectionSubject(table: Table | TextBlock, headings: readonly TextBlock[], isModelName: (text: string) => boolean): string | undefined {
  const at = lineOf(table.locator);
  if (at < 0) return undefined;
  for (let i = headings.length - 1; i >= 0; i--) {
    const line = lineOf(headings[i].locator);
    if (line < 0 || line >= at) continue;
    const text = cleanHeading(headings[i].text);
    if (TAB_HEADING.test(text)) continue;
    return isModelName(text) && !WORKED_EXAMPLE.test(text) ? text : undefined;
  }
  return undefined;
}

/**
 * The one column of a figures-by-row table that holds the model's list prices: the only valued
 * column, or the one headed "Paid" beside a "Free" one. Several candidates: null (never a guess).
 */
export function valueColumn(headers: readonly string[]): number | null {
  const candidates = headers.map((h, i) => ({ h: h.trim(), i })).filter(({ h, i }) => i > 0 && !/^free\b/i.test(h));
  if (candidates.length === 1) return candidates[0].i;
  const paid = candidates.filter(({ h }) => /\bpaid\b/i.test(h));
  return paid.length === 1 ? paid[0].i : null;
}

// ---------------------------------------------------------------- the page's subject, key-value lines

const KEY_VALUE = /^\s*(?:[-*•]\s+)?(?:\*\*)?(\p{L}[^:：]{1,40}?)(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*(.+?)\s*$/u;
const MODEL_KEY = /^(?:model(?: id| name)?|model_name)$/i;
const URL_LINE = /^\s*(?:source|url(?: source)?)\s*[:：]\s*(https?:\/\/\S+)/im;
// A figure the page itself does not vouch for.
const HEDGED = /\b(?:not listed|not stated|not published|estimate[sd]?|unverified|approx(?:imately)?|about|roughly|~)\b/i;

export interface KeyValueLine {
  key: string;
  value: string;
  line: number;
}

/** "Context length: 160k tokens", "上下文长度：128K", "- **License:** MIT": one per line. */
export function keyValueLines(body: string): KeyValueLine[] {
  const out: KeyValueLine[] = [];
  body.split(/\r?\n/).forEach((text, i) => {
    if (text.length > 400 || text.includes('|')) return;
    const m = text.match(KEY_VALUE);
    if (m && !/^https?$/i.test(m[1].trim())) out.push({ key: m[1].trim(), value: m[2].replace(/\*\*$/, '').trim(), line: i + 1 });
  });
  return out;
}

/**
 * The one model a page is about, when it says so: a "Model ID:" line, the front matter's model
 * name or title, the first heading, or the last segment of the page's URL, whichever first names a
 * model. Undefined when none does: figures of a page about nothing in particular are not claimed.
 */
export function pageSubject(body: string, page: { title: string; frontMatter: Record<string, unknown>; blocks: readonly TextBlock[] }, isModelName: (text: string) => boolean): string | undefined {
  const lines = keyValueLines(body.slice(0, 5000));
  const declared = lines.find((l) => MODEL_KEY.test(l.key))?.value.replace(/`/g, '').split('/').pop();
  const heading = page.blocks.find((b) => b.kind === 'heading')?.text;
  const url = body.slice(0, 2000).match(URL_LINE)?.[1] ?? (typeof page.frontMatter.url === 'string' ? page.frontMatter.url : undefined);
  const slug = url?.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop();
  const candidates = [declared, page.frontMatter.model_name, page.frontMatter.title, heading, slug];
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const name = cleanHeading(c);
    if (name && name.length <= 60 && isModelName(name)) return name;
  }
  return undefined;
}

export interface KeyValueFigure {
  field: FieldName;
  value: number;
  condition: string;
  line: KeyValueLine;
}

const SIDE_PRICE = /\b(cached input|input|output)\s+(\$\s*\d[\d,]*(?:\.\d+)?\s*(?:\/\s*1?\s*M(?:Tok)?\b|per\s+(?:1\s*M|million)\b)[^,;]*)/gi;

/**
 * Figures in key-value lines: a key that names a field ("Context length", "Max output tokens"), or a
 * pricing key whose value lists "input $0.56 / 1M tokens, output $1.68 / 1M tokens". A hedged value
 * ("not listed", "estimate", "unverified") is no figure.
 */
const PLAIN_PRICING_KEY = /^(?:(?:api|token|model|standard)\s+)?(?:pric(?:e|es|ing))(?:\s+per\b.*)?$/i;

/**
 * The token figure a limit's value states: its first, unless more follow outside an aside, where
 * the one called the maximum ("4K default, 8K maximum") is it, and without one none is.
 */
function limitFigure(value: string): string | null {
  const lead = value.match(/^[\d.,]+\s*[kKmM]?(?![a-z])/)?.[0];
  if (!lead) return null;
  const rest = value.slice(lead.length);
  if (!/\d/.test(rest) || /^\s*(?:tokens?\s*)?\(/i.test(rest)) return lead;
  return maximumFigure(value);
}

export function keyValueFigures(lines: readonly KeyValueLine[], exactTokens: readonly number[]): KeyValueFigure[] {
  const out: KeyValueFigure[] = [];
  for (const line of lines) {
    if (HEDGED.test(line.value)) continue;
    const meaning = labelMeaning(line.key);
    if (meaning && !isSkipped(meaning) && !meaning.only && FIELDS[meaning.field].kind === 'tokens') {
      const value = parseTokenCount(limitFigure(line.value) ?? '', exactTokens);
      if (value !== null) out.push({ field: meaning.field, value, condition: meaning.condition ?? '', line });
      continue;
    }
    // "Pricing:", "API pricing (per 1M tokens):"; not "Off-peak pricing", "Batch pricing", "Long context pricing".
    if (!PLAIN_PRICING_KEY.test(line.key.replace(/\([^)]*\)/g, ' ').trim())) continue;
    for (const m of line.value.matchAll(SIDE_PRICE)) {
      const value = parsePrice(m[2], 'per_1m');
      if (value === null || !priceBasisOf(m[2])) continue;
      const side = m[1].toLowerCase();
      out.push({ field: side === 'input' ? 'input_price' : side === 'output' ? 'output_price' : 'cached_input_price', value, condition: '', line });
    }
  }
  return out;
}

// ---------------------------------------------------------------- flattened per-model cards

export interface CardFigure {
  /** Which reading found it, for the claim's locator. */
  reading: 'text card' | 'flattened table';
  model: string;
  field: FieldName;
  value: number;
  condition: string;
  line: number;
  quote: string;
}

const CARD_HEAD = /^[A-Z][A-Z0-9.\- ]{1,40}$/;
const CARD_PRICE = /^\$\s*\d[\d,]*(?:\.\d+)?\s*\/\s*1M\s+tokens$/;
const CARD_LABELS: Record<string, FieldName | 'skip'> = { input: 'input_price', output: 'output_price', 'input usage': 'input_price', 'output usage': 'output_price', usage: 'input_price', training: 'skip' };
// Section headings of the models listed below them ("IMAGE MODELS"), not widgets ("VISION PRICING CALCULATOR").
const SECTION_HEAD = /\bmodels$|^fine[- ]?tuning\b/i;
const NOT_TOKEN_SECTION = /^(?:image|audio|video|speech|vision)\b/i;

/**
 * Pricing pages flattened to text print each model as a card: its name in capitals, then label and
 * price lines ("Input" / "$10.00 / 1M tokens"). A card is read only when every label it holds is
 * known and each is followed by a price per 1M tokens; a card under a fine-tuning heading is the
 * fine-tuned model's price, under an image or audio heading it is not a token price at all.
 */
export function readTextCards(body: string): CardFigure[] {
  const lines = body.split(/\r?\n/).map((l) => l.replace(/\u00a0/g, ' ').trim());
  const out: CardFigure[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    if (!CARD_HEAD.test(lines[i])) continue;
    const pairs: Array<{ field: FieldName | 'skip'; price: string; line: number }> = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]) j++;
    for (; j + 1 < lines.length; j += 2) {
      const field = CARD_LABELS[lines[j].toLowerCase()];
      if (!field || !CARD_PRICE.test(lines[j + 1])) break;
      pairs.push({ field, price: lines[j + 1], line: j + 2 });
    }
    if (pairs.length === 0 || lines[j]) {
      if (pairs.length === 0 && SECTION_HEAD.test(lines[i])) section = lines[i];
      continue;
    }
    if (NOT_TOKEN_SECTION.test(section)) continue;
    const condition = /fine[- ]?tun/i.test(section) ? READ_CONDITIONS.fineTuned : '';
    const model = lines[i].toLowerCase();
    for (const p of pairs) {
      if (p.field === 'skip') continue;
      const value = parsePrice(p.price, 'per_1m');
      if (value !== null) out.push({ reading: 'text card', model, field: p.field, value, condition, line: p.line, quote: `${lines[i]} ${p.price}` });
    }
    i = j - 1;
  }
  return out;
}

// ---------------------------------------------------------------- tables flattened into one run of text

const FLAT_HEADER = /^Model\s*(?:Endpoint|API name|ID)\s*((?:(?:Input|Output)\s*\((?:USD|EUR)\)\s*)+)/;
const FLAT_COLUMN = /(Input|Output)\s*\((USD|EUR)\)/g;
const FLAT_PRICE = /(\d+(?:\.\d+)?)\s*([$€])\s*\/\s*1M\s+tokens/g;
const API_ID = /^[a-z][a-z0-9.]*(?:-[a-z0-9.]+)+$/;

/**
 * "Mistral Smallmistral-small-latest": a display name glued to its API id. The id starts where the
 * rest is a lower-case dashed id beginning with "open-" or with the name's first word; exactly one
 * such split, or none is made.
 */
export function splitGluedId(chunk: string): { name: string; id: string } | null {
  const found: Array<{ name: string; id: string }> = [];
  for (let p = 1; p < chunk.length; p++) {
    const id = chunk.slice(p);
    const name = chunk.slice(0, p).trim();
    if (!name || chunk[p - 1] === '-' || !API_ID.test(id)) continue;
    const first = name.split(/\s+/)[0].toLowerCase();
    if (id.startsWith('open-') || id.startsWith(first)) found.push({ name, id });
  }
  return found.length === 1 ? found[0] : null;
}

/**
 * A table flattened into text with no separators ("ModelEndpointInput (USD)Output (USD)Mistral
 * 7Bopen-mistral-7b0.25$ / 1M tokens0.25$ / 1M tokens"): the header names the price columns and
 * their currency; each row is a name glued to its id, then one price per column. Only USD columns
 * are read, and a row whose cells do not match the columns' currencies ends the reading.
 */
export function readFlattenedTables(body: string): CardFigure[] {
  const lines = body.split(/\r?\n/);
  const out: CardFigure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i].match(FLAT_HEADER);
    if (!header) continue;
    const columns = [...header[1].matchAll(FLAT_COLUMN)].map((m) => ({ side: m[1].toLowerCase(), currency: m[2] === 'USD' ? '$' : '€' }));
    let end = i;
    while (end + 1 < lines.length && lines[end + 1].trim()) end++;
    const text = lines.slice(i, end + 1).map((l) => l.trim()).join(' ').slice(header[0].length);
    const prices = [...text.matchAll(FLAT_PRICE)];
    let at = 0;
    let cursor = 0;
    while (at + columns.length <= prices.length) {
      const label = text.slice(cursor, prices[at].index).trim();
      const cells = prices.slice(at, at + columns.length);
      const glued = cells.every((c, k) => k === 0 || !text.slice((cells[k - 1].index ?? 0) + cells[k - 1][0].length, c.index).trim());
      if (!glued || cells.some((c, k) => c[2] !== columns[k].currency)) break;
      const split = splitGluedId(label);
      if (split) {
        cells.forEach((c, k) => {
          if (columns[k].currency !== '$') return;
          out.push({ reading: 'flattened table', model: split.name, field: columns[k].side === 'input' ? 'input_price' : 'output_price', value: Number(c[1]), condition: '', line: i + 1, quote: `${label} ${cells.map((x) => x[0]).join(' ')}` });
        });
      }
      const last = cells[cells.length - 1];
      cursor = (last.index ?? 0) + last[0].length;
      at += columns.length;
    }
    i = end;
  }
  return out;
}

/**
 * The condition of the page's "(beta)" figures: `beta:HEADER` when the page names exactly one beta
 * header ("the `context-1m-2025-08-07` beta header"), else undefined (such figures are not read).
 */
export function betaCondition(text: string): string | undefined {
  const headers = new Set([...text.matchAll(/`([a-z][a-z0-9-]*-\d{4}-\d{2}-\d{2})`\s+beta header/gi)].map((m) => m[1].toLowerCase()));
  return headers.size === 1 ? READ_CONDITIONS.beta([...headers][0]) : undefined;
}

// "supports a 1M token context window", "with a 1 million token context window".
const SUBJECT_CONTEXT = /\b(\d+(?:\.\d+)?)\s*(k|m|thousand|million)?[\s-]+tokens?[\s-]+context[\s-]+window\b/gi;

export interface SectionFigure {
  model: string;
  value: number;
  block: TextBlock;
}

/**
 * A context window a paragraph states under a model's heading, naming no model itself: the section's
 * model's. One figure per paragraph, else none (two figures in one paragraph are not told apart).
 */
export function sectionContextWindows(blocks: readonly TextBlock[], isModelName: (text: string) => boolean): SectionFigure[] {
  const headings = blocks.filter((b) => b.kind === 'heading');
  const out: SectionFigure[] = [];
  for (const block of blocks) {
    if (block.kind !== 'paragraph' || /\bbeta\b/i.test(block.text)) continue;
    const found = [...block.text.matchAll(SUBJECT_CONTEXT)];
    if (found.length !== 1) continue;
    const model = sectionSubject(block, headings, isModelName);
    if (!model) continue;
    const [, digits, scale] = found[0];
    const factor = !scale ? 1 : /^(?:k|thousand)$/i.test(scale) ? 1e3 : 1e6;
    const value = Math.round(Number(digits) * factor);
    if (value >= 1024) out.push({ model, value, block });
  }
  return out;
}
