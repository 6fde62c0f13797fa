import { z } from 'zod';

/**
 * The field registry: every figure the ledger tracks, with its value kind and the
 * bounds outside which a claim is flagged as an anomaly instead of becoming a fact.
 */
export const FIELD_KINDS = ['tokens', 'usd_per_mtok', 'date', 'count', 'string', 'boolean'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface FieldSpec {
  kind: FieldKind;
  /** Plausible range for numbers; a value outside it is an anomaly. */
  min?: number;
  max?: number;
  description: string;
}

// Price bounds: no real text model costs under $0.001 or over $2,000 per 1M tokens;
// a $0 price is an anomaly because pages print 0 for "unknown" as often as for "free".
const PRICE = { kind: 'usd_per_mtok', min: 0.001, max: 2000 } as const;
const FLAG = { kind: 'boolean' } as const;
// Audio tokens: from $0.075 (Gemini Flash-Lite input) to $200 (the first GPT-4o realtime output)
// per 1M in 2026; a cent per 1M would be a text price, or a per-second price, read as audio.
const AUDIO_PRICE = { kind: 'usd_per_mtok', min: 0.01, max: 2000 } as const;

export const FIELDS = {
  context_window: { kind: 'tokens', min: 1024, max: 100_000_000, description: 'Maximum input context, in tokens' },
  max_input_tokens: { kind: 'tokens', min: 1024, max: 100_000_000, description: 'Maximum input tokens per request (an input limit, distinct from the total context window)' },
  max_output_tokens: { kind: 'tokens', min: 256, max: 10_000_000, description: 'Maximum output tokens per response' },
  input_price: { ...PRICE, description: 'USD per 1M input tokens' },
  output_price: { ...PRICE, description: 'USD per 1M output tokens' },
  cached_input_price: { ...PRICE, min: 0.0001, description: 'USD per 1M cached (cache hit) input tokens' },
  cache_write_price: { ...PRICE, description: 'USD per 1M tokens written to the prompt cache' },
  batch_input_price: { ...PRICE, min: 0.0005, description: 'USD per 1M input tokens through the batch API' },
  batch_output_price: { ...PRICE, min: 0.0005, description: 'USD per 1M output tokens through the batch API' },
  audio_input_price: { ...AUDIO_PRICE, description: 'USD per 1M audio input tokens' },
  audio_output_price: { ...AUDIO_PRICE, description: 'USD per 1M audio output tokens' },
  release_date: { kind: 'date', description: 'Public release date (YYYY-MM-DD or YYYY-MM)' },
  knowledge_cutoff: { kind: 'date', description: 'Training data cutoff (YYYY-MM-DD or YYYY-MM)' },
  parameters: { kind: 'count', min: 1_000_000, max: 100_000_000_000_000, description: 'Parameter count' },
  deprecation_date: { kind: 'date', description: 'Date the model is deprecated or retired on its route (YYYY-MM-DD or YYYY-MM)' },
  license: { kind: 'string', description: 'License name' },
  open_weights: { ...FLAG, description: 'Weights are downloadable' },
  vision: { ...FLAG, description: 'Accepts image input' },
  audio_input: { ...FLAG, description: 'Accepts audio input' },
  audio_output: { ...FLAG, description: 'Produces audio output' },
  tool_use: { ...FLAG, description: 'Supports tool use' },
  function_calling: { ...FLAG, description: 'Supports function calling' },
  tool_choice: { ...FLAG, description: 'Accepts the tool_choice parameter (force or forbid a tool call)' },
  pdf_input: { ...FLAG, description: 'Accepts PDF documents as input' },
  reasoning: { ...FLAG, description: 'Has a reasoning / thinking mode' },
  structured_outputs: { ...FLAG, description: 'Supports structured (JSON schema) outputs' },
  code_execution: { ...FLAG, description: 'Can execute code' },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;
export const FIELD_NAMES = Object.keys(FIELDS) as [FieldName, ...FieldName[]];
export const FieldNameSchema = z.enum(FIELD_NAMES);

export function fieldSpec(field: FieldName): FieldSpec {
  return FIELDS[field];
}

export function isPriceField(field: FieldName): boolean {
  return FIELDS[field].kind === 'usd_per_mtok';
}
