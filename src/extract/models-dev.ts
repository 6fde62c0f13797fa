/**
 * models.dev's https://models.dev/api.json: provider id -> `{ id, name, env, npm, api?, doc, models }`,
 * each model `{ id, name, family?, attachment, reasoning, tool_call, structured_output?, temperature,
 * knowledge?, release_date, last_updated, modalities: {input, output}, open_weights, cost?, limit }`.
 * Costs are USD per 1M tokens.
 *
 * - cost.input / output / cache_read / cache_write -> the price fields. `cost.tiers`
 *   (`[{tier: {type: 'context', size}, input, output, ...}]`) -> `context>size` conditions; the
 *   legacy `cost.context_over_200k` -> `context>200000`, read only when there are no tiers (models.dev
 *   derives it from a single tier for old consumers, so beside tiers it says nothing new and may
 *   name the wrong threshold). cost.input_audio / output_audio -> the audio token prices; reasoning
 *   costs have no ledger field: noted.
 * - limit.context -> context_window, limit.input -> max_input_tokens (an input limit, its own field),
 *   limit.output -> max_output_tokens.
 * - modalities.input image / audio -> vision / audio_input; modalities.output audio -> audio_output;
 *   reasoning, tool_call (tool_use and function_calling, as the other JSON extractors read
 *   tools), structured_output, open_weights; release_date and knowledge as dates.
 * - modalities.input pdf -> pdf_input true. A list without pdf says nothing about PDFs (32 of the 62
 *   OpenAI, Anthropic and Google models LiteLLM says read PDFs are listed without it, gpt-5 among
 *   them), so no false is claimed from it.
 * - Models that output no text (image, audio, video generators), embeddings and rerankers are not
 *   text models: skipped. So are routers ("auto", Fireworks routers), which are not models.
 *
 * Identity. A vendor's own folder (openai, anthropic, google, mistral, ...) lists its own models:
 * base claims on `vendor/model`. Every other folder lists models it serves: a resale route, so its
 * claims go to the UPSTREAM model's canonical id with condition `route:<listing>` on every field (its
 * prices, limits and features are the route's). Route names are LiteLLM's where the platform is the
 * same (amazon-bedrock -> bedrock, google-vertex -> vertex_ai, togetherai -> together_ai, ...), so
 * both sources' route claims meet in the reconciler; Bedrock regions become `route:bedrock/us`.
 * A vendor's regional or plan folders (alibaba-cn, minimax-coding-plan, zhipuai, ...) are routes of
 * that vendor. The upstream vendor comes from the model name (identity.ts's prefixes, then a few
 * more below), a Bedrock `vendor.` prefix, or a `vendor/` path segment naming a known vendor; where
 * none says, the listing's own id is kept (`<listing>/<model>`, base claims) with a note: a wrong
 * merge is worse than a missing one. Names are never merged by look-alike (claude-opus-4.6 stays
 * apart from claude-opus-4-6; a dated snapshot from its family): aliases.yaml does that, reviewed.
 * - On a resale route, release_date, knowledge_cutoff and open_weights are not read: they describe
 *   the model, not the route, and the vendor's own entry gives them.
 * - A $0 price stays a claim and is flagged by the field's bounds, as everywhere (free tiers and
 *   unknowns both print 0); the notes count them.
 */
import type { ClaimValue, ExtractedClaim, ExtractResult } from '../schema/claim.ts';
import type { FieldName } from '../schema/fields.ts';
import { condition as conditions, joinConditions } from '../schema/condition.ts';
import { identify, inferProvider, knownVendor, ownFamilyVendor, providerSlug, slugifyModelName } from '../normalize/identity.ts';
import { parseDate } from '../normalize/dates.ts';
import { routeName } from '../normalize/routes.ts';
import { finishResult, makeClaim, NoteTally } from './claims.ts';
import { escapePointer, isObject, type Json, parseJsonBody } from './json.ts';
import { readLiteLLMKey } from './litellm.ts';
import type { ExtractInput } from './types.ts';

