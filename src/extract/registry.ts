/**
 * The extractors by name (sources/*.yaml name one in `extractor`), format detection, and the
 * automatic choice of extractor for a file nobody described.
 */
import type { ExtractResult } from '../schema/claim.ts';
import type { Source, SourceFormat, SourceKind } from '../schema/source.ts';
import { providerSlug, statedVendor } from '../normalize/identity.ts';
import { condition as conditions, joinConditions, routeOf } from '../schema/condition.ts';
import { NoteTally } from './claims.ts';
import { extractAggregator, extractGeneric, titleModels } from './aggregator.ts';
import { extractGenaiPrices } from './genai-prices.ts';
import { extractLiteLLM } from './litellm.ts';
import { extractModelCard } from './modelcard.ts';
import { extractModelsDev } from './models-dev.ts';
import { extractOpenRouter } from './openrouter.ts';
import { extractDocsPage, extractPricingPage } from './pricing.ts';
import type { Extractor } from './types.ts';

export const extractors: Record<string, Extractor> = {
  aggregator: extractAggregator,
  openrouter: extractOpenRouter,
  litellm: extractLiteLLM,
  'models-dev': extractModelsDev,
  'genai-prices': (input) => extractGenaiPrices(input),
  generic: extractGeneric,
  pricing: extractPricingPage,
  docs: extractDocsPage,
  'model-card': extractModelCard,
};

/** The format of a body, from its file name when that says, else from its first characters. */
export function detectFormat(body: string, filename?: string): SourceFormat {
  const ext = filename?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'json') return 'json';
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  if (ext === 'txt') return 'text';
  const head = body.slice(0, 4096).trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    try {
      JSON.parse(body);
      return 'json';
    } catch {
      // Not JSON after all: fall through to the text formats.
    }
  }
  if (/^<(?:!doctype|html|head|body|div|table|section|article|main|p)\b/i.test(head)) return 'html';
  if (/^---\r?\n[\s\S]*?\r?\n---/.test(head) || /^#{1,6}\s/m.test(head) || /^\s*\|?\s*:?-{3,}:?\s*\|/m.test(head)) return 'markdown';
  return 'text';
}

