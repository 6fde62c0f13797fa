/**
 * Hugging Face model cards: README front matter (license, base_model), the card's prose and
 * tables, and config.json (max_position_embeddings -> context_window). A card may arrive as a
 * bundle where the README and config.json sit in fenced blocks; both are read from there too.
 * Code examples are never read: a `with_knowledge_cutoff("2024-06")` call is not a fact.
 */
import type { ExtractedClaim, ExtractResult } from '../schema/claim.ts';
import type { FieldName } from '../schema/fields.ts';
import { canonicalModelId, inferProvider, providerSlug, slugifyModelName } from '../normalize/identity.ts';
import { exactTokenFigures, parseCount, parseLicense } from '../normalize/units.ts';
import { finishResult, makeClaim } from './claims.ts';
import { readTable } from './tabular.ts';
import { isSkipped, labelMeaning, readCell } from './labels.ts';
import { keyValueLines } from './reading.ts';
import { parseDate } from '../normalize/dates.ts';
import { cellLocator, parsePage, splitFrontMatter, type Page, type Table, type TextBlock } from './tables.ts';
import { isObject, type Json } from './json.ts';
import type { ExtractInput } from './types.ts';

const CONFIDENCE = 0.9;
const CONTEXT_KEYS = ['max_position_embeddings', 'max_sequence_length', 'n_positions', 'seq_length', 'max_seq_len', 'model_max_length'];


interface CardParts {
  frontMatter: Record<string, unknown>;
  frontMatterText: string;
  /** The README's own page (the card itself, or a README embedded in a fenced block). */
  readme: Page;
  readmeLocator: string;
  config?: { json: Json; text: string; locator: string };
}

function embeddedReadme(page: Page): { block: TextBlock; text: string } | undefined {
  const block = page.blocks.find((b) => b.kind === 'code' && /^---\r?\n[\s\S]*?\r?\n---/.test(b.text.trimStart()));
  return block ? { block, text: block.text.trimStart() } : undefined;
}

function findConfig(page: Page): CardParts['config'] {
  for (const block of page.blocks) {
    if (block.kind !== 'code' || !block.text.trimStart().startsWith('{')) continue;
    try {
      const json: unknown = JSON.parse(block.text);
      if (isObject(json) && (CONTEXT_KEYS.some((k) => k in json) || 'architectures' in json)) {
        return { json, text: block.text, locator: `config.json (${block.locator})` };
      }
    } catch {
      // A code example that is not JSON: not a config.
    }
  }
  return undefined;
}

function cardParts(body: string): CardParts {
  const page = parsePage(body, 'markdown');
  const embedded = embeddedReadme(page);
  const readmeBody = embedded ? embedded.text : body;
  const { frontMatter } = cardFrontMatter(readmeBody);
  const frontMatterText = readmeBody.match(/^---\r?\n([\s\S]*?)\r?\n---/)?.[1] ?? '';
  const readme = embedded ? parsePage(readmeBody, 'markdown') : page;
  return { frontMatter, frontMatterText, readme, readmeLocator: embedded ? `readme (${embedded.block.locator})` : 'readme', config: findConfig(page) };
}

const CARD_KEYS = ['license', 'pipeline_tag', 'base_model', 'library_name', 'tags'];

/**
 * The card's YAML front matter: at the top, or (a mirrored card under its own title) the first
 * `---` block further down whose YAML has a card's keys.
 */
function cardFrontMatter(body: string): { frontMatter: Record<string, unknown> } {
  const top = splitFrontMatter(body);
  if (Object.keys(top.frontMatter).length) return top;
  for (const m of body.matchAll(/^---\r?\n/gm)) {
    const found = splitFrontMatter(body.slice(m.index ?? 0));
    if (CARD_KEYS.some((k) => k in found.frontMatter)) return found;
  }
  return top;
}

