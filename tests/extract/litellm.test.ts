import { describe, expect, it } from 'vitest';
import { extractLiteLLM, readCostKey, readLiteLLMKey } from '../../src/extract/litellm.ts';
import { claimOf, fixture, valuesOf } from './helpers.ts';

describe('litellm extractor', () => {
  const result = extractLiteLLM({ body: fixture('litellm-prices.json'), format: 'json' });
  const { claims } = result;

  it('gives base claims for the model\'s own provider, with raw quotes', () => {
    expect(valuesOf(claims, 'openai/gpt-5', 'input_price')).toEqual([1.25]);
    expect(valuesOf(claims, 'openai/gpt-5', 'output_price')).toEqual([10]);
    expect(valuesOf(claims, 'openai/gpt-5', 'cached_input_price')).toEqual([0.125]);
    expect(valuesOf(claims, 'openai/gpt-5', 'max_input_tokens')).toEqual([272000]);
    expect(valuesOf(claims, 'openai/gpt-5', 'max_output_tokens')).toEqual([128000]);
    const claim = claimOf(claims, 'openai/gpt-5', 'input_price');
    expect(claim.quote).toBe('1.25e-06');
    expect(claim.locator).toBe('/gpt-5/input_cost_per_token');
  });

  it('claims max_input_tokens as an input limit, never as the context window, and leaves legacy max_tokens alone', () => {
    const claim = claimOf(claims, 'openai/gpt-5', 'max_input_tokens');
    expect(claim).toMatchObject({ value: 272000, unit: 'tokens', locator: '/gpt-5/max_input_tokens', quote: '272000' });
    expect(claims.filter((c) => c.field === 'context_window')).toEqual([]);
    expect(valuesOf(claims, 'openai/gpt-5', 'max_input_tokens', 'route:azure')).toEqual([272000]);
    expect(result.notes.join('\n')).toMatch(/did not read legacy max_tokens/);
  });

  it('reads flex and priority tiers as conditions', () => {
    expect(valuesOf(claims, 'openai/gpt-5', 'input_price', 'tier:flex')).toEqual([0.625]);
    expect(valuesOf(claims, 'openai/gpt-5', 'cached_input_price', 'tier:flex')).toEqual([0.0625]);
    expect(valuesOf(claims, 'openai/gpt-5', 'output_price', 'tier:priority')).toEqual([20]);
  });

  it('maps supports_* flags; function calling implies tool use', () => {
    expect(valuesOf(claims, 'openai/gpt-5', 'function_calling')).toEqual([true]);
    expect(valuesOf(claims, 'openai/gpt-5', 'tool_use')).toEqual([true]);
    expect(valuesOf(claims, 'openai/gpt-5', 'structured_outputs')).toEqual([true]);
    expect(valuesOf(claims, 'openai/gpt-4o', 'audio_input')).toEqual([false]);
  });

  it('keeps Bedrock proper and its OpenAI-compatible Mantle endpoint apart: they are priced differently', () => {
    const body = JSON.stringify({
      'openai.gpt-oss-safeguard-20b': { litellm_provider: 'bedrock', mode: 'chat', input_cost_per_token: 7e-8 },
      'bedrock_mantle/openai.gpt-oss-safeguard-20b': { litellm_provider: 'bedrock_mantle', mode: 'chat', input_cost_per_token: 7.5e-8 },
    });
    const { claims: routed } = extractLiteLLM({ body, format: 'json' });
    expect(valuesOf(routed, 'openai/gpt-oss-safeguard-20b', 'input_price', 'route:bedrock')).toEqual([0.07]);
    expect(valuesOf(routed, 'openai/gpt-oss-safeguard-20b', 'input_price', 'route:bedrock_mantle')).toEqual([0.075]);
  });

  it('route-conditions every figure of a resale route, regions included', () => {
    expect(valuesOf(claims, 'openai/gpt-5', 'input_price', 'route:azure')).toEqual([1.25]);
    expect(valuesOf(claims, 'openai/gpt-5', 'vision', 'route:azure')).toEqual([true]);
    expect(valuesOf(claims, 'openai/gpt-5', 'input_price', 'route:azure/eu')).toEqual([1.375]);
    expect(valuesOf(claims, 'anthropic/claude-3-5-haiku-20241022', 'input_price', 'route:bedrock/us-east-1')).toEqual([0.8]);
    expect(valuesOf(claims, 'anthropic/claude-3-5-haiku-20241022', 'input_price', 'route:vertex_ai')).toEqual([1]);
  });

  it('reads batch prices and long-context tiers', () => {
    expect(valuesOf(claims, 'openai/gpt-4o', 'batch_input_price')).toEqual([1.25]);
    expect(valuesOf(claims, 'openai/gpt-4o', 'batch_output_price')).toEqual([5]);
    const sonnet = 'anthropic/claude-sonnet-4-5-20250929';
    expect(valuesOf(claims, sonnet, 'input_price', 'context>200000')).toEqual([6]);
    expect(valuesOf(claims, sonnet, 'output_price', 'context>200000')).toEqual([22.5]);
    expect(valuesOf(claims, sonnet, 'cache_write_price')).toEqual([3.75]);
    expect(valuesOf(claims, sonnet, 'cache_write_price', 'cache_ttl:1h')).toEqual([6]);
  });

  it('reads tiered_pricing ranges as base and context>N prices', () => {
    expect(valuesOf(claims, 'qwen/qwen-flash', 'input_price')).toEqual([0.05]);
    expect(valuesOf(claims, 'qwen/qwen-flash', 'output_price', 'context>256000')).toEqual([2]);
  });

  it('skips sample_spec and non-text modes with a note, and flags a $0 cache price', () => {
    expect(claims.some((c) => c.model_name === 'sample_spec' || c.model_name === 'text-embedding-3-small')).toBe(false);
    expect(result.notes.join('\n')).toMatch(/mode embedding/);
    const zero = claimOf(claims, 'deepseek/deepseek-chat', 'cache_write_price');
    expect(zero.value).toBe(0);
    expect(zero.anomaly).toBeDefined();
    expect(result.drift).toEqual([]);
  });
});

