/**
 * Aggregator comparison pages ("A vs B"): spec tables with one column per model (header cells
 * may be empty: the title names the columns), price rows, Yes/No capability grids, and sentences.
 * The same reading, with a lower confidence and no title to lean on, is the generic fallback.
 */
import type { ExtractedClaim, ExtractResult } from '../schema/claim.ts';
import { exactTokenFigures } from '../normalize/units.ts';
import { finishResult } from './claims.ts';
import { readSentences } from './sentences.ts';
import { defaultIsModelName, normalizeModelName, readTable, type TableReadOptions } from './tabular.ts';
import { parsePage, type Page } from './tables.ts';
import type { ExtractInput } from './types.ts';

const TABLE_CONFIDENCE = 0.8;
const SENTENCE_CONFIDENCE = 0.7;
const GENERIC_CONFIDENCE = 0.5;

/** "GPT-4o Audio vs GPT-5.2 Codex | Site" -> ["GPT-4o Audio", "GPT-5.2 Codex"]. */
export function titleModels(title: string): string[] {
  const core = title.split(/\s+[|–—]\s+|\s+-\s+(?=[A-Z][a-z]+(?:\s|$))/)[0] ?? '';
  const parts = core.split(/\s+(?:vs\.?|versus)\s+/i).map((p) => p.replace(/[:.]+$/, '').trim());
  return parts.length >= 2 && parts.every((p) => p.length > 0 && p.length <= 60) ? parts : [];
}

/** All the text a page shows, for exact token figures ("262,144") an abbreviation may refer to. */
export function pageText(page: Page): string {
  return [...page.blocks.filter((b) => b.kind !== 'code').map((b) => b.text), ...page.tables.flatMap((t) => t.rowText)].join('\n');
}

interface ComparisonConfig {
  tableConfidence: number;
  sentenceConfidence: number;
}

/** Tables then sentences; sentence attribution knows every model the title and tables name. */
export function readComparison(page: Page, input: ExtractInput, config: ComparisonConfig, notes: string[]): ExtractedClaim[] {
  const pageModels = titleModels(page.title);
  const exactTokens = exactTokenFigures(pageText(page));
  const options: TableReadOptions = {
    confidence: config.tableConfidence,
    provider: input.provider,
    pageModels,
    exactTokens,
    priceBasis: 'per_1m',
    notes,
  };
  const claims = page.tables.flatMap((table) => readTable(table, options));
  const known = new Map<string, string>();
  for (const name of [...pageModels, ...claims.map((c) => c.model_name)]) {
    const key = normalizeModelName(name);
    if (!known.has(key) && (pageModels.includes(name) || defaultIsModelName(name, pageModels))) known.set(key, name);
  }
  claims.push(
    ...readSentences(page.blocks, {
      models: [...known.values()],
      exactTokens,
      confidence: config.sentenceConfidence,
      provider: input.provider,
    }),
  );
  return claims;
}

export function extractAggregator(input: ExtractInput): ExtractResult {
  const page = parsePage(input.body, input.format);
  const notes: string[] = [...(page.notes ?? [])];
  if (!titleModels(page.title).length) notes.push(`title "${page.title.slice(0, 80)}" names no "A vs B" pair; model columns come from table headers`);
  const claims = readComparison(page, input, { tableConfidence: TABLE_CONFIDENCE, sentenceConfidence: SENTENCE_CONFIDENCE }, notes);
  return finishResult(claims, notes, { min_models: 2, fields: [] }, input.source);
}

/** Unseen pages: tables that name models, and the same sentence patterns, all at low confidence. */
export function extractGeneric(input: ExtractInput): ExtractResult {
  const page = parsePage(input.body, input.format);
  const notes = ['generic extractor: every claim carries a low confidence', ...(page.notes ?? [])];
  const claims = readComparison(page, input, { tableConfidence: GENERIC_CONFIDENCE, sentenceConfidence: GENERIC_CONFIDENCE - 0.1 }, notes);
  return finishResult(claims, notes, { min_models: 1, fields: [] }, input.source);
}