/**
 * A spec table of a family's sizes ("| Llama 3.1 | 8B | 128k |" then 70B, 405B, the family cell
 * spanning them): the one row whose parameter count is the size the card's name states is the
 * card's model. No size in the name, or not exactly one such row: nothing is read.
 */
function sizeRowClaims(tables: readonly Table[], name: string, exactTokens: readonly number[]): Array<{ field: FieldName; value: number | string | boolean; locator: string; quote: string }> {
  const size = name.match(/(?:^|[-_ ])(\d+(?:\.\d+)?)[bB](?=$|[-_ ])/)?.[1];
  if (!size) return [];
  const want = parseCount(`${size}B`);
  const out: Array<{ field: FieldName; value: number | string | boolean; locator: string; quote: string }> = [];
  for (const table of tables) {
    const paramsCol = table.headers.findIndex((h) => fieldOf(h) === 'parameters');
    if (paramsCol < 0) continue;
    const rows = table.rows.flatMap((cells, r) => (parseCount(cells[paramsCol] ?? '') === want ? [r] : []));
    if (rows.length !== 1) continue;
    const r = rows[0];
    table.headers.forEach((h, c) => {
      const field = fieldOf(h);
      if (!field) return;
      for (const reading of readCell(field, table.rows[r][c] ?? '', { exactTokens, priceBasis: 'per_1m' })) {
        if (!reading.condition) out.push({ field, value: reading.value, locator: `${cellLocator(table, r, c)} (row of the card's size ${size}B)`, quote: table.rowText[r] ?? '' });
      }
    });
  }
  return out;
}

function fieldOf(label: string): FieldName | undefined {
  const meaning = labelMeaning(label);
  return meaning && !isSkipped(meaning) && !meaning.only && !meaning.condition ? meaning.field : undefined;
}

function looksLikeModel(name: string): boolean {
  const slug = slugifyModelName(name);
  return /\d/.test(slug) || inferProvider(slug) !== undefined;
}

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The card's model: its README title ("# gpt-oss-20b Details"), else the one base model. */
function cardModel(parts: CardParts, provider?: string): { name: string; vendor?: string } | undefined {
  const bases = asList(parts.frontMatter.base_model);
  const vendor = bases.length === 1 && bases[0].includes('/') ? bases[0].split('/')[0] : provider;
  const heading = parts.readme.blocks.find((b) => b.kind === 'heading');
  const title = heading?.text.replace(/\s+(?:details|model card|overview)$/i, '').trim();
  if (title && looksLikeModel(title)) return { name: title, vendor };
  if (typeof parts.frontMatter.model_name === 'string') return { name: parts.frontMatter.model_name, vendor };
  if (bases.length === 1) return { name: bases[0].split('/').pop() ?? bases[0], vendor };
  return undefined;
}

const PARAMS = /(\d+(?:\.\d+)?)\s*([BMT])\s+(?:total\s+)?param(?:eter)?s\b/g;
const NAMED = /`([A-Za-z][\w.-]*\d[\w.-]*)`|\b([A-Za-z]+(?:-[A-Za-z0-9.]+)*-\d+(?:\.\d+)?[a-z]?)\b/g;

/** "`gpt-oss-120b` — ... (117B parameters with 5.1B active parameters)": the total, for the named model. */
function parameterClaims(blocks: readonly TextBlock[], family: string, locatorBase: string, vendor?: string): ExtractedClaim[] {
  const claims: ExtractedClaim[] = [];
  for (const block of blocks) {
    if (block.kind === 'code') continue;
    const names = [...new Set([...block.text.matchAll(NAMED)].map((m) => m[1] ?? m[2]).filter((n) => slugifyModelName(n).startsWith(family)))];
    if (names.length !== 1) continue;
    for (const m of block.text.matchAll(PARAMS)) {
      if (/activ\w*\s*$/i.test(block.text.slice(Math.max(0, (m.index ?? 0) - 12), m.index))) continue;
      const value = parseCount(`${m[1]}${m[2]}`);
      if (value === null) continue;
      claims.push(
        makeClaim({
          name: names[0],
          model: canonicalModelId(names[0], vendor),
          field: 'parameters',
          value,
          locator: `${locatorBase} ${block.locator} sentence 1`,
          quote: block.text,
          confidence: 0.8,
        }),
      );
      break;
    }
  }
  return claims;
}

