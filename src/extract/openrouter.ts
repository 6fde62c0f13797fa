/**
 * OpenRouter /api/v1/models: a JSON array of models, or {data: [...]}.
 * Prices are USD per token as strings; "-1" marks dynamic pricing (a router), skipped.
 *
 * Choices:
 * - `context_length` is the model's context window. When `top_provider.context_length` differs,
 *   it is a separate claim with condition `route:top_provider` (the default route's own limit),
 *   so neither overwrites the other.
 * - `top_provider.max_completion_tokens` is the max output (the only output limit listed).
 * - `created` is when OpenRouter listed the model, not its release date: not read.
 * - `openrouter/*` entries are routers over other models, not models: skipped.
 * - `tool_choice` in `supported_parameters` -> tool_choice true; its absence is not read as false
 *   (the list is the union of what OpenRouter's providers accept, not the model's own API).
 * - `pricing.audio` is not read: its scale is not one unit (gpt-audio's 32 per 1M is LiteLLM's audio
 *   token price, voxtral-small's 100 per 1M is not, gpt-audio-mini's repeats its text price).
 */
import type { ExtractedClaim, ExtractResult } from '../schema/claim.ts';
import type { FieldName } from '../schema/fields.ts';
import { canonicalModelId } from '../normalize/identity.ts';
import { parseDate } from '../normalize/dates.ts';
import { finishResult, makeClaim, NoteTally } from './claims.ts';
import { escapePointer, isObject, PerMillionPrices, type Json, parseJsonBody } from './json.ts';
import type { ExtractInput } from './types.ts';
import { condition, joinConditions } from '../schema/condition.ts';

const CONFIDENCE = 0.95;

const PRICE_FIELDS: Array<[key: string, field: FieldName, condition: string]> = [
  ['prompt', 'input_price', ''],
  ['completion', 'output_price', ''],
  ['input_cache_read', 'cached_input_price', ''],
  ['input_cache_write', 'cache_write_price', ''],
  ['input_cache_write_1h', 'cache_write_price', condition.cacheTtl('1h')],
];
const PRICED_ELSEWHERE = new Set(['web_search', 'audio', 'image', 'internal_reasoning', 'input_audio_cache', 'image_output', 'audio_output', 'request', 'discount']);



/** The models array of either response shape, or null when the body is not one. */
export function openRouterModels(parsed: unknown): unknown[] | null {
  if (Array.isArray(parsed)) return parsed;
  if (isObject(parsed) && Array.isArray(parsed.data)) return parsed.data;
  return null;
}

export function extractOpenRouter(input: ExtractInput): ExtractResult {
  const body = parseJsonBody(input, { min_models: 1, fields: ['input_price'] });
  if ('failed' in body) return body.failed;
  const parsed = body.parsed;
  const models = openRouterModels(parsed);
  if (!models) {
    return finishResult([], ['JSON has neither a top-level array nor a data array of models'], { min_models: 1, fields: ['input_price'] }, input.source);
  }
  const base = Array.isArray(parsed) ? '' : '/data';
  const file: FileReading = { claims: [], notes: new NoteTally(), prices: new PerMillionPrices() };
  const { notes } = file;
  models.forEach((entry, index) => {
    if (!isObject(entry) || typeof entry.id !== 'string') {
      notes.add('skipped an entry without a string id', `${base}/${index}`);
      return;
    }
    if (entry.id.startsWith('openrouter/')) {
      notes.add('skipped OpenRouter router entries (they route to other models)', entry.id);
      return;
    }
    readModel(file, entry, `${base}/${index}`);
  });
  if (models.length) notes.add(`did not read "created" as release_date: it is when OpenRouter listed the model`);
  return finishResult(file.claims, notes.lines(), { min_models: 1, fields: ['input_price', 'context_window'] }, input.source);
}

/** What reading one file carries from model to model. */
interface FileReading {
  claims: ExtractedClaim[];
  notes: NoteTally;
  prices: PerMillionPrices;
}


/** One model's claims share its id, canonical model and JSON pointer. */
class ModelClaims {
  private readonly model: string;
  // Several flags quote the same list: stringify it once.
  private lastRaw: unknown;
  private lastQuote = '';
  constructor(
    private readonly claims: ExtractedClaim[],
    readonly id: string,
    private readonly pointer: string,
  ) {
    this.model = canonicalModelId(id);
  }

  add(field: FieldName, value: number | string | boolean, path: string, raw: unknown, condition = '', confidence = CONFIDENCE): void {
    if (raw !== this.lastRaw) {
      this.lastRaw = raw;
      this.lastQuote = JSON.stringify(raw);
    }
    const { id: name, model } = this;
    this.claims.push(makeClaim({ name, model, field, value, condition, locator: `${this.pointer}${path}`, quote: this.lastQuote, confidence }));
  }
}

