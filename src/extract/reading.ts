/**
 * The generic reading layer the page extractors share, for pages nobody wrote an extractor for:
 * what a row or a page is about (its subject), the conditions a model name or a cell states, the
 * unit a page states once above a table, key-value lines and single-model pages. Every reading
 * refuses to guess: a figure it cannot tie to one model, one field and one condition is not claimed.
 */
import { condition as conditions } from '../schema/condition.ts';
import { priceBasisOf, type PriceBasis } from '../normalize/units.ts';

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
