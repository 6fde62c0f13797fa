/**
 * LiteLLM model_prices_and_context_window.json: one entry per (route, model) key.
 *
 * - Costs are USD per token (x1e6). Key suffixes become conditions: `_above_200k_tokens` ->
 *   `context>200000` (any Nk), `_flex` -> `tier:flex`, `_priority` -> `tier:priority`,
 *   `cache_creation..._above_1hr` -> `cache_ttl:1h`; `_batches` selects the batch price fields.
 *   `input_cost_per_audio_token` / `output_cost_per_audio_token` are the audio token prices; the
 *   audio cache and per-second prices have no ledger field.
 * - `supports_*` flags (tool_choice and pdf_input among them) and `deprecation_date` (a day) are
 *   read as stated; like every other figure they are the route's on a route entry.
 * - `litellm_provider` is the route. An entry served by the model's own provider ("gpt-5" via
 *   openai, "gemini/gemini-2.5-pro" via gemini) gives base claims; any other route ("azure/gpt-5",
 *   "bedrock/...") gives claims with `route:<provider>` on every field, because routes differ in
 *   prices, limits and features alike. Regional variants name the region: `route:azure/eu`.
 * - Only chat / responses / completion entries describe text models; other modes are skipped.
 * - `max_input_tokens` is an input limit, not the context window: GPT-5.2 takes 272K input tokens
 *   of a 400K context. It is claimed as `max_input_tokens`; LiteLLM has no total-context key, so
 *   this extractor makes no `context_window` claims. `max_tokens` is legacy and never read: in the
 *   2026-03 files it equals `max_output_tokens` wherever both are given (1,934 text entries), and
 *   LiteLLM's own sample_spec says it falls back to the input limit otherwise.
 */
import type { ClaimValue, ExtractedClaim, ExtractResult } from '../schema/claim.ts';
import type { FieldName } from '../schema/fields.ts';
import { identify, providerSlug, withoutBedrockRevision } from '../normalize/identity.ts';
import { parseDate } from '../normalize/dates.ts';
import { finishResult, joinConditions, makeClaim, NoteTally } from './claims.ts';
import { escapePointer, isObject, PerMillionPrices, type Json, parseJsonBody } from './json.ts';
import { memoize } from './memo.ts';
import type { ExtractInput } from './types.ts';

const CONFIDENCE = 0.9;
const TEXT_MODES = new Set(['chat', 'responses', 'completion']);

// litellm_provider values that are a vendor's own API, by the vendor's provider slug.
const OWN_API: Record<string, string> = {
  openai: 'openai',
  'text-completion-openai': 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  deepseek: 'deepseek',
  mistral: 'mistralai',
  'text-completion-codestral': 'mistralai',
  codestral: 'mistralai',
  xai: 'x-ai',
  dashscope: 'qwen',
  moonshot: 'moonshotai',
  zai: 'z-ai',
  cohere: 'cohere',
  cohere_chat: 'cohere',
  meta_llama: 'meta-llama',
  amazon_nova: 'amazon',
  ai21: 'ai21',
  minimax: 'minimax',
  perplexity: 'perplexity',
  aleph_alpha: 'aleph-alpha',
};

// Cloud platforms resell several vendors; their provider name says whose model a bare name is.
const PLATFORM_VENDORS: Array<[RegExp, string]> = [
  [/anthropic/, 'anthropic'],
  [/mistral/, 'mistralai'],
  [/llama/, 'meta-llama'],
  [/ai21/, 'ai21'],
  [/qwen/, 'qwen'],
  [/deepseek/, 'deepseek'],
  [/openai/, 'openai'],
  [/^vertex_ai/, 'google'],
];

/**
 * The vendor of a model name that names none and implies none: a cloud platform's provider name
 * says whose models it resells (vertex_ai-anthropic_models); otherwise the provider listing it.
 */
function defaultVendorOf(litellmProvider: string): string {
  const own = OWN_API[litellmProvider];
  if (own) return own;
  const platform = litellmProvider.startsWith('vertex_ai') ? PLATFORM_VENDORS.find(([pattern]) => pattern.test(litellmProvider)) : undefined;
  return platform ? platform[1] : providerSlug(litellmProvider);
}

/** One route per platform: LiteLLM splits Vertex and Bedrock into several provider names. */
function routeName(litellmProvider: string): string {
  if (litellmProvider.startsWith('vertex_ai')) return 'vertex_ai';
  // bedrock_mantle is Bedrock's OpenAI-compatible endpoint, priced apart from Bedrock proper.
  if (litellmProvider.startsWith('bedrock') && litellmProvider !== 'bedrock_mantle') return 'bedrock';
  if (litellmProvider === 'azure_text') return 'azure';
  return litellmProvider.replace(/-embedding-models$/, '');
}

