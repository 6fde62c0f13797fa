/**
 * Reading claims out of tables, whichever way they are laid out:
 * - model columns: the first column labels a figure, each further column is a model
 *   (aggregator spec tables, capability grids, docs comparison tables);
 * - model rows: the first column names a model, each further column is a figure
 *   (pricing tables: Model | Input | Cached input | Output).
 */
import { routeName } from '../normalize/routes.ts';
import { isUnitLabel } from '../normalize/units.ts';
import type { ExtractedClaim } from '../schema/claim.ts';
import { FIELDS } from '../schema/fields.ts';
import { inferProvider, providerSlug, slugifyModelName } from '../normalize/identity.ts';
import { joinConditions, makeClaim } from './claims.ts';
import { isSkipped, labelBasis, labelMeaning, normalizeLabel, readCell, type CellContext, type LabelMeaning } from './labels.ts';
import { memoize } from './memo.ts';
import { cellLocator, type Table } from './tables.ts';
import { rowSubject, valueColumn } from './reading.ts';

export interface TableReadOptions extends CellContext {
  confidence: number;
  /** Provider for bare model names (first-party pages). */
  provider?: string;
  /** Model names the page is known to compare (aggregator title "A vs B"), in page order. */
  pageModels: readonly string[];
  /** Condition for the whole table (a pricing tab): applied to every figure read from it. */
  tableCondition?: (table: Table) => TableTier;
  /** Whether a header or first-column text names a model. */
  isModelName?: (text: string) => boolean;
  /** The model a figures-by-row table is about when neither its header nor its rows name one (its section's heading). */
  sectionSubject?: (table: Table) => string | undefined;
  /** The condition of figures marked "(beta)": the one beta header the page names (beta:HEADER); unset, they are not read. */
  betaCondition?: string;
  /** Read rows whose label sits after a group cell and whose one value spans all models. */
  spanSingleValues?: boolean;
  notes: string[];
}

/** What a table's tab or caption says about its prices. */
export interface TableTier {
  condition: string;
  batch: boolean;
  /** Set when the table holds figures the ledger does not track (image tokens): skip it. */
  skip?: string;
}

const NOT_MODELS = /^(?:winner|tie|difference|diff|notes?|comparison|signal|spec(?:ification)?s?|capabilit(?:y|ies)|features?|attributes?|pricing attribute|metric|category|description|details?|provider|source|field|value|property|benchmark|score|verdict|both|neither|-|—)$/i;

export function normalizeModelName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** A header or first-column text that names a model rather than a figure or a heading. */
export function defaultIsModelName(text: string, pageModels: readonly string[] = []): boolean {
  const t = text.trim();
  if (!t || t.length > 60 || NOT_MODELS.test(t)) return false;
  if (pageModels.some((m) => normalizeModelName(m) === normalizeModelName(t))) return true;
  return namesKnownProvidersModel(t);
}

// Pages repeat the same few hundred names in every table: judge each text once.
const namesKnownProvidersModel = memoize((text: string) => !labelMeaning(text) && inferProvider(slugifyModelName(text)) !== undefined);

function applyTier(meaning: LabelMeaning, tier: TableTier): LabelMeaning | string {
  if (!tier.batch) return meaning;
  if (meaning.field === 'input_price') return { field: 'batch_input_price', condition: meaning.condition };
  if (meaning.field === 'output_price') return { field: 'batch_output_price', condition: meaning.condition };
  if (meaning.field === 'batch_input_price' || meaning.field === 'batch_output_price') return meaning;
  if (meaning.field.endsWith('_price')) return `no ledger field for batch ${meaning.field}`;
  return meaning;
}

const NO_TIER: TableTier = { condition: '', batch: false };

/** Claims from one table; the table's layout is detected from its header and first column. */
export function readTable(whole: Table, opts: TableReadOptions): ExtractedClaim[] {
  const table = withUnitsRow(whole);
  const tier = opts.tableCondition?.(table) ?? NO_TIER;
  if (tier.skip) {
    opts.notes.push(`${table.locator}: skipped (${tier.skip})`);
    return [];
  }
  const isModel = opts.isModelName ?? ((t: string) => defaultIsModelName(t, opts.pageModels));
  const layout = tableLayout(table, opts.pageModels, isModel);
  if (layout === 'model-rows') return readModelRows(table, tier, opts);
  if (layout instanceof Map) return readModelColumns(table, layout, tier, opts);
  const subject = opts.sectionSubject?.(table);
  return subject ? readSubjectRows(table, subject, tier, opts) : [];
}

