/**
 * Reading claims out of tables, whichever way they are laid out:
 * - model columns: the first column labels a figure, each further column is a model
 *   (aggregator spec tables, capability grids, docs comparison tables);
 * - model rows: the first column names a model, each further column is a figure
 *   (pricing tables: Model | Input | Cached input | Output).
 */
import type { ExtractedClaim } from '../schema/claim.ts';
import type { FieldName } from '../schema/fields.ts';
import { inferProvider, slugifyModelName } from '../normalize/identity.ts';
import { joinConditions, makeClaim } from './claims.ts';
import { isSkipped, labelMeaning, normalizeLabel, readCell, type CellContext, type LabelMeaning } from './labels.ts';
import { cellLocator, type Table } from './tables.ts';

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
  if (labelMeaning(t)) return false;
  return inferProvider(slugifyModelName(t)) !== undefined;
}

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
export function readTable(table: Table, opts: TableReadOptions): ExtractedClaim[] {
  const tier = opts.tableCondition?.(table) ?? NO_TIER;
  if (tier.skip) {
    opts.notes.push(`${table.locator}: skipped (${tier.skip})`);
    return [];
  }
  const isModel = opts.isModelName ?? ((t: string) => defaultIsModelName(t, opts.pageModels));
  const columns = modelColumns(table, opts.pageModels, isModel);
  if (columns.size > 0) return readModelColumns(table, columns, tier, opts);
  if (looksRowOriented(table, isModel)) return readModelRows(table, tier, opts);
  return [];
}

/** Column index -> model name, for tables whose header names models (empty cells: the page's models). */
function modelColumns(table: Table, pageModels: readonly string[], isModel: (t: string) => boolean): Map<number, string> {
  const columns = new Map<number, string>();
  const headers = table.headers;
  if (headers.length < 2 || /^models?(?: name)?$/i.test(normalizeLabel(headers[0]))) return columns;
  const empties = headers.slice(1).every((h) => !h.trim());
  headers.forEach((h, i) => {
    if (i === 0) return;
    if (empties && pageModels.length === headers.length - 1) columns.set(i, pageModels[i - 1]);
    else if (h.trim() && isModel(h)) columns.set(i, h.trim());
  });
  // A header of models needs row labels we can read; otherwise it is not a model-column table.
  const readable = table.rows.some((r) => labelMeaning(r[0] ?? '') !== null);
  return readable ? columns : new Map();
}

function looksRowOriented(table: Table, isModel: (t: string) => boolean): boolean {
  if (!table.headers.slice(1).some((h) => labelMeaning(h) !== null)) return false;
  if (/^models?(?: name)?$/i.test(normalizeLabel(table.headers[0] ?? ''))) return true;
  const named = table.rows.filter((r) => isModel(r[0] ?? '')).length;
  return named > 0 && named >= table.rows.length / 2;
}

function emit(
  out: ExtractedClaim[],
  table: Table,
  row: number,
  col: number,
  model: string,
  meaning: LabelMeaning,
  tier: TableTier,
  opts: TableReadOptions,
): void {
  const cell = table.rows[row]?.[col] ?? '';
  for (const reading of readCell(meaning.field, cell, opts)) {
    out.push(
      makeClaim(
        {
          name: model,
          field: meaning.field,
          value: reading.value,
          condition: joinConditions(meaning.condition, reading.condition, tier.condition),
          locator: cellLocator(table, row, col, table.headers[col]?.trim() ? table.headers[col] : model),
          quote: table.rowText[row] || cell,
          confidence: opts.confidence,
        },
        opts.provider,
      ),
    );
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

function readModelColumns(table: Table, columns: Map<number, string>, tier: TableTier, opts: TableReadOptions): ExtractedClaim[] {
  const out: ExtractedClaim[] = [];
  table.rows.forEach((cells, r) => {
    const meaning = resolveMeaning(cells[0] ?? '', tier, table.locator, opts.notes);
    if (!meaning) return;
    for (const [col, model] of columns) emit(out, table, r, col, model, meaning, tier, opts);
  });
  return out;
}

function readModelRows(table: Table, tier: TableTier, opts: TableReadOptions): ExtractedClaim[] {
  const meanings = new Map<number, LabelMeaning>();
  table.headers.forEach((h, c) => {
    if (c === 0) return;
    const meaning = resolveMeaning(h, tier, table.locator, opts.notes);
    if (meaning) meanings.set(c, meaning as LabelMeaning & { field: FieldName });
  });
  const out: ExtractedClaim[] = [];
  table.rows.forEach((cells, r) => {
    const model = (cells[0] ?? '').trim();
    if (!model) return;
    for (const [col, meaning] of meanings) emit(out, table, r, col, model, meaning, tier, opts);
  });
  return out;
}