/** What a litellm_provider value says about the entries it lists. */
interface ProviderReading {
  /** The vendor of a bare model name it lists. */
  defaultVendor: string;
  /** The vendor whose own API this provider is (its own slug when not a known vendor API). */
  apiVendor: string;
  /** The route name its non-own-API claims carry. */
  route: string;
  /** The provider's first word: a key path starting with it names the route, not a vendor. */
  keyPrefix: string;
}

// A file has ~80 providers over ~2k entries: read each provider once, not once per entry.
const readProvider = memoize(
  (litellmProvider: string): ProviderReading => ({
    defaultVendor: defaultVendorOf(litellmProvider),
    apiVendor: OWN_API[litellmProvider] ?? providerSlug(litellmProvider),
    route: routeName(litellmProvider),
    keyPrefix: litellmProvider.split('-')[0].split('_')[0],
  }),
);

const REGION_SEGMENT = /^(?:eu|us|global|global-standard|apac|jp|au|ca|[a-z]{2}(?:-[a-z]+)+-\d)$/;
const DOTTED_REGION = /^(us|eu|apac|global|jp|au|ca|us-gov)\.(?=[a-z0-9-]+\.)/;
const DOTTED_VENDOR = /^(anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|writer|twelvelabs|moonshot|moonshotai|minimax|google|nvidia|zai)\./;

interface KeyReading {
  /** The model part of the key, cleaned of route path, region and Bedrock decorations. */
  name: string;
  vendor?: string;
  region?: string;
}

