/**
 * Model identity: turn the names sources print ("GPT-5.2 Codex", "OpenAI: GPT-5.2-Codex",
 * "azure/gpt-5", "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
 * "gpt-4o-audio-preview-2024-12-17") into canonical `provider/model` ids.
 *
 * What is deliberately NOT done here: merging names that merely look alike ("claude-3-5-sonnet"
 * vs "claude-3.5-sonnet"), or a dated snapshot with its undated family. Those are proposals for a
 * reviewer (src/normalize/aliases.ts: resolveModel), recorded in aliases.yaml once accepted.
 */

// Name prefixes that identify the provider when a source prints a bare model name.
const PROVIDER_BY_PREFIX: Array<[RegExp, string]> = [
  [/^(gpt|chatgpt|o[1-9]|davinci|babbage|text-embedding|whisper|tts|dall-e|codex|computer-use|sora)/, 'openai'],
  [/^claude/, 'anthropic'],
  [/^(gemini|gemma|palm(?![a-z])|imagen|veo|text-bison|chat-bison)/, 'google'],
  [/^(qwen|qwq)/, 'qwen'],
  [/^deepseek/, 'deepseek'],
  [/^(llama|meta-llama|codellama)/, 'meta-llama'],
  [/^(mistral|mixtral|codestral|magistral|devstral|pixtral|ministral|open-mistral|open-mixtral)/, 'mistralai'],
  [/^grok/, 'x-ai'],
  [/^(kimi|moonshot)/, 'moonshotai'],
  [/^(command|c4ai-aya|aya-)/, 'cohere'],
  [/^(glm|chatglm)/, 'z-ai'],
  [/^phi-/, 'microsoft'],
  [/^(nova|titan)/, 'amazon'],
  [/^sonar/, 'perplexity'],
  [/^jamba/, 'ai21'],
];

// A vendor's own family names that a prefix above gives another vendor: Deepgram's speech models
// are Nova and Aura, which are not Amazon's Nova. Read only when the name or its source states the vendor.
const OWN_FAMILIES: Record<string, RegExp> = {
  deepgram: /^(nova|aura)(-|$)/,
  // Perplexity's Sonar models built on Llama ("llama-3.1-sonar-large-128k-online") are Perplexity's.
  perplexity: /(^|-)sonar(-|$)/,
};

/** The vendor `stated` when `slug` is one of its own families a name prefix would give another ("deepgram", "nova-3"). */
export function ownFamilyVendor(stated: string, slug: string): string | undefined {
  const vendor = providerSlug(stated);
  return OWN_FAMILIES[vendor]?.test(slug) ? vendor : undefined;
}

// The vendors a name's prefix or path segment can name ("OpenAI: ", "MiniMaxAI/", "zai-org/"),
// each as every catalogue spells it, to the one provider slug its models are filed under.
const VENDOR_SLUGS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  qwen: 'qwen',
  alibaba: 'qwen',
  deepseek: 'deepseek',
  meta: 'meta-llama',
  'meta-llama': 'meta-llama',
  mistral: 'mistralai',
  mistralai: 'mistralai',
  xai: 'x-ai',
  'x-ai': 'x-ai',
  moonshotai: 'moonshotai',
  moonshot: 'moonshotai',
  cohere: 'cohere',
  amazon: 'amazon',
  microsoft: 'microsoft',
  perplexity: 'perplexity',
  ai21: 'ai21',
  'ai21-labs': 'ai21',
  zhipu: 'z-ai',
  zhipuai: 'z-ai',
  'z-ai': 'z-ai',
  zai: 'z-ai',
  'zai-org': 'z-ai',
  'deepseek-ai': 'deepseek',
  minimax: 'minimax',
  minimaxai: 'minimax',
  nvidia: 'nvidia',
  xiaomi: 'xiaomi',
  xiaomimimo: 'xiaomi',
  stepfun: 'stepfun',
  'stepfun-ai': 'stepfun',
  baidu: 'baidu',
  tencent: 'tencent',
  'prime-intellect': 'prime-intellect',
  primeintellect: 'prime-intellect',
  sarvam: 'sarvam',
  sarvamai: 'sarvam',
  '01-ai': '01-ai',
  'zero-one-ai': '01-ai',
  ibm: 'ibm',
  'ibm-granite': 'ibm',
};