describe('litellm keys', () => {
  it('reads cost key suffixes', () => {
    expect(readCostKey('input_cost_per_token_above_128k_tokens')).toEqual({ field: 'input_price', condition: 'context>128000' });
    expect(readCostKey('cache_read_input_token_cost_above_272k_tokens_priority')).toEqual({
      field: 'cached_input_price',
      condition: 'context>272000;tier:priority',
    });
    expect(readCostKey('output_cost_per_token_batches')).toEqual({ field: 'batch_output_price', condition: '' });
    expect(readCostKey('cache_read_input_token_cost_batches')).toMatch(/no ledger field/);
    expect(readCostKey('input_cost_per_image')).toBeNull();
  });

  it('cleans route paths, regions and Bedrock decorations off model names', () => {
    expect(readLiteLLMKey('bedrock/us-east-1/us.anthropic.claude-3-5-haiku-20241022-v1:0', 'bedrock')).toEqual({
      name: 'anthropic/claude-3-5-haiku-20241022',
      vendor: 'anthropic',
      region: 'us-east-1',
    });
    expect(readLiteLLMKey('azure/eu/gpt-5', 'azure')).toEqual({ name: 'gpt-5', vendor: undefined, region: 'eu' });
    // Azure's global-standard deployments are priced apart from its plain ones: a region, not part of the name.
    expect(readLiteLLMKey('azure/global-standard/gpt-4o-2024-11-20', 'azure')).toEqual({ name: 'gpt-4o-2024-11-20', vendor: undefined, region: 'global-standard' });
    expect(readLiteLLMKey('anthropic.claude-v2:1', 'bedrock').name).toBe('anthropic/claude-v2.1');
    expect(readLiteLLMKey('openrouter/anthropic/claude-3.5-sonnet', 'openrouter').name).toBe('anthropic/claude-3.5-sonnet');
  });
});

