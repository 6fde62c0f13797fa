/**
 * LiteLLM's model_prices_and_context_window.json, drop-in: LiteLLM looks a model up by its own key
 * and `litellm_provider`, so an entry under any other spelling is never found.
 *
 * - A model (and route) the LiteLLM source itself lists is written under every key LiteLLM used for
 *   it, with that entry's `litellm_provider` and `mode`: the reference, read from the LiteLLM
 *   capture the ledger holds (the claims' JSON pointers name the key, the capture's entry names
 *   provider and mode).
 * - A model LiteLLM lacks follows its conventions: the provider name LiteLLM uses for the vendor's
 *   own API (`gemini`, not `google`) or for the route, keyed as LiteLLM keys that provider's entries
 *   (bare, `provider/name` or `provider/vendor/name`). A model whose provider LiteLLM does not know
 *   is left out and counted: LiteLLM could never look it up.
 * - Only property names LiteLLM's file uses; costs per token (audio tokens too); `max_input_tokens` only from an input
 *   limit (a context window is not one: GPT-5.2 takes 272K input tokens of a 400K window).
 */
import { parseCondition, routeOf, withoutRoute, type ConditionPart } from '../schema/condition.ts';
import type { FieldName } from '../schema/fields.ts';
import type { Dataset, DatasetValue } from '../schema/dataset.ts';
import { byRoute, mostCommon, pointerTokens, push, sortKeys, tally } from './shape.ts';

/** Every `litellm_provider` value in LiteLLM's file (2026-03). */
export const LITELLM_PROVIDERS: ReadonlySet<string> = new Set([
  'ai21', 'aiml', 'aleph_alpha', 'amazon_nova', 'anthropic', 'anyscale', 'assemblyai', 'aws_polly', 'azure', 'azure_ai', 'azure_text',
  'bedrock', 'bedrock_converse', 'bedrock_mantle', 'black_forest_labs', 'cerebras', 'chatgpt', 'cloudflare', 'codestral', 'cohere',
  'cohere_chat', 'dashscope', 'databricks', 'dataforseo', 'deepgram', 'deepinfra', 'deepseek', 'duckduckgo', 'elevenlabs', 'exa_ai',
  'fal_ai', 'featherless_ai', 'firecrawl', 'fireworks_ai', 'fireworks_ai-embedding-models', 'friendliai', 'gemini', 'gigachat',
  'github_copilot', 'gmi', 'google_pse', 'gradient_ai', 'groq', 'heroku', 'hyperbolic', 'jina_ai', 'lambda_ai', 'lemonade', 'linkup',
  'llamagate', 'meta_llama', 'minimax', 'mistral', 'moonshot', 'morph', 'nebius', 'nlp_cloud', 'novita', 'nscale', 'nvidia_nim', 'oci',
  'ollama', 'openai', 'openrouter', 'ovhcloud', 'palm', 'parallel_ai', 'perplexity', 'publicai', 'recraft', 'replicate', 'runwayml',
  'sagemaker', 'sambanova', 'sarvam', 'searxng', 'serper', 'snowflake', 'stability', 'tavily', 'text-completion-codestral',
  'text-completion-openai', 'together_ai', 'v0', 'vercel_ai_gateway', 'vertex_ai', 'vertex_ai-ai21_models', 'vertex_ai-anthropic_models',
  'vertex_ai-chat-models', 'vertex_ai-code-chat-models', 'vertex_ai-code-text-models', 'vertex_ai-deepseek_models',
  'vertex_ai-embedding-models', 'vertex_ai-image-models', 'vertex_ai-language-models', 'vertex_ai-llama_models', 'vertex_ai-minimax_models',
  'vertex_ai-mistral_models', 'vertex_ai-moonshot_models', 'vertex_ai-openai_models', 'vertex_ai-qwen_models', 'vertex_ai-text-models',
  'vertex_ai-video-models', 'vertex_ai-vision-models', 'vertex_ai-zai_models', 'volcengine', 'voyage', 'wandb', 'watsonx', 'xai', 'zai',
]);