/**
 * A first row of units under the header ("| | $/1K tokens | $/1K tokens |"): part of each column's
 * header, not a row of figures, so the columns read in the unit it states.
 */
function withUnitsRow(table: Table): Table {
  const [first, ...rest] = table.rows;
  if (!first || (first[0] ?? '').trim() !== '') return table;
  const units = first.slice(1).filter((c) => c.trim() !== '');
  if (!units.length || !units.every(isUnitLabel)) return table;
  return { ...table, headers: table.headers.map((h, c) => (c > 0 && first[c]?.trim() ? `${h} (${first[c].trim()})` : h)), rows: rest, rowText: table.rowText.slice(1) };
}

/**
 * "| Input price | Free of charge | $1.25 |" under "## Gemini 2.5 Pro": each row a figure of the section's
 * model, read from the one column of list prices; a generic reading, so a lower confidence.
 */
function readSubjectRows(table: Table, subject: string, tier: TableTier, opts: TableReadOptions): ExtractedClaim[] {
  const labelled = table.rows.filter((r) => isFieldLabel(r[0] ?? '')).length;
  if (labelled === 0) return [];
  if (table.rows.some((r) => /^total\b/i.test((r[0] ?? '').trim()))) {
    opts.notes.push(`${table.locator}: a table with a Total row is a worked example or a bill, not list prices: not read`);
    return [];
  }
  const col = valueColumn(table.headers);
  if (col === null) {
    opts.notes.push(`${table.locator}: rows of figures for "${subject}" but no single column of list prices (${table.headers.slice(1).join(' / ')}): not read`);
    return [];
  }
  const basis = labelBasis(table.headers[col] ?? '');
  const ctx = { ...opts, confidence: opts.confidence - 0.1, priceBasis: basis ?? opts.priceBasis };
  const out: ExtractedClaim[] = [];
  table.rows.forEach((cells, r) => {
    const meaning = resolveMeaning(cells[0] ?? '', tier, table.locator, opts.notes);
    if (meaning) emit(out, table, r, col, subject, meaning, tier, ctx, `${table.headers[col] ?? ''}, section subject`);
  });
  return out;
}

function isFieldLabel(text: string): boolean {
  const meaning = labelMeaning(text);
  return meaning !== null && !isSkipped(meaning);
}

/**
 * 'model-rows' when the header names figures (Model | Input | Output), a map of column -> model when
 * the header names models (Spec | A | B, or empty cells the title names), null when neither.
 */
function tableLayout(table: Table, pageModels: readonly string[], isModel: (t: string) => boolean): 'model-rows' | Map<number, string> | null {
  const headers = table.headers;
  if (headers.length < 2) return null;
  const fieldHeaders = headers.slice(1).filter(isFieldLabel).length;
  const columns = new Map<number, string>();
  const allEmpty = headers.slice(1).every((h) => !h.trim());
  headers.forEach((h, i) => {
    if (i === 0) return;
    if (allEmpty && pageModels.length === headers.length - 1) columns.set(i, pageModels[i - 1]);
    else if (h.trim() && isModel(h)) columns.set(i, h.trim());
  });
  if (fieldHeaders > 0 && fieldHeaders >= columns.size) {
    // "Model", "Model name", and a vendor's "AI21 Labs models".
    const firstIsModel = /(?:^|\s)models?(?: name)?$/.test(normalizeLabel(headers[0]));
    const named = table.rows.filter((r) => isModel(r[0] ?? '')).length;
    return firstIsModel || (named > 0 && named >= table.rows.length / 2) ? 'model-rows' : null;
  }
  // A header of models needs row labels we can read; otherwise it is not a model-column table.
  if (columns.size > 0 && table.rows.some((r) => r.some((c) => labelMeaning(c) !== null))) return columns;
  return null;
}

const BETA_CELL = /\(beta\)/i;

