/**
 * First-party docs and pricing pages (OpenAI, Anthropic, DeepSeek, Google style), markdown or HTML.
 *
 * The tab or section a table sits under decides what its prices mean: OpenAI's page opens with the
 * Batch tab, so its first table is batch pricing, never the standard price. Batch -> batch_* fields;
 * Flex -> tier:flex; Priority -> tier:priority; Standard (or no tab) -> base. Tables of image,
 * audio or video tokens are not text-token prices and are skipped. Prose is not read: docs pages
 * carry navigation and worked examples ("Total cost: ~$22.20") whose figures are not list prices.
 */
import type { ExtractedClaim, ExtractResult } from '../schema/claim.ts';
import { exactTokenFigures } from '../normalize/units.ts';
import { canonicalModelId } from '../normalize/identity.ts';
import { pageText } from './aggregator.ts';
import { finishResult, makeClaim, type Expectations } from './claims.ts';
import { defaultIsModelName, readTable, type TableTier } from './tabular.ts';
import { betaCondition, readFlattenedTables, sectionContextWindows, readTextCards, keyValueFigures, keyValueLines, pageSubject, sectionSubject, statesOtherBasis, tableBasis } from './reading.ts';
import { parsePage, type Page, type Table } from './tables.ts';
import type { ExtractInput } from './types.ts';
import { condition } from '../schema/condition.ts';

const CONFIDENCE = 0.95;
/** Figures tied to a model only because the page is about it: a generic reading. */
const SUBJECT_CONFIDENCE = 0.7;

// Section labels of prices that are not per-text-token ("Image tokens", "Audio", "Fine-tuning").
const NOT_TEXT_TOKENS = /^(?:image|audio|video|speech|transcription|embedding|fine[- ]?tuning|training|realtime audio)s?\b/i;
const TAB = /^(batch|flex|standard|priority|scale)(?:\s+(?:tier|processing|api|pricing))?\.?$/i;
// Sections of prices under a condition no table reading states: long prompts, fine-tuned models, a
// region, cache reads, off-peak hours. Read as base prices they would replace the models' own.
const QUALIFIED_SECTION =
  /\b(?:long[- ]context|(?:prompts?|context|inputs?)\s+(?:over|above|longer than|exceeding)|fine[- ]?tun(?:ed|ing)|regional|data residency|cached|caching|off[- ]peak|provisioned|reserved capacity)\b/i;

/** The pricing tier a table's tab, caption or heading names. */
export function pricingTier(table: Table): TableTier {
  const labels = [...table.context, table.caption, table.heading].filter(Boolean);
  const section = labels.find((l) => NOT_TEXT_TOKENS.test(l) && l.length <= 40);
  if (section) return { condition: '', batch: false, skip: `"${section}" prices are not text-token prices` };
  const tab = [...labels].reverse().find((l) => TAB.test(l.trim()));
  // A line leading into the table ("Batch API prices (50% off):") names its tier as a tab would.
  const leadIn = [...labels].reverse().find((l) => /:\s*$/.test(l) && l.length <= 80)?.match(/\b(batch|flex|priority|scale)\b/i)?.[1];
  const name = (tab?.trim().match(TAB)?.[1] ?? leadIn)?.toLowerCase() ?? (/\bbatch\b/i.test(table.heading) ? 'batch' : 'standard');
  if (name === 'batch') return { condition: '', batch: true };
  if (name === 'flex' || name === 'priority' || name === 'scale') return { condition: condition.tier(name), batch: false };
  // A footnote above the table ("(5) Off-peak discounts apply.") qualifies the cells it marks, not the table.
  const qualified = labels.find((l) => QUALIFIED_SECTION.test(l) && l.length <= 80 && !/^\s*(?:\(\d+\)|\[\d+\]|\*+|[†‡¹²³])/.test(l));
  if (qualified) return { condition: '', batch: false, skip: `"${qualified}" prices are not the models' base prices` };
  return { condition: '', batch: false };
}

const HOST_PROVIDERS: Array<[RegExp, string]> = [
  [/anthropic\.com|claude\.ai/, 'anthropic'],
  [/openai\.com/, 'openai'],
  [/deepseek\.com/, 'deepseek'],
  [/ai\.google\.dev|cloud\.google\.com|deepmind/, 'google'],
  [/mistral\.ai/, 'mistralai'],
  [/x\.ai\b/, 'x-ai'],
];