const CONFIDENCE = 0.9;
// A capability missing from a list is weaker evidence than one listed: the list may be incomplete.
const ABSENT_CONFIDENCE = 0.6;
const EXPECT = { min_models: 1, fields: ['input_price', 'context_window'] };

// ---------------------------------------------------------------- identity (shared with genai-prices)



/** Model-name prefixes identity.ts does not know, used only where it infers no vendor itself. */
const MORE_PREFIXES: Array<[RegExp, string]> = [
  [/^minimax/, 'minimax'],
  [/^mimo-/, 'xiaomi'],
  [/^step-\d/, 'stepfun'],
  [/^qvq/, 'qwen'],
  [/^ernie/, 'baidu'],
  [/^hunyuan/, 'tencent'],
  [/^nemotron/, 'nvidia'],
];

/** The vendor a bare model name implies: identity.ts's prefixes first, then MORE_PREFIXES. */
export function vendorOfName(name: string): string | undefined {
  const slug = slugifyModelName(name);
  return inferProvider(slug) ?? MORE_PREFIXES.find(([pattern]) => pattern.test(slug))?.[1];
}

/** How a catalogue's listing (a models.dev folder, a genai-prices provider) relates to its models. */
export interface Listing {
  /** The listing's own id, used for models whose vendor cannot be told. */
  id: string;
  /** The vendor whose catalogue this is (its own API, or a regional / plan variant of it). */
  vendor?: string;
  /** The route its claims carry; '' for a vendor's main API, whose own models get base claims. */
  route: string;
  /** On a vendor's main API, the route another vendor's model carries (default: the listing's id). */
  resale?: string;
  /** How it decorates model ids. */
  platform?: 'bedrock' | 'vertex';
}

export interface ListedModel {
  /** Canonical id. */
  model: string;
  /** The condition every claim of the entry carries (its route), '' for the vendor's own entry. */
  condition: string;
  /** False when the vendor could not be told and the listing's own id was kept. */
  upstream: boolean;
}

interface CleanName {
  name: string;
  vendor?: string;
  region?: string;
}