function emit(
  out: ExtractedClaim[],
  table: Table,
  row: number,
  col: number,
  model: string,
  meaning: LabelMeaning,
  tier: TableTier,
  opts: TableReadOptions,
  columnName: string,
): void {
  const cell = table.rows[row]?.[col] ?? '';
  if (meaning.only && !meaning.only.test(cell.trim())) return;
  // "200K / 1M (beta)": the base figure, then one that holds only behind a beta header.
  const parts: Array<[string, string]> = [[cell, '']];
  if (BETA_CELL.test(cell)) {
    if (!opts.betaCondition) {
      opts.notes.push(`${cellLocator(table, row, col, columnName)}: "${cell}" holds under a beta the page does not name: not read`);
      return;
    }
    // Only token counts print "base / beta"; a price's slash is its unit ("$3 / MTok").
    const slash = FIELDS[meaning.field].kind === 'tokens' ? cell.split('/') : [cell];
    if (slash.length > 2) return;
    parts.splice(0, 1, ...(slash.length === 2 ? [[slash[0], ''], [slash[1], opts.betaCondition]] : [[cell, opts.betaCondition]]) as Array<[string, string]>);
  }
  const locator = cellLocator(table, row, col, columnName);
  for (const [text, beta] of parts) {
    for (const reading of readCell(meaning.field, text, opts)) {
      const condition = joinConditions(meaning.condition, reading.condition, tier.condition, beta);
      out.push(makeClaim({ name: model, field: meaning.field, value: reading.value, condition, locator, quote: table.rowText[row] || text, confidence: opts.confidence }, opts.provider));
    }
  }
}

function resolveMeaning(label: string, tier: TableTier, where: string, notes: string[]): LabelMeaning | null {
  const meaning = labelMeaning(label);
  if (!meaning) return null;
  if (isSkipped(meaning)) {
    notes.push(`${where} "${label.trim()}": skipped (${meaning.skip})`);
    return null;
  }
  const tiered = applyTier(meaning, tier);
  if (typeof tiered === 'string') {
    notes.push(`${where} "${label.trim()}": skipped (${tiered})`);
    return null;
  }
  return tiered;
}

/**
 * Normally the label is the first cell and column i holds model i. Docs pages flattened from HTML
 * with row groups and spans ("PRICING | 1M INPUT TOKENS (CACHE HIT) | $0.028") put the label later
 * and one value for all models; `spanSingleValues` reads those (only first-party pages enable it).
 */
function readModelColumns(table: Table, columns: Map<number, string>, tier: TableTier, tableOpts: TableReadOptions): ExtractedClaim[] {
  const out: ExtractedClaim[] = [];
  // The unit a row label or the corner cell states ("Input price per 1K tokens") overrides the table's, as a column header's does.
  const corner = labelBasis(table.headers[0] ?? '');
  table.rows.forEach((cells, r) => {
    const at = tableOpts.spanSingleValues ? cells.findIndex((c) => labelMeaning(c) !== null) : 0;
    if (at < 0) return;
    const meaning = resolveMeaning(cells[at] ?? '', tier, table.locator, tableOpts.notes);
    if (!meaning) return;
    const basis = labelBasis(cells[at] ?? '') ?? corner;
    const opts = basis ? { ...tableOpts, priceBasis: basis } : tableOpts;
    const values = cells.length - at - 1;
    if (at === 0 && (values >= table.headers.length - 1 || !opts.spanSingleValues)) {
      for (const [col, model] of columns) emit(out, table, r, col, model, meaning, tier, opts, model);
    } else if (values === 1) {
      for (const model of columns.values()) emit(out, table, r, at + 1, model, meaning, tier, opts, `${model}, one value for all`);
    } else if (values === columns.size) {
      [...columns.values()].forEach((model, i) => emit(out, table, r, at + 1 + i, model, meaning, tier, opts, model));
    } else {
      opts.notes.push(`${table.locator} row[${r + 1}] "${cells[at]}": ${values} values for ${columns.size} models, not read`);
    }
  });
  return out;
}