function readModel(file: FileReading, entry: Json, pointer: string): void {
  const { notes } = file;
  const id = entry.id as string;
  const claims = new ModelClaims(file.claims, id, pointer);

  const pricing = isObject(entry.pricing) ? entry.pricing : {};
  readPrices(file, pricing, '/pricing', '', claims);
  if (Array.isArray(pricing.overrides)) {
    pricing.overrides.forEach((override, i) => {
      if (!isObject(override)) return;
      const min = override.min_prompt_tokens;
      if (typeof min !== 'number') {
        notes.add('skipped a pricing override without min_prompt_tokens', id);
        return;
      }
      readPrices(file, override, `/pricing/overrides/${i}`, `context>${min}`, claims);
    });
  }

  if (typeof entry.context_length === 'number') claims.add('context_window', entry.context_length, '/context_length', entry.context_length);
  const top = isObject(entry.top_provider) ? entry.top_provider : {};
  if (typeof top.context_length === 'number' && top.context_length !== entry.context_length) {
    claims.add('context_window', top.context_length, '/top_provider/context_length', top.context_length, condition.route('top_provider'));
  }
  if (typeof top.max_completion_tokens === 'number') {
    // The top provider's output limit is the model's only where its window is the model's too.
    const ownLimits = typeof top.context_length !== 'number' || top.context_length === entry.context_length;
    claims.add('max_output_tokens', top.max_completion_tokens, '/top_provider/max_completion_tokens', top.max_completion_tokens, ownLimits ? '' : condition.route('top_provider'));
  }

  const arch = isObject(entry.architecture) ? entry.architecture : {};
  readModalities(arch, claims);
  readParameters(entry.supported_parameters, claims);

  if (typeof entry.knowledge_cutoff === 'string') {
    const date = parseDate(entry.knowledge_cutoff);
    if (date) claims.add('knowledge_cutoff', date, '/knowledge_cutoff', entry.knowledge_cutoff);
    else notes.add('skipped an unreadable knowledge_cutoff', `${id}: ${entry.knowledge_cutoff}`);
  }
}

// A capability missing from a list is weaker evidence than one listed: the list may be incomplete.
const ABSENT_CONFIDENCE = 0.6;
const flag = (present: boolean): number => (present ? CONFIDENCE : ABSENT_CONFIDENCE);

function readPrices(file: FileReading, pricing: Json, path: string, condition: string, claims: ModelClaims): void {
  const { notes } = file;
  const id = claims.id;
  for (const [key, field, extra] of PRICE_FIELDS) {
    const raw = pricing[key];
    if (raw === undefined || raw === null) continue;
    if (raw === '-1' || raw === -1) {
      notes.add('skipped dynamic price "-1" (set per request by the router)', `${id} ${key}`);
      continue;
    }
    const value = file.prices.of(raw as string | number);
    if (value === null) {
      notes.add('skipped an unreadable price', `${id} ${key}: ${JSON.stringify(raw)}`);
      continue;
    }
    claims.add(field, value, `${path}/${escapePointer(key)}`, raw, joinConditions(condition, extra));
  }
  for (const key of Object.keys(pricing)) {
    if (key === 'audio') notes.add('not read: pricing.audio (not one unit across models)');
    else if (PRICED_ELSEWHERE.has(key)) notes.add(`not read: pricing.${key} (no ledger field)`);
  }
}

function readModalities(arch: Json, claims: ModelClaims): void {
  const inputs = Array.isArray(arch.input_modalities) ? arch.input_modalities : null;
  if (inputs) {
    for (const [field, modality] of [['vision', 'image'], ['audio_input', 'audio']] as const) {
      claims.add(field, inputs.includes(modality), '/architecture/input_modalities', inputs, '', flag(inputs.includes(modality)));
    }
  }
  const outputs = Array.isArray(arch.output_modalities) ? arch.output_modalities : null;
  if (outputs) {
    claims.add('audio_output', outputs.includes('audio'), '/architecture/output_modalities', outputs, '', flag(outputs.includes('audio')));
  }
}

function readParameters(params: unknown, claims: ModelClaims): void {
  if (!Array.isArray(params)) return;
  const path = '/supported_parameters';
  const readings: Array<[FieldName, boolean]> = [
    ['tool_use', params.includes('tools')],
    ['function_calling', params.includes('tools')],
    ['reasoning', params.includes('reasoning') || params.includes('include_reasoning')],
    ['structured_outputs', params.includes('structured_outputs') || params.includes('response_format')],
  ];
  for (const [field, present] of readings) claims.add(field, present, path, params, '', flag(present));
  if (params.includes('tool_choice')) claims.add('tool_choice', true, path, params, '', flag(true));
}