/** Strip what a platform adds to a model name: paths, Bedrock regions and revisions, Vertex tags. */
function cleanListedName(id: string, listing: Listing): CleanName {
  let name = id
    .replace(/^hf:/, '')
    .replace(/^workers-ai\//, '')
    .replace(/^@cf\//, '')
    .replace(/^accounts\/[^/]+\/models\//, '')
    .replace(/^databricks-/, '');
  // SAP AI Core: "anthropic--claude-4.5-sonnet".
  const sap = /^([a-z0-9]+)--(.+)$/.exec(name);
  if (sap && knownVendor(sap[1])) name = `${sap[1]}/${sap[2]}`;
  if (listing.platform === 'bedrock') {
    // genai-prices spells the in-region price "regional.": no region, the plain Bedrock route.
    const reading = readLiteLLMKey(name.replace(/^regional\./, ''), 'bedrock');
    return { name: reading.name, vendor: reading.vendor ? knownVendor(reading.vendor) ?? reading.vendor : undefined, region: reading.region };
  }
  if (listing.platform === 'vertex') name = name.replace(/@default$/, '').replace(/-maas$/, '');
  // "openai-gpt-5.5", "anthropic-claude-opus-4.8": a vendor word glued on, when the rest is that vendor's name.
  const glued = /^([a-z0-9]+)-(.+)$/i.exec(name);
  if (!name.includes('/') && glued) {
    const vendor = knownVendor(glued[1]);
    if (vendor && vendorOfName(glued[2]) === vendor) name = `${glued[1]}/${glued[2]}`;
  }
  return { name };
}

/**
 * The canonical model a listing's entry is about, and the route condition its claims carry.
 * The vendor comes from the model name, a Bedrock `vendor.` prefix, a path segment naming a known
 * vendor, or the listing itself when it is a vendor's catalogue; otherwise the listing's own id stays.
 */
export function listedModel(id: string, listing: Listing): ListedModel {
  const clean = cleanListedName(id, listing);
  const segments = clean.name.split('/');
  const bare = segments[segments.length - 1];
  const path = segments.slice(0, -1);
  const pathVendor = path
    .map((s) => knownVendor(s))
    .filter(Boolean)
    .pop();
  // A reseller's "org/model" id names the model's organisation as OpenRouter's API does ("thedrummer/rocinante-12b").
  const orgVendor = listing.route !== '' && path.length === 1 && !PATH_WORDS.has(path[0].toLowerCase()) ? providerSlug(path[0]) : undefined;
  // A vendor the id states whose own family the name is ("workers-ai/@cf/deepgram/nova-3"), before the name's prefix.
  const family = [clean.vendor, ...path, listing.vendor].map((v) => (v ? ownFamilyVendor(v, slugifyModelName(bare)) : undefined)).find(Boolean);
  const vendor = family ?? vendorOfName(bare) ?? clean.vendor ?? pathVendor ?? listing.vendor ?? orgVendor;
  if (!vendor) {
    // The listing's own id, path and all ("alpindale/goliath-120b" and "goliath-120b" may differ).
    return { model: identify(slugifyModelName(clean.name).replace(/\//g, '-'), listing.id).id, condition: '', upstream: false };
  }
  const model = identify(bare, vendor).id;
  // Path words that name no vendor name a channel of the listing ("siliconflow/deepseek-r1-0528"
  // on alibaba-cn, "stealth/claude-opus-4.6" on kilo, "Pro/zai-org/GLM-5"): a sub-route, priced apart.
  const channel = (vendor === orgVendor ? [] : path)
    .filter((s) => !knownVendor(s) && !PATH_WORDS.has(s.toLowerCase()))
    .map((s) => slugifyModelName(s))
    .join('-');
  const sub = clean.region ?? (channel || undefined);
  const own = listing.route === '' && listing.vendor === model.slice(0, model.indexOf('/')) && !sub;
  const route = listing.route || listing.resale || listing.id;
  return { model, condition: own ? '' : conditions.route(sub ? `${route}/${sub}` : route), upstream: true };
}

/** Path words that are not channels. */
const PATH_WORDS = new Set(['models', 'route', 'public']);

// ---------------------------------------------------------------- models.dev listings

/** models.dev folders that are a vendor's own API. */
const VENDOR_FOLDERS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  mistral: 'mistralai',
  deepseek: 'deepseek',
  xai: 'x-ai',
  cohere: 'cohere',
  alibaba: 'qwen',
  moonshotai: 'moonshotai',
  zai: 'z-ai',
  minimax: 'minimax',
  perplexity: 'perplexity',
  xiaomi: 'xiaomi',
  stepfun: 'stepfun',
  llama: 'meta-llama',
};

/** A vendor's regional or plan folders: the vendor's own models, on a route of their own. */
const VENDOR_VARIANTS: Array<[RegExp, string]> = [
  [/^alibaba-/, 'qwen'],
  [/^moonshotai-|^kimi-for-coding$/, 'moonshotai'],
  [/^(zhipuai|zai-coding-plan|zhipuai-coding-plan)$/, 'z-ai'],
  [/^minimax-/, 'minimax'],
  [/^xiaomi-/, 'xiaomi'],
  [/^stepfun-/, 'stepfun'],
];


export function modelsDevListing(providerId: string): Listing {
  const vendor = VENDOR_FOLDERS[providerId];
  if (vendor) return { id: providerId, vendor, route: '' };
  const variant = VENDOR_VARIANTS.find(([pattern]) => pattern.test(providerId));
  const platform = providerId === 'amazon-bedrock' ? 'bedrock' : providerId.startsWith('google-vertex') ? 'vertex' : undefined;
  return { id: providerId, vendor: variant?.[1], route: routeName(providerId), platform };
}

// ---------------------------------------------------------------- extractor

const COST_FIELDS: Array<[key: string, field: FieldName]> = [
  ['input', 'input_price'],
  ['output', 'output_price'],
  ['cache_read', 'cached_input_price'],
  ['cache_write', 'cache_write_price'],
  ['input_audio', 'audio_input_price'],
  ['output_audio', 'audio_output_price'],
];
const COST_KEYS_READ = new Set([...COST_FIELDS.map(([key]) => key), 'tiers', 'context_over_200k']);
const ROUTER = /^(?:auto|model-router)$|(?:^|\/)routers\/|^openrouter\//;
const NOT_TEXT = /embed|rerank/i;

/** The providers object of a models.dev body, or null when the body is not that shape. */
export function modelsDevProviders(parsed: unknown): Array<[string, Json]> | null {
  if (!isObject(parsed)) return null;
  const providers = Object.entries(parsed).filter((entry): entry is [string, Json] => isObject(entry[1]) && isObject(entry[1].models));
  return providers.length ? providers : null;
}

export function extractModelsDev(input: ExtractInput): ExtractResult {
  const body = parseJsonBody(input, EXPECT);
  if ('failed' in body) return body.failed;
  const parsed = body.parsed;
  const providers = modelsDevProviders(parsed);
  if (!providers) {
    return finishResult([], ['JSON is not an object of providers with "models" objects (not models.dev\'s api.json shape)'], EXPECT, input.source);
  }
  const file: FileReading = { claims: [], notes: new NoteTally() };
  const skippedProviders = Object.keys(parsed as Json).length - providers.length;
  if (skippedProviders > 0) file.notes.add(`skipped ${skippedProviders} top-level entries without a "models" object`);
  for (const [providerId, provider] of providers) {
    const listing = modelsDevListing(providerId);
    for (const [modelId, entry] of Object.entries(provider.models as Json)) {
      if (!isObject(entry)) {
        file.notes.add('skipped a model entry that is not an object', `${providerId}/${modelId}`);
        continue;
      }
      readModel(file, listing, modelId, entry, `/${escapePointer(providerId)}/models/${escapePointer(modelId)}`);
    }
  }
  return finishResult(file.claims, file.notes.lines(), EXPECT, input.source);
}

/** What reading one file carries from model to model. */
interface FileReading {
  claims: ExtractedClaim[];
  notes: NoteTally;
}

/** One model's claims share its listed id, canonical model, route and JSON pointer. */
class ModelClaims {
  constructor(
    private readonly claims: ExtractedClaim[],
    private readonly name: string,
    private readonly model: string,
    private readonly route: string,
    private readonly pointer: string,
  ) {}

  add(field: FieldName, value: ClaimValue, path: string, raw: unknown, condition = '', confidence = CONFIDENCE): void {
    this.claims.push(
      makeClaim({
        name: this.name,
        model: this.model,
        field,
        value,
        condition: condition ? joinConditions(condition, this.route) : this.route,
        locator: `${this.pointer}${path}`,
        quote: JSON.stringify(raw),
        confidence,
      }),
    );
  }
}

function isTextModel(entry: Json, modelId: string): 'router' | 'not-text' | 'embedding' | null {
  if (ROUTER.test(modelId)) return 'router';
  const output = isObject(entry.modalities) && Array.isArray(entry.modalities.output) ? entry.modalities.output : null;
  if (output && !output.includes('text')) return 'not-text';
  if (NOT_TEXT.test(modelId) || (typeof entry.family === 'string' && NOT_TEXT.test(entry.family))) return 'embedding';
  return null;
}

const SKIP_NOTES = {
  router: 'skipped routers (they route to other models)',
  'not-text': 'skipped models that output no text (image, audio, video generators)',
  embedding: 'skipped embedding and reranking models (not text generation)',
};

function readModel(file: FileReading, listing: Listing, modelId: string, entry: Json, pointer: string): void {
  const { notes } = file;
  const skip = isTextModel(entry, modelId);
  if (skip) {
    notes.add(SKIP_NOTES[skip], `${listing.id}/${modelId}`);
    return;
  }
  const identity = listedModel(modelId, listing);
  if (!identity.upstream) notes.add("kept the listing's own id: the model's vendor could not be told from its name", `${listing.id}/${modelId}`);
  const claims = new ModelClaims(file.claims, modelId, identity.model, identity.condition, pointer);
  const onRoute = identity.condition !== '';

  if (isObject(entry.cost)) readCost(file, entry.cost, claims, `${listing.id}/${modelId}`);
  else notes.add('models without a cost (no public price)', `${listing.id}/${modelId}`);

  const limit = isObject(entry.limit) ? entry.limit : {};
  for (const [key, field] of [['context', 'context_window'], ['input', 'max_input_tokens'], ['output', 'max_output_tokens']] as const) {
    const value = limit[key];
    if (typeof value === 'number') claims.add(field, value, `/limit/${key}`, value);
  }

  const modalities = isObject(entry.modalities) ? entry.modalities : {};
  if (Array.isArray(modalities.input)) {
    const inputs = modalities.input;
    for (const [field, modality] of [['vision', 'image'], ['audio_input', 'audio']] as const) {
      const present = inputs.includes(modality);
      claims.add(field, present, '/modalities/input', inputs, '', present ? CONFIDENCE : ABSENT_CONFIDENCE);
    }
    if (inputs.includes('pdf')) claims.add('pdf_input', true, '/modalities/input', inputs);
  }
  if (Array.isArray(modalities.output)) {
    const present = modalities.output.includes('audio');
    claims.add('audio_output', present, '/modalities/output', modalities.output, '', present ? CONFIDENCE : ABSENT_CONFIDENCE);
  }

  const flags: Array<[key: string, fields: FieldName[]]> = [
    ['reasoning', ['reasoning']],
    ['tool_call', ['tool_use', 'function_calling']],
    ['structured_output', ['structured_outputs']],
  ];
  if (!onRoute) flags.push(['open_weights', ['open_weights']]);
  for (const [key, fields] of flags) {
    const value = entry[key];
    if (typeof value === 'boolean') for (const field of fields) claims.add(field, value, `/${key}`, value);
  }

  if (onRoute) {
    if (entry.release_date !== undefined || entry.knowledge !== undefined || entry.open_weights !== undefined) {
      notes.add('did not read release_date, knowledge or open_weights on resale routes (they describe the model, not the route)');
    }
    return;
  }
  for (const [key, field] of [['release_date', 'release_date'], ['knowledge', 'knowledge_cutoff']] as const) {
    const text = entry[key];
    if (typeof text !== 'string') continue;
    const date = parseDate(text);
    if (date) claims.add(field, date, `/${key}`, text);
    else notes.add(`skipped an unreadable ${key}`, `${listing.id}/${modelId}: ${text}`);
  }
}

function readPrices(file: FileReading, prices: Json, path: string, condition: string, claims: ModelClaims, where: string): void {
  for (const [key, field] of COST_FIELDS) {
    const value = prices[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      file.notes.add('skipped an unreadable price', `${where} ${key}: ${JSON.stringify(value)}`);
      continue;
    }
    if (value === 0) file.notes.add('$0 prices kept, flagged as anomalies (free tiers and unknown prices both print 0)', `${where} ${key}`);
    claims.add(field, value, `${path}/${key}`, value, condition);
  }
}

function readCost(file: FileReading, cost: Json, claims: ModelClaims, where: string): void {
  const { notes } = file;
  readPrices(file, cost, '/cost', '', claims, where);
  for (const key of Object.keys(cost)) if (!COST_KEYS_READ.has(key)) notes.add(`not read: cost.${key} (no ledger field)`);

  if (Array.isArray(cost.tiers)) {
    cost.tiers.forEach((tier, i) => {
      const threshold = isObject(tier) && isObject(tier.tier) ? tier.tier : null;
      const kind = threshold?.type ?? 'context';
      if (!threshold || kind !== 'context' || typeof threshold.size !== 'number') {
        notes.add('skipped a cost tier that is not a context-size tier', `${where}: ${JSON.stringify(tier)}`);
        return;
      }
      readPrices(file, tier as Json, `/cost/tiers/${i}`, conditions.context(threshold.size), claims, where);
    });
    if (isObject(cost.context_over_200k)) notes.add('did not read cost.context_over_200k beside cost.tiers (a legacy copy of a tier)');
  } else if (isObject(cost.context_over_200k)) {
    readPrices(file, cost.context_over_200k, '/cost/context_over_200k', conditions.context(200_000), claims, where);
  }
}
