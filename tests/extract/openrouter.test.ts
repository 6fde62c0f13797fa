import { describe, expect, it } from 'vitest';
import { extractOpenRouter } from '../../src/extract/openrouter.ts';
import { claimOf, fixture, valuesOf } from './helpers.ts';

const body = fixture('openrouter-models.json');
const LUNA = 'openai/gpt-5.6-luna';

describe('openrouter extractor', () => {
  const result = extractOpenRouter({ body, format: 'json' });
  const { claims } = result;

  it('turns per-token strings into clean USD per 1M tokens', () => {
    expect(valuesOf(claims, LUNA, 'input_price')).toEqual([1.75]);
    expect(valuesOf(claims, LUNA, 'output_price')).toEqual([14]);
    expect(valuesOf(claims, LUNA, 'cached_input_price')).toEqual([0.175]);
    expect(valuesOf(claims, LUNA, 'cache_write_price')).toEqual([1.25]);
  });

  it('locates each figure by JSON pointer and quotes the raw value', () => {
    const claim = claimOf(claims, LUNA, 'input_price');
    expect(claim.locator).toBe('/0/pricing/prompt');
    expect(claim.quote).toBe('"0.00000175"');
    expect(claim.model_name).toBe('openai/gpt-5.6-luna');
  });

  it('reads long-context overrides as context>N prices', () => {
    expect(valuesOf(claims, LUNA, 'input_price', 'context>272000')).toEqual([3.5]);
    expect(valuesOf(claims, LUNA, 'output_price', 'context>272000')).toEqual([22.5]);
    expect(claimOf(claims, LUNA, 'input_price', 'context>272000').locator).toBe('/0/pricing/overrides/0/prompt');
  });

  it('keeps the 1-hour cache write under cache_ttl:1h', () => {
    expect(valuesOf(claims, 'anthropic/claude-sonnet-5', 'cache_write_price')).toEqual([2.5]);
    expect(valuesOf(claims, 'anthropic/claude-sonnet-5', 'cache_write_price', 'cache_ttl:1h')).toEqual([4]);
  });

  it('keeps a differing top-provider context window as a separate route claim, and that provider\'s output limit with it', () => {
    expect(valuesOf(claims, 'qwen/qwen3-coder', 'context_window')).toEqual([1048576]);
    expect(valuesOf(claims, 'qwen/qwen3-coder', 'context_window', 'route:top_provider')).toEqual([262144]);
    expect(valuesOf(claims, LUNA, 'context_window', 'route:top_provider')).toEqual([]);
    // The output limit the top provider lists beside its own window is that provider's, not the model's.
    expect(valuesOf(claims, 'qwen/qwen3-coder', 'max_output_tokens')).toEqual([]);
    expect(valuesOf(claims, 'qwen/qwen3-coder', 'max_output_tokens', 'route:top_provider')).toEqual([65536]);
  });

  it('maps modalities and supported parameters to flags', () => {
    expect(valuesOf(claims, LUNA, 'vision')).toEqual([true]);
    expect(valuesOf(claims, LUNA, 'tool_use')).toEqual([true]);
    expect(valuesOf(claims, LUNA, 'function_calling')).toEqual([true]);
    expect(valuesOf(claims, LUNA, 'reasoning')).toEqual([true]);
    expect(valuesOf(claims, LUNA, 'structured_outputs')).toEqual([true]);
    expect(valuesOf(claims, 'anthropic/claude-sonnet-5', 'audio_input')).toEqual([true]);
    expect(valuesOf(claims, 'anthropic/claude-sonnet-5', 'audio_output')).toEqual([true]);
    const absent = claimOf(claims, 'qwen/qwen3-coder', 'tool_use');
    expect(absent.value).toBe(false);
    expect(absent.confidence).toBeLessThan(claimOf(claims, LUNA, 'tool_use').confidence);
  });

  it('claims tool_choice where supported_parameters lists it, and nothing where it does not', () => {
    expect(claimOf(claims, LUNA, 'tool_choice')).toMatchObject({ value: true, locator: '/0/supported_parameters' });
    expect(valuesOf(claims, 'qwen/qwen3-coder', 'tool_choice')).toEqual([]);
    expect(claims.some((c) => c.field === 'tool_choice' && c.value === false)).toBe(false);
  });

  it('reads knowledge cutoffs at their precision and never "created" as a release date', () => {
    expect(valuesOf(claims, LUNA, 'knowledge_cutoff')).toEqual(['2025-08-31']);
    expect(valuesOf(claims, 'anthropic/claude-sonnet-5', 'knowledge_cutoff')).toEqual(['2026-02']);
    expect(claims.some((c) => c.field === 'release_date')).toBe(false);
    expect(result.notes.join('\n')).toMatch(/created/);
  });

  it('skips dynamic "-1" prices and router entries with a note', () => {
    expect(valuesOf(claims, 'x-ai/grok-dynamic', 'input_price')).toEqual([]);
    expect(valuesOf(claims, 'x-ai/grok-dynamic', 'output_price')).toEqual([15]);
    expect(claims.some((c) => c.model.startsWith('openrouter/'))).toBe(false);
    expect(result.notes.join('\n')).toMatch(/dynamic price "-1"/);
  });

  it('flags a $0 price as an anomaly instead of dropping it', () => {
    const free = claims.filter((c) => c.model === 'google/gemma-4-26b-a4b-it:free' && c.field === 'input_price');
    expect(free).toHaveLength(1);
    expect(free[0].anomaly).toMatch(/below/);
  });

  it('accepts the {data: [...]} shape with pointers under /data', () => {
    const wrapped = JSON.stringify({ data: JSON.parse(body) });
    const claim = claimOf(extractOpenRouter({ body: wrapped, format: 'json' }).claims, LUNA, 'input_price');
    expect(claim.locator).toBe('/data/0/pricing/prompt');
  });

  it('reports drift, never throws, on a body that is not the models list', () => {
    for (const bad of ['{"error": "rate limited"}', 'not json', '[]']) {
      const r = extractOpenRouter({ body: bad, format: 'json' });
      expect(r.claims).toEqual([]);
      expect(r.drift.join('\n')).toMatch(/no figures found/);
    }
  });
});