/** The provider slug of a vendor this module knows by any of its spellings ("MiniMaxAI" -> minimax), else undefined. */
export function knownVendor(name: string): string | undefined {
  return VENDOR_SLUGS[name.toLowerCase()];
}

// Bedrock model ids: optional cross-region prefix, vendor dot-prefix, and a "-v1:0" revision.
const BEDROCK_REGION = /^(us|eu|apac|us-gov|global)\.(?=[a-z0-9-]+\.)/;
const BEDROCK_VENDOR = /^(anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai|writer|twelvelabs|stability)\./;
/**
 * A Bedrock id without its revision: "-v1:0" and "-v1" are revisions, and so is "-v2:0" after a
 * dated name (claude-3-5-sonnet-20241022-v2:0). Otherwise the suffix is the model's own version:
 * "claude-v2:1" is Claude 2.1 and "mistral-7b-instruct-v0:2" v0.2 (written with a dot), "claude-v2"
 * Claude 2 and "titan-embed-text-v2:0" Titan Embeddings V2: kept.
 */
export function withoutBedrockRevision(name: string): string {
  const m = name.match(/-v(\d+)(?::(\d+))?$/);
  if (!m) return name.replace(/:0$/, '');
  const revision = (m[2] === undefined || m[2] === '0') && (m[1] === '1' || /\d{8}|\d{4}-\d{2}-\d{2}/.test(name.slice(0, m.index)));
  return revision ? name.slice(0, m.index) : name.replace(/:0$/, '').replace(/:(\d+)$/, '.$1');
}

