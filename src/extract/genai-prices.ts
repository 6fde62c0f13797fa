/**
 * pydantic's genai-prices `prices/data.json`: an array of providers `{id, name, model_match?,
 * models: [{id, name?, match, context_window?, prices, deprecated?}]}`. Prices are USD per 1M tokens:
 * `input_mtok`, `output_mtok`, `cache_read_mtok`, `cache_write_mtok`, `input_audio_mtok`,
 * `output_audio_mtok` (cached audio and per-request prices have no ledger field: noted).
 * - An audio price equal to the model's text input price is kept as an anomaly: the 2026-07 files
 *   print the text price as the audio price for models whose audio costs far more
 *   (gpt-4o-audio-preview 2.5 where OpenAI and LiteLLM say 40).
 *
 * - A price is a number, or tiered `{base, tiers: [{start, price}]}`: the base price, plus one
 *   `context>START` claim per tier.
 * - `prices` is an object, or a LIST of `{constraint?, prices}`. The reading of a list:
 *   - an entry with `constraint: {start_date}` is a dated price that holds from that day until a
 *     later dated price starts; the entry without a constraint is the price before any of them.
 *   - Every dated price is claimed with `from:<start_date>`, past and future alike, so a reviewer
 *     sees when each starts and what the base below starts from.
 *   - The price in force is also the base (unconditioned) claim: the newest dated one. The extractor
 *     is pure and knows no "today", and a dated price, once added, is in force for the rest of its
 *     life but the days before its start; given `asOf` (the day the file describes), it is the newest
 *     dated one that has started by then, else the undated one. Without `asOf`, an announced future
 *     price is read as the base ahead of its day (claude-sonnet-5's $3 from 2026-09-01 in the July
 *     2026 files), its `from:` claim saying when it starts.
 *   - The undated price, once a dated one is in force, is history the condition grammar cannot state
 *     ("until"): not claimed, noted.
 *   - Time-of-day constraints (`start_time` / `end_time`: DeepSeek's off-peak hours) are never base
 *     prices, and neither is the undated price they alternate with (it holds only outside their
 *     window): no claims, a note. Any other constraint shape: no claims, a note.
 * - A model's `match` rule names the ids that refer to it (`equals`, `starts_with`, `or`, ...). The
 *   claims name the model by its own `id` (model_name) only: the other ids a rule names are often
 *   dated snapshots or siblings priced alike, which the ledger keeps apart; they are counted in
 *   the notes, never merged.
 * - Identity and routes as models-dev.ts reads them: a vendor's own provider entry (anthropic, openai,
 *   google, ...) gives base claims; aws, azure, together, openrouter, groq, ... are resale routes of
 *   the upstream model (`route:bedrock`, `route:together_ai`, `route:huggingface/novita`, ...); a
 *   vendor's entry listing another vendor's model (google's Claude) is that model on the vendor's
 *   platform (`route:vertex_ai`). The provider id becomes a slug through identity.ts's providerSlug.
 * - Embedding, reranking and moderation models are not text generation: skipped.
 */
import type { ClaimValue, ExtractedClaim, ExtractResult } from '../schema/claim.ts';
import type { FieldName } from '../schema/fields.ts';
import { condition as conditions, joinConditions } from '../schema/condition.ts';
import { finishResult, makeClaim, NoteTally } from './claims.ts';
import { isObject, type Json, parseJsonBody } from './json.ts';
import { providerSlug } from '../normalize/identity.ts';
import { listedModel, type Listing } from './models-dev.ts';
import type { ExtractInput } from './types.ts';
import { routeName } from '../normalize/routes.ts';

const CONFIDENCE = 0.9;
const EXPECT = { min_models: 1, fields: ['input_price'] };

const PRICE_FIELDS: Record<string, FieldName> = {
  input_mtok: 'input_price',
  output_mtok: 'output_price',
  cache_read_mtok: 'cached_input_price',
  cache_write_mtok: 'cache_write_price',
  input_audio_mtok: 'audio_input_price',
  output_audio_mtok: 'audio_output_price',
};

/** genai-prices providers that are a vendor's own API. */
const VENDOR_PROVIDERS = new Set(['anthropic', 'openai', 'google', 'mistral', 'deepseek', 'x-ai', 'cohere', 'minimax', 'moonshotai', 'zhipuai', 'perplexity', 'voyageai']);


/** Providers whose every model is an embedding model (no text out). */
const EMBEDDING_PROVIDERS = new Set(['voyageai']);
const NOT_TEXT = /embed|rerank|moderation/i;