/** The cost property names LiteLLM's file uses (2026-03); a tier it has no name for is not written. */
const LITELLM_COST_KEYS: ReadonlySet<string> = new Set([
  'cache_creation_input_token_cost', 'cache_creation_input_token_cost_above_1hr', 'cache_creation_input_token_cost_above_1hr_above_200k_tokens',
  'cache_creation_input_token_cost_above_200k_tokens', 'cache_read_input_token_cost', 'cache_read_input_token_cost_above_200k_tokens',
  'cache_read_input_token_cost_above_200k_tokens_priority', 'cache_read_input_token_cost_above_272k_tokens',
  'cache_read_input_token_cost_above_272k_tokens_priority', 'cache_read_input_token_cost_flex', 'cache_read_input_token_cost_priority',
  'input_cost_per_token', 'input_cost_per_token_above_128k_tokens', 'input_cost_per_token_above_200k_tokens',
  'input_cost_per_token_above_200k_tokens_priority', 'input_cost_per_token_above_256k_tokens', 'input_cost_per_token_above_272k_tokens',
  'input_cost_per_token_above_272k_tokens_priority', 'input_cost_per_token_batches', 'input_cost_per_token_flex', 'input_cost_per_token_priority',
  'output_cost_per_token', 'output_cost_per_token_above_128k_tokens', 'output_cost_per_token_above_200k_tokens',
  'output_cost_per_token_above_200k_tokens_priority', 'output_cost_per_token_above_256k_tokens', 'output_cost_per_token_above_272k_tokens',
  'output_cost_per_token_above_272k_tokens_priority', 'output_cost_per_token_batches', 'output_cost_per_token_flex', 'output_cost_per_token_priority',
  'input_cost_per_audio_token', 'input_cost_per_audio_token_priority', 'output_cost_per_audio_token',
]);

/** The ledger's vendor slugs whose own API LiteLLM names otherwise. */
const VENDOR_API: Record<string, string> = {
  google: 'gemini',
  mistralai: 'mistral',
  'x-ai': 'xai',
  qwen: 'dashscope',
  moonshotai: 'moonshot',
  'z-ai': 'zai',
  'meta-llama': 'meta_llama',
  amazon: 'amazon_nova',
  'aleph-alpha': 'aleph_alpha',
  cohere: 'cohere_chat',
};

/** Route names (the ledger's, models.dev's reseller folders) that LiteLLM spells otherwise. */
const ROUTE_PROVIDER: Record<string, string> = {
  'amazon-bedrock': 'bedrock',
  'google-vertex': 'vertex_ai',
  'vertex-ai': 'vertex_ai',
  'azure-ai': 'azure_ai',
  together: 'together_ai',
  togetherai: 'together_ai',
  'together-ai': 'together_ai',
  fireworks: 'fireworks_ai',
  'fireworks-ai': 'fireworks_ai',
  'github-copilot': 'github_copilot',
  lambda: 'lambda_ai',
  'lambda-ai': 'lambda_ai',
  vercel: 'vercel_ai_gateway',
  'novita-ai': 'novita',
  featherless: 'featherless_ai',
  'featherless-ai': 'featherless_ai',
  friendli: 'friendliai',
  'nvidia-nim': 'nvidia_nim',
};

/**
 * Providers LiteLLM keys by the provider's own model id (`anthropic.claude-sonnet-4-6`,
 * `bedrock/us-east-1/amazon.nova-pro-v1:0`), which the ledger's ids do not give: a key made up for
 * a model LiteLLM lacks there is one LiteLLM never looks up.
 */
const NATIVE_ID_PROVIDERS = new Set(['bedrock', 'bedrock_converse']);

/** How LiteLLM keys a provider's entries when the provider lists no entry the reference shows. */
const BARE_KEYS = new Set(['openai', 'anthropic', 'cohere_chat', 'ai21', 'aleph_alpha', 'text-completion-openai', 'bedrock_converse']);
const VENDOR_KEYS = new Set(['openrouter', 'together_ai', 'deepinfra', 'novita', 'nebius', 'vercel_ai_gateway', 'replicate', 'hyperbolic', 'nscale', 'gmi', 'wandb', 'anyscale', 'publicai', 'nvidia_nim', 'featherless_ai', 'watsonx']);

/** One entry of LiteLLM's own file and the ledger model (and route) its claims were reconciled under. */
export interface LiteLLMReferenceEntry {
  key: string;
  litellm_provider: string;
  mode: string;
  /** Null for an entry no claim came from (an image or embedding model): its key is taken all the same. */
  model: string | null;
  /** The route condition's name (`azure`, `bedrock/us-east-1`), null for the vendor's own API. */
  route: string | null;
}

type KeyShape = 'bare' | 'prefix' | 'vendor';

export interface LiteLLMExport {
  entries: Record<string, Record<string, unknown>>;
  /** Vendors (or `route:r`) whose models are left out because LiteLLM knows no provider for them, with the count of entries. */
  unknownProviders: Record<string, number>;
}

