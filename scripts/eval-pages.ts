/**
 * Extraction against ../shared/corpus/eval-pages: real pages the extractors were not written
 * against, with expected facts (expected.tsv) written independently of this code. Each page is
 * read as a new user's page would be: format from its name (a .js capture is page text inside a
 * test fixture, read as text), extractor detected. Scored per page:
 *   recall      expected (model, field, condition, value) rows found
 *   wrong       claims for an expected (model, field, condition) with a value no row expects
 *   negative    price claims from a page that states no prices (model "-")
 * Model names are compared by identity's name key (spelling, punctuation and word order aside).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractDocument } from '../src/extract/registry.ts';
import { slugifyModelName } from '../src/normalize/identity.ts';
import { nameKey } from '../src/normalize/links.ts';
import type { ExtractedClaim } from '../src/schema/claim.ts';
import type { SourceFormat } from '../src/schema/source.ts';

export interface ExpectedRow {
  file: string;
  model: string;
  field: string;
  value: string;
  condition: string;
}

export interface PageScore {
  file: string;
  expected: number;
  found: number;
  recall: number;
  misses: string[];
  wrong: string[];
  negative_prices: string[];
  /** Claims of no expected (model, field, condition): not scored, the page may state more. */
  other_claims: number;
}

export interface PagesScore {
  expected: number;
  found: number;
  recall: number;
  wrong: number;
  negative_prices: number;
  files: PageScore[];
}

export function parseExpectedTsv(text: string): ExpectedRow[] {
  const [head, ...lines] = text.split(/\r?\n/).filter((l) => l.trim());
  const cols = head.split('\t');
  const at = (name: string): number => cols.indexOf(name);
  return lines.map((line) => {
    const cells = line.split('\t');
    return { file: cells[at('file')], model: cells[at('model')], field: cells[at('field')], value: cells[at('value')], condition: cells[at('condition')] ?? '' };
  });
}

/** One key per way of naming a model: its printed name and its id, both by name key. */
function modelKeys(claim: ExtractedClaim): string[] {
  const slug = claim.model.slice(claim.model.indexOf('/') + 1);
  return [...new Set([nameKey(slug), nameKey(slugifyModelName(claim.model_name))])];
}

const expectedModelKey = (model: string): string => nameKey(slugifyModelName(model));

function sameValue(expected: string, value: unknown): boolean {
  if (typeof value === 'number') return Number(expected) === Number(value.toPrecision(10)) || Math.abs(Number(expected) - value) < 1e-9;
  return String(value) === expected;
}

function formatOf(file: string): SourceFormat {
  if (file.endsWith('.md')) return 'markdown';
  if (file.endsWith('.html')) return 'html';
  return 'text';
}

export function scorePage(file: string, body: string, rows: readonly ExpectedRow[]): PageScore {
  return scoreClaims(file, extractDocument(body, { filename: file, format: formatOf(file) }).claims, rows);
}

/** Scores the claims some reading of `file` made against its expected rows. */
export function scoreClaims(file: string, claims: readonly ExtractedClaim[], rows: readonly ExpectedRow[]): PageScore {
  const usable = claims.filter((c) => !c.anomaly);
  const negative = rows.some((r) => r.model === '-');
  const slot = (model: string, field: string, condition: string): string => `${model} ${field}${condition ? `@${condition}` : ''}`;
  const expectedBySlot = new Map<string, string[]>();
  for (const r of rows) {
    if (r.model === '-') continue;
    const key = slot(expectedModelKey(r.model), r.field, r.condition);
    expectedBySlot.set(key, [...(expectedBySlot.get(key) ?? []), r.value]);
  }
  const claimsBySlot = new Map<string, ExtractedClaim[]>();
  for (const c of usable) {
    for (const m of modelKeys(c)) {
      const key = slot(m, c.field, c.condition);
      claimsBySlot.set(key, [...(claimsBySlot.get(key) ?? []), c]);
    }
  }
  const misses: string[] = [];
  let found = 0;
  for (const r of rows) {
    if (r.model === '-') continue;
    const got = claimsBySlot.get(slot(expectedModelKey(r.model), r.field, r.condition)) ?? [];
    if (got.some((c) => sameValue(r.value, c.value))) found += 1;
    else misses.push(`${r.model} ${r.field}${r.condition ? `@${r.condition}` : ''} = ${r.value}${got.length ? ` (claimed ${got.map((c) => String(c.value)).join(', ')})` : ''}`);
  }
  const wrong: string[] = [];
  const scored = new Set<ExtractedClaim>();
  for (const [key, values] of expectedBySlot) {
    for (const c of claimsBySlot.get(key) ?? []) {
      scored.add(c);
      if (!values.some((v) => sameValue(v, c.value))) wrong.push(`${c.model_name} ${c.field}${c.condition ? `@${c.condition}` : ''} = ${String(c.value)}, expected ${values.join(' or ')} [${c.locator}]`);
    }
  }
  const negative_prices = negative ? usable.filter((c) => c.field.endsWith('_price')).map((c) => `${c.model_name} ${c.field} = ${String(c.value)} [${c.locator}]`) : [];
  const expected = rows.filter((r) => r.model !== '-').length;
  return {
    file,
    expected,
    found,
    recall: expected === 0 ? 1 : found / expected,
    misses,
    wrong: [...new Set(wrong)],
    negative_prices,
    other_claims: usable.filter((c) => !scored.has(c)).length,
  };
}

export function scorePages(dir: string): PagesScore {
  const rows = parseExpectedTsv(readFileSync(path.join(dir, 'expected.tsv'), 'utf8'));
  const files = [...new Set(rows.map((r) => r.file))].sort();
  const scores = files.map((file) => scorePage(file, readFileSync(path.join(dir, file), 'utf8'), rows.filter((r) => r.file === file)));
  const expected = scores.reduce((n, s) => n + s.expected, 0);
  const found = scores.reduce((n, s) => n + s.found, 0);
  return {
    expected,
    found,
    recall: expected === 0 ? 1 : found / expected,
    wrong: scores.reduce((n, s) => n + s.wrong.length, 0),
    negative_prices: scores.reduce((n, s) => n + s.negative_prices.length, 0),
    files: scores,
  };
}