export function genaiPricesListing(providerId: string): Listing {
  if (VENDOR_PROVIDERS.has(providerId)) {
    // Google's entry lists Claude as Vertex serves it.
    return { id: providerId, vendor: providerSlug(providerId), route: '', resale: providerId === 'google' ? 'vertex_ai' : undefined };
  }
  const huggingface = /^huggingface_(.+)$/.exec(providerId);
  const route = huggingface ? `huggingface/${huggingface[1]}` : routeName(providerId);
  return { id: providerSlug(providerId), route, platform: providerId === 'aws' ? 'bedrock' : undefined };
}

export interface GenaiPricesOptions {
  /** The day the file describes (YYYY-MM-DD): picks the dated price in force then. */
  asOf?: string;
}

/** The providers array of a genai-prices body, or null when the body is not that shape. */
export function genaiPricesProviders(parsed: unknown): Json[] | null {
  if (!Array.isArray(parsed)) return null;
  const providers = parsed.filter((p): p is Json => isObject(p) && typeof p.id === 'string' && Array.isArray(p.models));
  return providers.length ? providers : null;
}

export function extractGenaiPrices(input: ExtractInput, options: GenaiPricesOptions = {}): ExtractResult {
  const body = parseJsonBody(input, EXPECT);
  if ('failed' in body) return body.failed;
  const parsed = body.parsed;
  const providers = genaiPricesProviders(parsed);
  if (!providers) {
    return finishResult([], ['JSON is not an array of providers with "models" arrays (not genai-prices\' data.json shape)'], EXPECT, input.source);
  }
  const file: FileReading = { claims: [], notes: new NoteTally(), asOf: options.asOf ?? input.observedAt?.slice(0, 10) };
  (parsed as unknown[]).forEach((provider, pi) => {
    if (!providers.includes(provider as Json)) {
      file.notes.add('skipped a provider entry without an id and a models array', `/${pi}`);
      return;
    }
    const { id, models } = provider as { id: string; models: unknown[] };
    const listing = genaiPricesListing(id);
    models.forEach((model, mi) => {
      const pointer = `/${pi}/models/${mi}`;
      if (!isObject(model) || typeof model.id !== 'string') {
        file.notes.add('skipped a model entry without a string id', pointer);
        return;
      }
      if (EMBEDDING_PROVIDERS.has(id) || NOT_TEXT.test(model.id)) {
        file.notes.add('skipped embedding, reranking and moderation models (not text generation)', `${id}/${model.id}`);
        return;
      }
      readModel(file, listing, id, model, pointer);
    });
  });
  return finishResult(file.claims, file.notes.lines(), EXPECT, input.source);
}

/** What reading one file carries from model to model. */
interface FileReading {
  claims: ExtractedClaim[];
  notes: NoteTally;
  asOf?: string;
}

/** One model's claims share its id, canonical model, route and JSON pointer. */
class ModelClaims {
  constructor(
    private readonly claims: ExtractedClaim[],
    private readonly name: string,
    private readonly model: string,
    private readonly route: string,
    private readonly pointer: string,
  ) {}

  add(field: FieldName, value: ClaimValue, path: string, raw: unknown, condition = '', anomaly?: string): void {
    this.claims.push(
      makeClaim({
        name: this.name,
        model: this.model,
        field,
        value,
        condition: joinConditions(condition, this.route),
        locator: `${this.pointer}${path}`,
        quote: JSON.stringify(raw),
        confidence: CONFIDENCE,
        anomaly,
      }),
    );
  }
}

/** The ids a match rule names with `equals`, anywhere in its `or` / `and` tree. */
function equalsIds(match: unknown, into: string[] = []): string[] {
  if (!isObject(match)) return into;
  if (typeof match.equals === 'string') into.push(match.equals);
  for (const key of ['or', 'and']) {
    const parts = match[key];
    if (Array.isArray(parts)) for (const part of parts) equalsIds(part, into);
  }
  return into;
}

function readModel(file: FileReading, listing: Listing, providerId: string, model: Json, pointer: string): void {
  const { notes } = file;
  const id = model.id as string;
  const where = `${providerId}/${id}`;
  const identity = listedModel(id, listing);
  if (!identity.upstream) notes.add("kept the provider's own id: the model's vendor could not be told from its name", where);
  const claims = new ModelClaims(file.claims, id, identity.model, identity.condition, pointer);

  const others = [...new Set(equalsIds(model.match))].filter((other) => other.toLowerCase() !== id.toLowerCase());
  if (others.length) notes.add('not claimed for the other ids a match rule names (dated snapshots and siblings stay apart)', `${where}: ${others.slice(0, 3).join(', ')}`);

  if (typeof model.context_window === 'number') claims.add('context_window', model.context_window, '/context_window', model.context_window);

  const prices = model.prices;
  if (isObject(prices) && Object.keys(prices).length === 0) notes.add('models listing no prices (free variants list none)', where);
  else if (isObject(prices)) readPrices(file, prices, '/prices', '', claims, where);
  else if (Array.isArray(prices)) readPriceList(file, prices, claims, where);
  else notes.add('skipped a model without prices', where);
}