/** The provider a docs page belongs to, from its front-matter URL or its title. */
export function pageProvider(page: Page): string | undefined {
  const where = `${String(page.frontMatter.url ?? '')} ${page.title}`.toLowerCase();
  for (const [pattern, provider] of HOST_PROVIDERS) if (pattern.test(where)) return provider;
  const vendor = where.match(/\b(anthropic|openai|deepseek|google|mistral)\b/);
  return vendor ? HOST_PROVIDERS.find(([, p]) => p.startsWith(vendor[1]))?.[1] : undefined;
}

/** A single-model page's key-value lines ("Context length: 160k tokens"), for the page's subject. */
function subjectKeyValues(body: string, page: Page, provider: string | undefined, notes: string[], tableModels: ReadonlySet<string>): ExtractedClaim[] {
  const subject = pageSubject(body, page, (t) => defaultIsModelName(t) || /\d/.test(t) && /^[a-z][\w.-]*$/i.test(t));
  if (!subject) return [];
  // A page whose tables name other models is not about one model: its loose lines are no one's.
  const others = [...tableModels].filter((m) => m !== canonicalModelId(subject, provider));
  if (others.length) {
    notes.push(`key-value lines not read for "${subject}": the page's tables name other models too`);
    return [];
  }
  const figures = keyValueFigures(keyValueLines(body), exactTokenFigures(body));
  if (figures.length) notes.push(`key-value lines read for the page's subject "${subject}"`);
  return figures.map((f) =>
    makeClaim(
      { name: subject, field: f.field, value: f.value, condition: f.condition, locator: `key-value line ${f.line.line} (page subject)`, quote: `${f.line.key}: ${f.line.value}`, confidence: SUBJECT_CONFIDENCE },
      provider,
    ),
  );
}

function readDocsTables(input: ExtractInput, expect: Partial<Expectations>): ExtractResult {
  const page = parsePage(input.body, input.format);
  const notes: string[] = [...(page.notes ?? [])];
  const provider = input.provider ?? pageProvider(page);
  const headings = page.blocks.filter((b) => b.kind === 'heading');
  const beta = betaCondition(input.body);
  const isModel = (text: string): boolean => defaultIsModelName(text);
  const otherBasis = statesOtherBasis(page);
  const exactTokens = exactTokenFigures(pageText(page));
  const claims = page.tables.flatMap((table) =>
    readTable(table, {
      sectionSubject: (t) => sectionSubject(t, headings, isModel),
      betaCondition: beta,
      confidence: CONFIDENCE,
      provider,
      pageModels: [],
      exactTokens,
      priceBasis: tableBasis(table, otherBasis),
      tableCondition: pricingTier,
      spanSingleValues: true,
      notes,
    }),
  );
  claims.push(...subjectKeyValues(input.body, page, provider, notes, new Set(claims.map((c) => c.model))));
  for (const f of sectionContextWindows(page.blocks, isModel)) {
    claims.push(makeClaim({ name: f.model, field: 'context_window', value: f.value, locator: `${f.block.locator} sentence (section subject)`, quote: f.block.text, confidence: SUBJECT_CONFIDENCE }, provider));
  }
  if (input.format === 'text') {
    for (const f of [...readTextCards(input.body), ...readFlattenedTables(input.body)]) {
      claims.push(makeClaim({ name: f.model, field: f.field, value: f.value, condition: f.condition, locator: `${f.reading} line ${f.line}`, quote: f.quote, confidence: SUBJECT_CONFIDENCE }, provider));
    }
  }
  if (!page.tables.length && !claims.length) notes.push('the page has no tables');
  return finishResult(claims, notes, expect, input.source);
}

export function extractPricingPage(input: ExtractInput): ExtractResult {
  return readDocsTables(input, { min_models: 1, fields: ['input_price'] });
}

/** Docs pages about models (spec tables), not necessarily prices: the same reading, no price expected. */
export function extractDocsPage(input: ExtractInput): ExtractResult {
  return readDocsTables(input, { min_models: 1, fields: [] });
}
