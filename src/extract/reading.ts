/**
 * The generic reading layer the page extractors share, for pages nobody wrote an extractor for:
 * what a row or a page is about (its subject), the conditions a model name or a cell states, the
 * unit a page states once above a table, key-value lines and single-model pages. Every reading
 * refuses to guess: a figure it cannot tie to one model, one field and one condition is not claimed.
 */
import { condition as conditions } from '../schema/condition.ts';
import { priceBasisOf, type PriceBasis } from '../normalize/units.ts';
import type { Table, TextBlock } from './tables.ts';

/** Conditions the generic readings state (free-form parts of the condition grammar). */
export const READ_CONDITIONS = {
  latencyOptimized: 'latency_optimized',
  fineTuned: 'fine_tuned',
  batch: 'batch',
  modality: (kind: 'audio' | 'image'): string => `modality:${kind}`,
  beta: (header: string): string => `beta:${header}`,
  context: conditions.context,
};

const STATUS_SUFFIX = /\s*\((?:deprecated|legacy|retired|new|preview)\)\s*$/i;
const LATENCY_OPTIMIZED = /\s*\((?:w\/|with)\s*latency[- ]optimi[sz]ed(?: inference)?\)\s*/i;

/** A model cell's name and the condition it states: "Nova Pro (w/ latency optimized inference)". */
export function rowSubject(cell: string): { name: string; condition: string } {
  let name = cell.trim();
  let condition = '';
  if (LATENCY_OPTIMIZED.test(name)) {
    name = name.replace(LATENCY_OPTIMIZED, ' ').trim();
    condition = READ_CONDITIONS.latencyOptimized;
  }
  return { name: name.replace(STATUS_SUFFIX, '').trim(), condition };
}

/** The unit the short texts above a table state ("Cost per 1,000 tokens"), if they state one. */
export function statedBasis(texts: readonly string[]): PriceBasis | null {
  for (const text of [...texts].reverse()) {
    if (!/\b(?:price|cost|pricing)s?\b/i.test(text)) continue;
    const basis = priceBasisOf(text);
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
export function sectionSubject(table: Table, headings: readonly TextBlock[], isModelName: (text: string) => boolean): string | undefined {
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