describe('litellm identity of bare names', () => {
  const entry = (provider: string) => ({ litellm_provider: provider, mode: 'chat', input_cost_per_token: 1e-6 });
  const body = JSON.stringify({
    alpha: entry('acme'),
    'vertex_ai/code-bison': entry('vertex_ai-code-text-models'),
    'perplexity/preset/deep-research': { ...entry('perplexity'), supports_preset: true },
  });
  const { claims, notes } = extractLiteLLM({ body, format: 'json' });

  it('gives a bare name to the provider listing it, as that provider\'s own model', () => {
    expect(valuesOf(claims, 'acme/alpha', 'input_price')).toEqual([1]);
  });

  it('gives a bare name on Vertex to Google, under the Vertex route', () => {
    expect(valuesOf(claims, 'google/code-bison', 'input_price', 'route:vertex_ai')).toEqual([1]);
  });

  it('skips presets, which are not models', () => {
    expect(claims.some((c) => c.model_name.includes('preset'))).toBe(false);
    expect(notes.join('\n')).toMatch(/presets/);
  });
});

describe('litellm tool choice, PDF input, audio prices and deprecation dates', () => {
  // Figures as LiteLLM's 2026-03 file prints them for its audio models.
  const body = `{
  "gpt-4o-audio-preview": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06, "input_cost_per_audio_token": 4e-05,
    "output_cost_per_audio_token": 8e-05, "input_cost_per_audio_token_priority": 6e-05, "cache_read_input_audio_token_cost": 2.5e-06,
    "input_cost_per_audio_per_second": 0.0001, "supports_tool_choice": true, "supports_pdf_input": false, "deprecation_date": "2026-06-30"},
  "azure/eu/gpt-4o-audio-preview": {"litellm_provider": "azure", "mode": "chat", "input_cost_per_audio_token": 4.4e-05, "supports_tool_choice": false,
    "deprecation_date": "2026-02-27"},
  "gemini/gemini-2.0-flash": {"litellm_provider": "gemini", "mode": "chat", "input_cost_per_audio_token": 7e-07, "output_cost_per_audio_token_batches": 1e-06,
    "deprecation_date": "soon"}
}`;
  const { claims, notes } = extractLiteLLM({ body, format: 'json' });

  it('reads audio token prices per 1M tokens, with their tier, and no cached or per-second audio price', () => {
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'audio_input_price')).toEqual([40]);
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'audio_output_price')).toEqual([80]);
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'audio_input_price', 'tier:priority')).toEqual([60]);
    expect(claimOf(claims, 'openai/gpt-4o-audio-preview', 'audio_input_price')).toMatchObject({
      locator: '/gpt-4o-audio-preview/input_cost_per_audio_token', quote: '4e-05', unit: 'USD/1M tokens',
    });
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'input_price')).toEqual([2.5]);
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'cached_input_price')).toEqual([]);
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'audio_input_price', 'route:azure/eu')).toEqual([44]);
    expect(valuesOf(claims, 'google/gemini-2.0-flash', 'audio_input_price')).toEqual([0.7]);
    expect(claims.filter((c) => c.field === 'audio_output_price' && c.model === 'google/gemini-2.0-flash')).toEqual([]);
    expect(notes.join('\n')).toMatch(/batch or cached audio prices/);
  });

  it('reads supports_tool_choice and supports_pdf_input as stated, false included', () => {
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'tool_choice')).toEqual([true]);
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'pdf_input')).toEqual([false]);
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'tool_choice', 'route:azure/eu')).toEqual([false]);
    expect(claimOf(claims, 'openai/gpt-4o-audio-preview', 'tool_choice').locator).toBe('/gpt-4o-audio-preview/supports_tool_choice');
  });

  it('reads deprecation_date as a day, per route, and skips one it cannot read', () => {
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'deprecation_date')).toEqual(['2026-06-30']);
    expect(valuesOf(claims, 'openai/gpt-4o-audio-preview', 'deprecation_date', 'route:azure/eu')).toEqual(['2026-02-27']);
    expect(claims.filter((c) => c.field === 'deprecation_date' && c.model === 'google/gemini-2.0-flash')).toEqual([]);
    expect(notes.join('\n')).toMatch(/unreadable deprecation_date/);
  });
});