/** "bedrock/us-east-1/us.anthropic.claude-3-5-haiku-20241022-v1:0" -> claude-3-5-haiku-20241022, region us-east-1. */
export function readLiteLLMKey(key: string, litellmProvider: string): KeyReading {
  // A regex separator, not '/': keys come from JSON.parse as internalized strings, and V8's
  // string-separator split caches its results for those, which thrashes (and copies) on ~2k
  // distinct keys; measured about twice as slow as the regex split here.
  const parts = key.split(/\//);
  const { keyPrefix, route } = readProvider(litellmProvider);
  if (parts.length > 1 && (parts[0] === litellmProvider || parts[0].startsWith(keyPrefix) || parts[0] === route)) {
    parts.shift();
  }
  let region: string | undefined;
  while (parts.length > 1 && REGION_SEGMENT.test(parts[0])) region = parts.shift();
  // Fireworks paths: accounts/<org>/models/<name>.
  if (parts[0] === 'accounts' && parts[2] === 'models' && parts.length === 4) parts.splice(0, 3, parts[1]);
  let last = parts[parts.length - 1].replace(/@/g, '-');
  let vendor = parts.length > 1 ? parts[0] : undefined;
  const dottedRegion = last.match(DOTTED_REGION);
  if (dottedRegion) {
    region = region ?? dottedRegion[1];
    last = last.slice(dottedRegion[0].length);
  }
  const dottedVendor = last.match(DOTTED_VENDOR);
  if (dottedVendor) {
    vendor = dottedVendor[1];
    last = withoutBedrockRevision(last.slice(dottedVendor[0].length));
  }
  return { name: vendor ? `${vendor}/${last}` : last, vendor, region };
}

// ---------------------------------------------------------------- cost keys

interface CostReading {
  field: FieldName;
  condition: string;
}

const COST_KEY = /^(input_cost_per_token|output_cost_per_token|input_cost_per_audio_token|output_cost_per_audio_token|cache_read_input_token_cost|cache_creation_input_token_cost)((?:_[a-z0-9]+)*)$/;

/** The field and condition a cost key means, or a reason it has no ledger field. */
export const readCostKey = memoize(parseCostKey);

function parseCostKey(key: string): CostReading | string | null {
  const m = key.match(COST_KEY);
  if (!m) return null;
  const [, kind, suffix] = m;
  const conditions: string[] = [];
  let batch = false;
  let cacheHit = false;
  for (const part of suffix.matchAll(/_above_(\d+)k_tokens|_above_1hr|_batches|_batch_requests|_flex|_priority|_cache_hit|(_[a-z0-9]+)/g)) {
    if (part[1]) conditions.push(`context>${Number(part[1]) * 1000}`);
    else if (part[0] === '_above_1hr') conditions.push('cache_ttl:1h');
    else if (part[0] === '_batches' || part[0] === '_batch_requests') batch = true;
    else if (part[0] === '_flex') conditions.push('tier:flex');
    else if (part[0] === '_priority') conditions.push('tier:priority');
    else if (part[0] === '_cache_hit') cacheHit = true;
    else return `unknown cost suffix ${part[0]}`;
  }
  let field: FieldName;
  if (kind === 'input_cost_per_audio_token' || kind === 'output_cost_per_audio_token') {
    if (batch || cacheHit) return 'no ledger field for batch or cached audio prices';
    field = kind === 'input_cost_per_audio_token' ? 'audio_input_price' : 'audio_output_price';
  } else if (kind === 'input_cost_per_token') field = cacheHit ? 'cached_input_price' : batch ? 'batch_input_price' : 'input_price';
  else if (kind === 'output_cost_per_token') field = batch ? 'batch_output_price' : 'output_price';
  else if (batch) return 'no ledger field for batch cache prices';
  else field = kind === 'cache_read_input_token_cost' ? 'cached_input_price' : 'cache_write_price';
  return { field, condition: joinConditions(...conditions) };
}

const FLAGS: Array<[key: string, fields: FieldName[]]> = [
  ['supports_vision', ['vision']],
  ['supports_function_calling', ['function_calling', 'tool_use']],
  ['supports_reasoning', ['reasoning']],
  ['supports_response_schema', ['structured_outputs']],
  ['supports_audio_input', ['audio_input']],
  ['supports_audio_output', ['audio_output']],
  ['supports_code_execution', ['code_execution']],
  ['supports_tool_choice', ['tool_choice']],
  ['supports_pdf_input', ['pdf_input']],
];

// ---------------------------------------------------------------- raw quotes


function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** The scalar token starting at `from` after a key: `: 1.25e-07` -> "1.25e-07". */
function scalarAfter(body: string, from: number): string | null {
  let i = from;
  while (i < body.length && isBlank(body.charCodeAt(i))) i++;
  if (body[i] !== ':') return null;
  i++;
  while (i < body.length && isBlank(body.charCodeAt(i))) i++;
  let end = i;
  while (end < body.length) {
    const c = body[end];
    if (c === ',' || c === '}' || c === ']' || isBlank(body.charCodeAt(end))) break;
    end++;
  }
  return end > i ? body.slice(i, end) : null;
}

/**
 * The value's text exactly as the file prints it ("1.25e-07", not JS's "1.25e-7"), found by a
 * forward scan from the entry's position so the whole file is read once; falls back to
 * JSON.stringify when the text found does not hold the parsed value.
 */
class RawText {
  private cursor = 0;
  private entryStart = -1;
  constructor(private readonly body: string) {}

  enter(key: string): void {
    const needle = JSON.stringify(key);
    let at = this.body.indexOf(needle, this.cursor);
    if (at < 0) at = this.body.indexOf(needle);
    this.entryStart = at;
    if (at >= 0) this.cursor = at + needle.length;
  }

  private readonly needles = new Map<string, string>();

  quote(key: string, value: unknown): string {
    // Booleans print the same in Python and JS; numbers need the file's own text ("0.0", "1e-05").
    if (typeof value === 'boolean') return String(value);
    if (this.entryStart < 0) return JSON.stringify(value);
    let needle = this.needles.get(key);
    if (needle === undefined) {
      needle = JSON.stringify(key);
      this.needles.set(key, needle);
    }
    const at = this.body.indexOf(needle, this.entryStart);
    if (at < 0 || at - this.entryStart > 20_000) return JSON.stringify(value);
    const text = scalarAfter(this.body, at + needle.length);
    if (text === null) return JSON.stringify(value);
    const same = typeof value === 'number' ? Number(text) === value : text === String(value);
    return same ? text : JSON.stringify(value);
  }
}

// ---------------------------------------------------------------- extractor


export function extractLiteLLM(input: ExtractInput): ExtractResult {
  const expect = { min_models: 1, fields: ['input_price', 'max_input_tokens'] };
  const body = parseJsonBody(input, expect);
  if ('failed' in body) return body.failed;
  const parsed = body.parsed;
  if (!isObject(parsed)) return finishResult([], ['JSON is not an object of model entries'], expect, input.source);
  const file: FileReading = { claims: [], raw: new RawText(input.body), notes: new NoteTally(), prices: new PerMillionPrices() };
  for (const key in parsed) {
    const entry = parsed[key];
    if (key === 'sample_spec' || !isObject(entry)) continue;
    const mode = typeof entry.mode === 'string' ? entry.mode : 'none';
    if (!TEXT_MODES.has(mode)) {
      file.notes.add(`skipped entries of mode ${mode} (not a text model)`);
      continue;
    }
    const provider = typeof entry.litellm_provider === 'string' ? entry.litellm_provider : key.split('/')[0];
    if (key.includes('commitment')) {
      file.notes.add('skipped provisioned-throughput commitment entries', key);
      continue;
    }
    if (entry.supports_preset === true) {
      file.notes.add('skipped presets (a configuration over models, not a model)', key);
      continue;
    }
    file.raw.enter(key);
    readEntry(file, key, entry, provider);
  }
  return finishResult(file.claims, file.notes.lines(), expect, input.source);
}

/** What reading one file carries from entry to entry. */
interface FileReading {
  claims: ExtractedClaim[];
  raw: RawText;
  notes: NoteTally;
  prices: PerMillionPrices;
}


/** One entry's claims share its name, model, route and JSON pointer. */
class EntryClaims {
  private readonly pointer: string;
  /** The route condition, joined once: most of the entry's claims carry it alone. */
  private readonly route: string;
  constructor(
    private readonly claims: ExtractedClaim[],
    private readonly key: string,
    private readonly model: string,
    route: string,
  ) {
    this.pointer = `/${escapePointer(key)}`;
    this.route = joinConditions(route);
  }

  add(field: FieldName, value: ClaimValue, path: string, quote: string, condition = ''): void {
    this.claims.push(
      makeClaim({
        name: this.key,
        model: this.model,
        field,
        value,
        condition: condition ? joinConditions(condition, this.route) : this.route,
        locator: `${this.pointer}${path}`,
        quote,
        confidence: CONFIDENCE,
      }),
    );
  }
}

function readEntry(file: FileReading, key: string, entry: Json, litellmProvider: string): void {
  const { raw, notes } = file;
  const reading = readLiteLLMKey(key, litellmProvider);
  const provider = readProvider(litellmProvider);
  const identity = identify(reading.name, provider.defaultVendor);
  // A provider named after the vendor itself ("google" in an exported file) is its own API too.
  const ownApi = provider.apiVendor === identity.provider && !reading.region;
  const route = ownApi ? '' : `route:${provider.route}${reading.region ? `/${reading.region}` : ''}`;
  const claims = new EntryClaims(file.claims, key, identity.id, route);

  for (const prop in entry) {
    const value = entry[prop];
    if (typeof value !== 'number') continue;
    const cost = readCostKey(prop);
    if (cost === null) continue;
    if (typeof cost === 'string') {
      notes.add(`not read: ${prop} (${cost})`);
      continue;
    }
    const price = file.prices.of(value);
    if (price !== null) claims.add(cost.field, price, `/${prop}`, raw.quote(prop, value), cost.condition);
  }
  if (Array.isArray(entry.tiered_pricing)) readTiers(file, entry.tiered_pricing, claims);

  if (typeof entry.max_input_tokens === 'number') {
    claims.add('max_input_tokens', entry.max_input_tokens, '/max_input_tokens', raw.quote('max_input_tokens', entry.max_input_tokens));
  }
  if (typeof entry.max_tokens === 'number') {
    notes.add('did not read legacy max_tokens: it repeats max_output_tokens, or max_input_tokens where no output limit is given');
  }
  if (typeof entry.max_output_tokens === 'number') {
    claims.add('max_output_tokens', entry.max_output_tokens, '/max_output_tokens', raw.quote('max_output_tokens', entry.max_output_tokens));
  }
  for (const [prop, fields] of FLAGS) {
    const value = entry[prop];
    if (typeof value !== 'boolean') continue;
    for (const field of fields) claims.add(field, value, `/${prop}`, raw.quote(prop, value));
  }
  if (typeof entry.deprecation_date === 'string') {
    const date = parseDate(entry.deprecation_date);
    if (date) claims.add('deprecation_date', date, '/deprecation_date', entry.deprecation_date);
    else notes.add('skipped an unreadable deprecation_date', `${key}: ${entry.deprecation_date}`);
  }
}

const TIER_PRICES = [
  ['input_cost_per_token', 'input_price'],
  ['output_cost_per_token', 'output_price'],
  ['cache_read_input_token_cost', 'cached_input_price'],
] as const;

/** tiered_pricing: [{input_cost_per_token, output_cost_per_token, range: [from, to]}]. */
function readTiers(file: FileReading, tiers: unknown[], claims: EntryClaims): void {
  tiers.forEach((tier, i) => {
    if (!isObject(tier) || !Array.isArray(tier.range) || typeof tier.range[0] !== 'number') return;
    const from = tier.range[0];
    const condition = from > 0 ? `context>${from}` : '';
    for (const [prop, field] of TIER_PRICES) {
      const value = tier[prop];
      const price = typeof value === 'number' ? file.prices.of(value) : null;
      if (price !== null) claims.add(field, price, `/tiered_pricing/${i}/${prop}`, JSON.stringify(value), condition);
    }
  });
}