/** The reference from the LiteLLM capture: its body, and its claims as reconciled (model and route per JSON pointer). */
export function litellmReference(body: string, claims: Iterable<{ model: string; condition: string; locator: string | null }>): LiteLLMReferenceEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== 'object') return [];
  const file = parsed as Record<string, { litellm_provider?: unknown; mode?: unknown }>;
  const byKey = new Map<string, LiteLLMReferenceEntry>();
  for (const c of claims) {
    const [key] = pointerTokens(c.locator, 1);
    if (key === undefined || byKey.has(key)) continue;
    const entry = file[key];
    if (!entry || typeof entry.litellm_provider !== 'string') continue;
    byKey.set(key, { key, litellm_provider: entry.litellm_provider, mode: typeof entry.mode === 'string' ? entry.mode : 'chat', model: c.model, route: routeOf(c.condition) });
  }
  for (const [key, entry] of Object.entries(file)) {
    if (byKey.has(key) || !entry || typeof entry.litellm_provider !== 'string') continue;
    byKey.set(key, { key, litellm_provider: entry.litellm_provider, mode: typeof entry.mode === 'string' ? entry.mode : 'chat', model: null, route: null });
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

const TEXT_MODES = new Set(['chat', 'responses', 'completion']);

const groupKey = (model: string, route: string | null) => `${model}\u0000${route ?? ''}`;

export function toLiteLLM(dataset: Dataset, reference: readonly LiteLLMReferenceEntry[] = []): LiteLLMExport {
  const byGroup = new Map<string, LiteLLMReferenceEntry[]>();
  const modeOf = new Map<string, string>();
  const shapes = new Map<string, Map<string, number>>();
  const prefixes = new Map<string, Map<string, number>>();
  const providersOf = new Map<string, Map<string, number>>();
  const litellmName = new Map<string, string>();
  for (const r of reference) {
    // How a provider's keys look is the whole file's convention, claimed or not.
    tally(shapes, r.litellm_provider, keyShape(r.key));
    if (r.key.includes('/')) tally(prefixes, r.litellm_provider, r.key.slice(0, r.key.indexOf('/')));
    if (r.model === null) continue;
    push(byGroup, groupKey(r.model, r.route), r);
    if (!modeOf.has(r.model) || r.route === null) modeOf.set(r.model, r.mode);
    // The vendor's own API names the model as LiteLLM spells it (claude-sonnet-4-5, not 4.5).
    if (r.route === null) litellmName.set(r.model, r.key.slice(r.key.lastIndexOf('/') + 1));
    tally(providersOf, `${r.model.split('/')[0]}\u0000${(r.route ?? '').split('/')[0]}`, r.litellm_provider);
  }

  const byKey = new Map(reference.map((r) => [r.key, r]));
  const out: Record<string, Record<string, unknown>> = {};
  const unknownProviders: Record<string, number> = {};
  for (const m of dataset.models) {
    const [vendor, ...rest] = m.id.split('/');
    const name = litellmName.get(m.id) ?? rest.join('/');
    for (const [route, values] of byRoute(m.values)) {
      const body = entryBody(values);
      if (!body) continue;
      const listed = byGroup.get(groupKey(m.id, route)) ?? [];
      for (const r of listed) out[r.key] = sortKeys({ ...body, litellm_provider: r.litellm_provider, mode: r.mode });
      const found = providerFor(vendor, route, providersOf);
      const provider = found && NATIVE_ID_PROVIDERS.has(found) ? null : found;
      if (!provider) {
        if (listed.length) continue;
        const label = route ? `route:${route.split('/')[0]}` : vendor;
        unknownProviders[label] = (unknownProviders[label] ?? 0) + 1;
        continue;
      }
      const key = keyFor(provider, route, vendor, name, mostCommon(shapes.get(provider)) as KeyShape | undefined, mostCommon(prefixes.get(provider)));
      if (out[key]) continue;
      const same = byKey.get(key);
      // A listed model gains only a key LiteLLM has for it without claims (its figures repeat another
      // key's: deepseek/deepseek-reasoner beside deepseek-reasoner): a text entry of the same provider.
      // Any other key LiteLLM has (an image model, another model's entry) is not ours to take.
      if (same ? same.model !== null || same.litellm_provider !== provider || !TEXT_MODES.has(same.mode) : listed.length > 0) continue;
      out[key] = sortKeys({ ...body, litellm_provider: provider, mode: same?.mode ?? modeOf.get(m.id) ?? 'chat' });
    }
  }
  return { entries: sortKeys(out), unknownProviders: sortKeys(unknownProviders) };
}

function keyShape(key: string): KeyShape {
  const parts = key.split('/').length;
  return parts === 1 ? 'bare' : parts === 2 ? 'prefix' : 'vendor';
}

/** The LiteLLM provider of the vendor's own API, or of the route; null when LiteLLM knows none. */
function providerFor(vendor: string, route: string | null, seen: Map<string, Map<string, number>>): string | null {
  const observed = mostCommon(seen.get(`${vendor}\u0000${(route ?? '').split('/')[0]}`));
  if (observed) return observed;
  const name = route ? route.split('/')[0] : vendor;
  const spelled = route ? (ROUTE_PROVIDER[name] ?? name) : (VENDOR_API[name] ?? name);
  for (const candidate of [spelled, spelled.replace(/-/g, '_')]) if (LITELLM_PROVIDERS.has(candidate)) return candidate;
  return null;
}

/** The key LiteLLM would give the model: shaped as the provider's keys in LiteLLM's file are. */
function keyFor(provider: string, route: string | null, vendor: string, name: string, observedShape?: KeyShape, observedPrefix?: string): string {
  const shape = observedShape ?? (BARE_KEYS.has(provider) ? 'bare' : VENDOR_KEYS.has(provider) ? 'vendor' : 'prefix');
  const region = route?.includes('/') ? `${route.slice(route.indexOf('/') + 1)}/` : '';
  const prefix = observedPrefix ?? provider.split('-')[0];
  if (shape === 'bare' && !region) return name;
  if (shape === 'vendor') return `${prefix}/${region}${vendor}/${name}`;
  return `${prefix}/${region}${name}`;
}

// ---------------------------------------------------------------- one entry's properties

const PRICE_KEYS: Partial<Record<FieldName, string>> = {
  input_price: 'input_cost_per_token',
  output_price: 'output_cost_per_token',
  cached_input_price: 'cache_read_input_token_cost',
  cache_write_price: 'cache_creation_input_token_cost',
  batch_input_price: 'input_cost_per_token_batches',
  batch_output_price: 'output_cost_per_token_batches',
  audio_input_price: 'input_cost_per_audio_token',
  audio_output_price: 'output_cost_per_audio_token',
};
const FLAGS: Partial<Record<FieldName, string>> = {
  vision: 'supports_vision',
  function_calling: 'supports_function_calling',
  reasoning: 'supports_reasoning',
  structured_outputs: 'supports_response_schema',
  audio_input: 'supports_audio_input',
  audio_output: 'supports_audio_output',
  code_execution: 'supports_code_execution',
  tool_choice: 'supports_tool_choice',
  pdf_input: 'supports_pdf_input',
};
// LiteLLM's sample_spec asks for a day; a month-precision date has no LiteLLM spelling.
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function perToken(usdPerMillion: number): number {
  return Number((usdPerMillion / 1e6).toPrecision(12));
}

/** A condition (route taken off) as LiteLLM's suffix order: `_above_1hr`, `_above_200k_tokens`, then a tier. */
function suffixOf(parts: ConditionPart[]): string | null {
  let ttl = '';
  let context = '';
  let tier = '';
  for (const part of parts) {
    if (part.kind === 'cache_ttl' && part.ttl === '1h' && !ttl) ttl = '_above_1hr';
    else if (part.kind === 'context' && part.above % 1000 === 0 && !context) context = `_above_${part.above / 1000}k_tokens`;
    else if (part.kind === 'tier' && (part.name === 'flex' || part.name === 'priority') && !tier) tier = `_${part.name}`;
    else return null;
  }
  return ttl + context + tier;
}

/** One route's values as LiteLLM properties; null when none of them has a LiteLLM name. */
function entryBody(values: DatasetValue[]): Record<string, unknown> | null {
  const entry: Record<string, unknown> = {};
  for (const v of values) {
    const suffix = suffixOf(parseCondition(withoutRoute(v.condition)));
    if (suffix === null) continue;
    const priceKey = PRICE_KEYS[v.field];
    if (priceKey && typeof v.value === 'number') {
      if (LITELLM_COST_KEYS.has(priceKey + suffix)) entry[priceKey + suffix] = perToken(v.value);
      continue;
    }
    if (suffix !== '') continue;
    if (v.field === 'max_input_tokens') entry.max_input_tokens = v.value;
    else if (v.field === 'max_output_tokens') {
      entry.max_output_tokens = v.value;
      entry.max_tokens = v.value;
    } else if (v.field === 'deprecation_date') {
      if (typeof v.value === 'string' && DAY.test(v.value)) entry.deprecation_date = v.value;
    } else if (v.field === 'tool_use' && v.value === true) entry.supports_function_calling ??= true;
    else if (FLAGS[v.field]) entry[FLAGS[v.field]!] = v.value;
  }
  // A price for reading or writing the prompt cache is what LiteLLM's flag says.
  if (entry.cache_read_input_token_cost !== undefined || entry.cache_creation_input_token_cost !== undefined) entry.supports_prompt_caching = true;
  return Object.keys(entry).length ? entry : null;
}