/** Which extractor fits a body, by the shape of its content. */
export function detectExtractor(body: string, format: SourceFormat): string {
  if (format === 'json') {
    const head = body.slice(0, 20_000);
    if (/"litellm_provider"|"input_cost_per_token"|"sample_spec"/.test(head)) return 'litellm';
    if (/"pricing"\s*:/.test(head) && /"context_length"/.test(head)) return 'openrouter';
    // models.dev: an object of providers, each with a models object whose entries have a limit.
    if (head.trimStart().startsWith('{') && /"models"\s*:\s*\{/.test(head) && /"limit"\s*:\s*\{/.test(head)) return 'models-dev';
    // genai-prices: an array of providers, each with a models array whose entries have prices.
    if (head.trimStart().startsWith('[') && /"models"\s*:\s*\[/.test(head) && /"prices"\s*:/.test(head) && /"(?:model_match|input_mtok|output_mtok)"/.test(head)) return 'genai-prices';
    return 'generic';
  }
  if (/^\s*(?:base_model|license|pipeline_tag|library_name):/m.test(body.slice(0, 50_000)) && /^---\s*$/m.test(body)) return 'model-card';
  if (/"max_position_embeddings"\s*:/.test(body)) return 'model-card';
  const firstLines = body.slice(0, 2000).split(/\r?\n/).filter((l) => l.trim()).slice(0, 8);
  if (firstLines.some((l) => titleModels(l.replace(/^#+\s*|^title:\s*/i, '').replace(/<[^>]+>/g, ' ').trim()).length >= 2)) return 'aggregator';
  if (/\bpric(?:ing|es)\b/i.test(body.slice(0, 3000)) || /^\s*(?:url|title):.*(?:anthropic|openai|deepseek|google|mistral)/im.test(body.slice(0, 1000))) {
    return /\bpric(?:ing|es)\b/i.test(body.slice(0, 3000)) ? 'pricing' : 'docs';
  }
  return 'generic';
}

export interface ExtractOptions {
  format?: SourceFormat | 'auto';
  extractor?: string;
  provider?: string;
  filename?: string;
  source?: Pick<Source, 'id' | 'kind' | 'expect'>;
  observedAt?: string;
}

/**
 * Extract claims from a document. An unknown extractor name or a failing extractor yields drift,
 * never an exception: a broken page must not stop a sync.
 */
export function extractDocument(body: string, opts: ExtractOptions = {}): ExtractResult {
  const format = !opts.format || opts.format === 'auto' ? detectFormat(body, opts.filename) : opts.format;
  const name = opts.extractor && opts.extractor !== 'auto' ? opts.extractor : detectExtractor(body, format);
  const extractor = extractors[name];
  if (!extractor) {
    return { claims: [], notes: [], drift: [`unknown extractor "${name}" (known: ${Object.keys(extractors).join(', ')})`] };
  }
  try {
    return extractor({ body, format, provider: opts.provider, source: opts.source, observedAt: opts.observedAt });
  } catch (err) {
    return { claims: [], notes: [], drift: [`extractor ${name} failed: ${(err as Error).message}`] };
  }
}

/** What extracting one captured body needs: plain data, so it can cross to a worker thread. */
export interface SnapshotExtractionJob {
  body: string;
  format: SourceFormat;
  source: Pick<Source, 'id' | 'kind' | 'expect' | 'extractor' | 'provider' | 'route'>;
  observedAt?: string;
}

/**
 * A source's capture through its extractor, judged against what the source promises: a capture
 * that yields no figures at all is drift too, so an emptied page never passes for a good one.
 * A host's claims are put on its route.
 */
export function extractSnapshot({ body, format, source, observedAt }: SnapshotExtractionJob): ExtractResult {
  const extracted = extractDocument(body, { format, extractor: source.extractor, provider: source.provider, source, observedAt });
  const result = ownModelsOnly(extracted, source);
  if (result.claims.length === 0 && result.drift.length === 0) result.drift.push('no figures found');
  return onRoute(result, source.route);
}

/** Kinds of source that speak for one vendor: with a declared provider they name only its models. */
const SINGLE_VENDOR_KINDS: ReadonlySet<SourceKind> = new Set(['first-party', 'model-card']);

/**
 * A vendor's own page (first-party, model card) declared for a provider names only that provider's
 * models: a name that states another vendor ("evilcorp/gpt-9") or reads as another vendor's model is
 * not claimed, and a note says why, so a page cannot mint or move models under another vendor.
 * Aggregators and APIs list every vendor's models and are not bound.
 */
export function ownModelsOnly(result: ExtractResult, source: Pick<Source, 'kind' | 'provider'>): ExtractResult {
  if (!source.provider || !SINGLE_VENDOR_KINDS.has(source.kind)) return result;
  const own = providerSlug(source.provider);
  const refused = new NoteTally();
  const noted = new Set<string>();
  const claims = result.claims.filter((claim) => {
    const stated = statedVendor(claim.model_name);
    const vendor = stated !== undefined && stated !== own ? stated : claim.model.slice(0, claim.model.indexOf('/'));
    if (vendor === own) return true;
    if (noted.has(claim.model_name)) return false;
    noted.add(claim.model_name);
    refused.add(`not claimed: names a model of ${vendor}, and this ${source.kind} source speaks only for ${own}`, `"${claim.model_name}"`);
    return false;
  });
  if (claims.length === result.claims.length) return result;
  const drift = claims.length === 0 && result.drift.length === 0 ? [`no figures of ${own} found: every model the page names belongs to another provider`] : result.drift;
  return { claims, notes: [...result.notes, ...refused.lines()], drift };
}

/**
 * A host's page about other vendors' models (Bedrock, Groq, Together, Fireworks) states that
 * route's figures: each claim gets the source's route as its condition, so a host's price never
 * competes with the vendor's own as the model's base price. A claim already on a route keeps it.
 */
export function onRoute(result: ExtractResult, route: string | undefined): ExtractResult {
  if (!route) return result;
  const on = conditions.route(route);
  return { ...result, claims: result.claims.map((c) => (routeOf(c.condition) ? c : { ...c, condition: joinConditions(c.condition, on) })) };
}