function readModelRows(table: Table, tier: TableTier, opts: TableReadOptions): ExtractedClaim[] {
  const meanings = new Map<number, { meaning: LabelMeaning; ctx: TableReadOptions }>();
  table.headers.forEach((h, c) => {
    if (c === 0) return;
    const meaning = resolveMeaning(h, tier, table.locator, opts.notes);
    // A header that states its own unit ("Price per 1,000 input tokens") overrides the table's.
    const basis = labelBasis(h);
    if (meaning) meanings.set(c, { meaning, ctx: basis && basis !== opts.priceBasis ? { ...opts, priceBasis: basis } : opts });
  });
  // Rows sharing a name (a spanned family cell over its sizes) cannot be told apart by it: not read.
  const seen = new Map<string, number>();
  for (const cells of table.rows) {
    const name = (cells[0] ?? '').trim();
    if (name) seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  const shared = new Set([...seen].filter(([, n]) => n > 1).map(([name]) => name));
  if (shared.size) opts.notes.push(`${table.locator}: ${shared.size} row name(s) stand on several rows ("${[...shared][0]}"): those rows are not read`);
  const pairColumn = table.headers.findIndex((h, c) => c > 0 && PAIR_HEADER.test(normalizeLabel(h)));
  const hostColumn = table.headers.findIndex((h, c) => c > 0 && HOST_HEADER.test(normalizeLabel(h)));
  let groupBasis = labelBasis(table.headers[pairColumn] ?? '');
  const out: ExtractedClaim[] = [];
  table.rows.forEach((cells, r) => {
    const group = cells.slice(1).find((c) => GROUP_UNIT.test(c.trim()));
    if (group) groupBasis = /million|1m\b/i.test(group) ? 'per_1m' : null;
    const row = rowSubject(cells[0] ?? '');
    if (!row.name || shared.has((cells[0] ?? '').trim())) return;
    const served = servedBy(row.name, hostColumn < 0 ? '' : (cells[hostColumn] ?? ''));
    if (served === null) return;
    const rowCondition = joinConditions(row.condition, served);
    const rowTier = rowCondition ? { ...tier, condition: joinConditions(tier.condition, rowCondition) } : tier;
    for (const [col, { meaning, ctx }] of meanings) emit(out, table, r, col, row.name, meaning, rowTier, ctx, table.headers[col] ?? '');
    if (pairColumn > 0 && groupBasis && !tier.batch) out.push(...pricePair(table, r, pairColumn, row.name, rowTier, { ...opts, priceBasis: groupBasis }));
  });
  return out;
}

const HOST_HEADER = /^(?:(?:inference |api )?provider|host(?:ed by)?|served by|platform)s?$/;

/**
 * The condition a row's Provider cell puts its figures under: none when it names the model's own
 * vendor (or is empty), `route:<host>` when it names another (Groq serving Llama); null, read no
 * figure, when the model's vendor is not known to tell which it is.
 */
function servedBy(model: string, cell: string): string | null {
  if (!cell.trim()) return '';
  const vendor = inferProvider(slugifyModelName(model));
  const named = providerSlug(cell);
  if (!vendor) return null;
  return named === vendor ? '' : `route:${routeName(cell)}`;
}

// A "Pricing" column whose cells hold two prices glued ("$0.20$0.50") under a group row stating "Per
// million tokens": input then output, the order such columns print. Any other shape is not read.
const PAIR_HEADER = /^(?:pricing|prices?)$/;
const GROUP_UNIT = /^per\s+(?:million|1m|image|request|second|minute|hour)\b[\w\s]*$/i;
const PAIR_CELL = /^\s*(\$\s*\d[\d,]*(?:\.\d+)?)\s*\/?\s*(\$\s*\d[\d,]*(?:\.\d+)?)\s*$/;

function pricePair(table: Table, row: number, col: number, model: string, tier: TableTier, opts: TableReadOptions): ExtractedClaim[] {
  const m = (table.rows[row]?.[col] ?? '').match(PAIR_CELL);
  if (!m) return [];
  const out: ExtractedClaim[] = [];
  const pairOpts = { ...opts, confidence: opts.confidence - 0.1 };
  const sides: Array<[string, LabelMeaning]> = [[m[1], { field: 'input_price' }], [m[2], { field: 'output_price' }]];
  for (const [text, meaning] of sides) {
    const value = readCell(meaning.field, text, pairOpts)[0];
    if (!value) return [];
    out.push(
      makeClaim(
        {
          name: model,
          field: meaning.field,
          value: value.value,
          condition: tier.condition,
          locator: `${cellLocator(table, row, col, `${table.headers[col]}, ${meaning.field === 'input_price' ? 'first' : 'second'} of two prices`)}`,
          quote: table.rowText[row] || text,
          confidence: pairOpts.confidence,
        },
        opts.provider,
      ),
    );
  }
  return out;
}
