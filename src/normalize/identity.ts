/**
 * Model identity: turn the names sources print ("GPT-5.2 Codex", "OpenAI: GPT-5.2-Codex",
 * "azure/gpt-5", "gpt-4o-audio-preview-2024-12-17") into canonical `provider/model` ids.
 */

// Name prefixes that identify the provider when a source prints a bare model name.
const PROVIDER_BY_PREFIX: Array<[RegExp, string]> = [
  [/^(gpt|chatgpt|o[1-9]|davinci|babbage|text-embedding|whisper|tts|dall-e|codex|computer-use)/, 'openai'],
  [/^claude/, 'anthropic'],
  [/^(gemini|gemma|palm)/, 'google'],
  [/^(qwen|qwq)/, 'qwen'],
  [/^deepseek/, 'deepseek'],
  [/^(llama|meta-llama)/, 'meta-llama'],
  [/^(mistral|mixtral|codestral|magistral|devstral|pixtral|ministral)/, 'mistralai'],
  [/^grok/, 'x-ai'],
  [/^(kimi|moonshot)/, 'moonshotai'],
  [/^command/, 'cohere'],
  [/^(glm|chatglm)/, 'z-ai'],
  [/^phi-/, 'microsoft'],
  [/^nova/, 'amazon'],
];

// Display-name prefixes such as "OpenAI: " (OpenRouter) name the vendor, not the provider slug.
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
};

/** "GPT-5.2 Codex" -> "gpt-5.2-codex": lower case, spaces and underscores as dashes. */
export function slugifyModelName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9.:/-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

export function inferProvider(modelSlug: string): string | undefined {
  for (const [pattern, provider] of PROVIDER_BY_PREFIX) if (pattern.test(modelSlug)) return provider;
  return undefined;
}

export function providerSlug(vendor: string): string {
  const key = slugifyModelName(vendor).replace(/[.]/g, '');
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

const DATED_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/;

/**
 * Canonical id for a model name. A "vendor/model" or "Vendor: Model" name keeps its vendor;
 * a bare name gets the provider its prefix implies, else `defaultProvider`, else "unknown".
 */
export function canonicalModelId(name: string, defaultProvider?: string): string {
  return identify(name, defaultProvider).id;
}

export function identify(name: string, defaultProvider?: string): ModelIdentity {
  let vendor: string | undefined;
  let model = name.trim();
  const colon = model.match(/^([^:/]{2,30}):\s+(.+)$/);
  if (colon) {
    vendor = providerSlug(colon[1]);
    model = colon[2];
  }
  let slug = slugifyModelName(model);
  const slash = slug.lastIndexOf('/');
  if (slash >= 0) {
    vendor = providerSlug(slug.slice(0, slug.indexOf('/')));
    slug = slug.slice(slash + 1);
  }
  const provider = inferProvider(slug) ?? vendor ?? (defaultProvider ? providerSlug(defaultProvider) : 'unknown');
  const dated = slug.match(DATED_SUFFIX);
  const version = dated && /^\d{4}-\d{2}-\d{2}$|^\d{8}$/.test(dated[1]) ? dated[1] : null;
  const family = version ? slug.slice(0, -version.length - 1) : slug;
  return { id: `${provider}/${slug}`, provider, family, version };
}