export function extractModelCard(input: ExtractInput): ExtractResult {
  const parts = cardParts(input.body);
  const notes: string[] = [];
  const model = cardModel(parts, input.provider);
  if (!model) return finishResult([], ['no model name found: no README title and no single base_model'], { min_models: 1, fields: [] }, input.source);
  const vendor = model.vendor ? providerSlug(model.vendor) : input.provider;
  const id = canonicalModelId(model.name, vendor);
  const claims: ExtractedClaim[] = [];
  const add = (field: FieldName, value: number | string | boolean, locator: string, quote: string, confidence = CONFIDENCE): void => {
    claims.push(makeClaim({ name: model.name, model: id, field, value, locator, quote, confidence }));
  };

  const licenses = asList(parts.frontMatter.license);
  const license = licenses.length === 1 ? parseLicense(licenses[0]) : null;
  if (license) add('license', license, `${parts.readmeLocator} front matter /license`, `license: ${licenses[0]}`);
  // A published card with a config or library is a download of the weights.
  const published = parts.config ?? (parts.frontMatter.library_name ? { text: `library_name: ${String(parts.frontMatter.library_name)}`, locator: `${parts.readmeLocator} front matter /library_name` } : undefined);
  if (published) add('open_weights', true, published.locator, published.text.length > 200 ? published.text.slice(0, 200) : published.text, 0.8);

  const exactTokens = exactTokenFigures(parts.readme.blocks.filter((b) => b.kind !== 'code').map((b) => b.text).join('\n'));
  for (const row of sizeRowClaims(parts.readme.tables, model.name, exactTokens)) add(row.field, row.value, row.locator, row.quote, 0.7);
  for (const line of keyValueLines(parts.readme.blocks.filter((b) => b.kind !== 'code').map((b) => b.text).join('\n'))) {
    const field = fieldOf(line.key);
    if (field !== 'release_date' && field !== 'knowledge_cutoff') continue;
    const value = parseDate(line.value.replace(/\.$/, ''));
    if (value) add(field, value, `${parts.readmeLocator} key-value "${line.key}" (page subject)`, `${line.key}: ${line.value}`, 0.7);
  }
  const family = slugifyModelName(model.name).replace(/-?\d[\w.]*$/, '');
  claims.push(...parameterClaims(parts.readme.blocks, family || slugifyModelName(model.name), parts.readmeLocator, vendor));
  for (const table of parts.readme.tables) {
    claims.push(...readTable(table, { confidence: 0.7, provider: vendor, pageModels: [model.name], exactTokens, priceBasis: 'per_1m', notes }));
  }
  // config.json's length is what the weights allow; a context window the card states is what the vendor serves.
  const statedContext = claims.some((c) => c.model === id && c.field === 'context_window');
  if (parts.config && statedContext) notes.push('config.json context length not claimed: the card states a context window of its own');
  else if (parts.config) {
    const key = CONTEXT_KEYS.find((k) => typeof parts.config?.json[k] === 'number');
    if (key) {
      const value = parts.config.json[key] as number;
      add('context_window', value, `${parts.config.locator} /${key}`, `"${key}": ${value}`);
      const rope = parts.config.json.rope_scaling;
      if (isObject(rope) && typeof rope.factor === 'number' && typeof rope.original_max_position_embeddings === 'number') {
        const scaled = rope.factor * rope.original_max_position_embeddings;
        if (scaled > value) notes.push(`rope_scaling allows ${scaled} tokens, above max_position_embeddings ${value}: not claimed`);
      }
    } else notes.push('config.json has no context length key');
  }

  return finishResult(claims, notes, { min_models: 1, fields: [] }, input.source);
}