interface PriceEntry {
  index: number;
  prices: Json;
  start?: string;
}

/** A list of constrained prices: see the module comment for the reading. */
function readPriceList(file: FileReading, list: unknown[], claims: ModelClaims, where: string): void {
  const { notes } = file;
  let undated: PriceEntry | undefined;
  const dated: PriceEntry[] = [];
  let windows = 0;
  list.forEach((entry, index) => {
    if (!isObject(entry) || !isObject(entry.prices)) {
      notes.add('skipped a dated price entry without prices', `${where} #${index}`);
      return;
    }
    const constraint = entry.constraint;
    if (constraint === undefined || constraint === null) {
      if (undated) notes.add('skipped a second unconstrained price in one list', where);
      else undated = { index, prices: entry.prices };
      return;
    }
    const keys = isObject(constraint) ? Object.keys(constraint).sort().join(',') : '';
    if (keys === 'start_date' && typeof (constraint as Json).start_date === 'string' && /^\d{4}-\d{2}-\d{2}/.test((constraint as Json).start_date as string)) {
      dated.push({ index, prices: entry.prices, start: ((constraint as Json).start_date as string).slice(0, 10) });
    } else if (keys.includes('start_time') || keys.includes('end_time')) {
      windows++;
    } else {
      notes.add('skipped a price with a constraint other than start_date or a time of day', `${where}: ${JSON.stringify(constraint)}`);
    }
  });
  if (windows > 0) {
    notes.add('did not read time-of-day prices (start_time / end_time), nor the default price they alternate with: neither is a base price', where);
    undated = undefined;
  }
  dated.sort((a, b) => (a.start! < b.start! ? -1 : a.start! > b.start! ? 1 : 0));
  const started = file.asOf ? dated.filter((d) => d.start! <= file.asOf!) : dated;
  const inForce = started.length ? started[started.length - 1] : windows === 0 ? undated : undefined;
  if (inForce) readPrices(file, inForce.prices, `/prices/${inForce.index}/prices`, '', claims, where);
  for (const entry of dated) readPrices(file, entry.prices, `/prices/${entry.index}/prices`, conditions.from(entry.start!), claims, where);
  if (undated && undated !== inForce) {
    notes.add('did not claim the price before a dated price took over (history the condition grammar has no "until" for)', where);
  }
}

function readPrices(file: FileReading, prices: Json, path: string, condition: string, claims: ModelClaims, where: string): void {
  const { notes } = file;
  for (const [key, raw] of Object.entries(prices)) {
    const field = PRICE_FIELDS[key];
    if (!field) {
      notes.add(`not read: ${key} (no ledger field)`);
      continue;
    }
    if (typeof raw === 'number' && (field === 'audio_input_price' || field === 'audio_output_price') && raw === prices.input_mtok) {
      notes.add('audio prices equal to the text input price kept as anomalies', where);
      claims.add(field, raw, `${path}/${key}`, raw, condition, `${field} ${raw} repeats the text input price`);
    } else if (typeof raw === 'number') {
      addPrice(file, claims, field, raw, `${path}/${key}`, condition, where);
    } else if (isObject(raw) && typeof raw.base === 'number' && Array.isArray(raw.tiers)) {
      addPrice(file, claims, field, raw.base, `${path}/${key}/base`, condition, where);
      raw.tiers.forEach((tier, i) => {
        if (!isObject(tier) || typeof tier.start !== 'number' || typeof tier.price !== 'number') {
          notes.add('skipped an unreadable price tier', `${where} ${key}: ${JSON.stringify(tier)}`);
          return;
        }
        addPrice(file, claims, field, tier.price, `${path}/${key}/tiers/${i}/price`, joinConditions(condition, conditions.context(tier.start)), where);
      });
    } else {
      notes.add('skipped an unreadable price', `${where} ${key}: ${JSON.stringify(raw)}`);
    }
  }
}

function addPrice(file: FileReading, claims: ModelClaims, field: FieldName, value: number, path: string, condition: string, where: string): void {
  if (value === 0) file.notes.add('$0 prices kept, flagged as anomalies (free tiers and unknown prices both print 0)', `${where} ${field}`);
  claims.add(field, value, path, value, condition);
}