/** "GPT-5.2 Codex" -> "gpt-5.2-codex": lower case, spaces, underscores and "@" as dashes. */
export function slugifyModelName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_@]+/g, '-')
    .replace(/[^a-z0-9.:/-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

export function inferProvider(modelSlug: string): string | undefined {
  const bare = modelSlug.replace(/^ft:/, '');
  for (const [pattern, provider] of PROVIDER_BY_PREFIX) if (pattern.test(bare)) return provider;
  return undefined;
}

/**
 * "NousResearch 2" -> "NousResearch": a listing's second copy of a vendor (nano-gpt lists
 * "NousResearch 2/Hermes-4-70B"). An organisation's name has no spaces, so the counter is no part of it.
 */
function withoutCounter(vendor: string): string {
  return vendor.replace(/^(\S.*?)\s+\d+$/, '$1');
}

export function providerSlug(vendor: string): string {
  const key = slugifyModelName(withoutCounter(vendor)).replace(/[.]/g, '');
  return VENDOR_SLUGS[key] ?? key;
}

export interface ModelIdentity {
  id: string;
  provider: string;
  /** The undated name: "gpt-4o-audio-preview" for "gpt-4o-audio-preview-2024-12-17". */
  family: string;
  /** The dated snapshot suffix, kept as a version, never silently merged with the family. */
  version: string | null;
}

/**
 * Canonical id for a model name. A "vendor/model" or "Vendor: Model" name keeps its vendor;
 * a bare name gets the provider its prefix implies, else `defaultProvider`, else "unknown".
 */
export function canonicalModelId(name: string, defaultProvider?: string): string {
  return identify(name, defaultProvider).id;
}

/**
 * The vendor a name states itself, if any: "Vendor: Model", "vendor/model" (the segment before the
 * model, as identify reads it) or a Bedrock "vendor." prefix. "gpt-5.2" states none.
 */
export function statedVendor(name: string): string | undefined {
  return parseName(name).vendor;
}

function parseName(name: string): { vendor: string | undefined; slug: string } {
  let vendor: string | undefined;
  let model = name.trim();
  const colon = model.match(/^([^:/]{2,30}):\s+(.+)$/);
  if (colon) {
    vendor = providerSlug(colon[1]);
    model = colon[2];
  }
  let slug = slugifyModelName(model.replace(/^[^/]+(?=\/)/, withoutCounter));
  const slash = slug.lastIndexOf('/');
  if (slash >= 0) {
    // "openrouter/anthropic/claude-3.5-sonnet": the segment before the model names its vendor,
    // unless it is a path word ("models", "accounts/...") rather than a vendor
    const segments = slug.slice(0, slash).split('/');
    const vendorSegment = segments.length > 1 && VENDOR_SLUGS[segments[segments.length - 1]] ? segments[segments.length - 1] : segments[0];
    vendor = providerSlug(vendorSegment);
    slug = slug.slice(slash + 1);
  }
  const bedrock = bedrockId(slug);
  if (bedrock) {
    vendor = providerSlug(bedrock.vendor);
    slug = bedrock.model;
  }
  return { vendor, slug };
}

/** A Bedrock model id's vendor and model, region prefix and revision read off ("us.anthropic.claude-…-v1:0"); null for any other name. */
function bedrockId(name: string): { vendor: string; model: string } | null {
  const unregioned = name.replace(BEDROCK_REGION, '');
  const m = unregioned.match(BEDROCK_VENDOR);
  return m ? { vendor: m[1], model: withoutBedrockRevision(unregioned.slice(m[0].length)) } : null;
}

export function identify(name: string, defaultProvider?: string): ModelIdentity {
  const { vendor, slug } = parseName(name);
  const stated = vendor ?? (defaultProvider ? providerSlug(defaultProvider) : undefined);
  const provider = (stated && ownFamilyVendor(stated, slug)) ?? inferProvider(slug) ?? stated ?? 'unknown';
  const version = snapshotVersion(slug);
  const family = version ? slug.slice(0, -version.length - 1) : slug;
  return { id: `${provider}/${slug}`, provider, family, version };
}

/**
 * The dated-snapshot suffix of a model slug, or null: "-2024-12-17", "-20240620", and the
 * four-digit forms vendors use, MMDD ("gpt-4-0613") and YYMM ("mistral-large-2411").
 */
export function snapshotVersion(slug: string): string | null {
  const m = slug.match(/-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/);
  if (!m || m.index === 0) return null;
  const digits = m[1];
  if (digits.length !== 4) return digits;
  const [a, b] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
  const monthDay = a >= 1 && a <= 12 && b >= 1 && b <= 31;
  const yearMonth = a >= 23 && a <= 39 && b >= 1 && b <= 12;
  return monthDay || yearMonth ? digits : null;
}

/**
 * A name fit to show people, without what the provider already says: "OpenAI: GPT-5.2" -> "GPT-5.2".
 * A route or file key (no spaces) shows its model's own segment: "azure/gpt-5.2" -> "gpt-5.2",
 * "abacusai/Dracarys-72B-Instruct" -> "Dracarys-72B-Instruct", a Bedrock id its model name.
 */
export function displayName(name: string): string {
  const unprefixed = name.trim().replace(/^[^:/]{2,30}:\s+/, '').replace(/^[^/]+(?=\/)/, withoutCounter);
  if (/\s/.test(unprefixed)) return unprefixed;
  const segment = unprefixed.slice(unprefixed.lastIndexOf('/') + 1);
  return (bedrockId(segment)?.model ?? segment) || unprefixed;
}

/**
 * How well a display name serves: a product name ("GPT-5.2 Codex") beats a lower-case slug
 * ("gpt-5.2-codex"); a stored route key ("azure/gpt-5.2", kept before displayName shortened
 * keys) is replaced by either.
 */
export function displayNameRank(name: string): number {
  if (name.includes('/')) return 0;
  if (name === name.toLowerCase()) return 1;
  return 2;
}
