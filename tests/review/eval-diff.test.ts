import { describe, expect, it } from 'vitest';
import { liteLLMSlots, openRouterSlots, rawChanges } from '../../scripts/eval-diff.ts';

// The eval's own reading of raw JSON must be right for its verdicts to mean anything.
describe('the diff eval\'s independent reading', () => {
  it('reads OpenRouter prices per 1M tokens, long-context overrides and the top provider\'s own limit', () => {
    const slots = openRouterSlots({
      id: 'x/y',
      context_length: 400000,
      pricing: { prompt: '0.00000125', completion: '-1', input_cache_write_1h: '0.000002', overrides: [{ min_prompt_tokens: 200000, prompt: '0.0000025' }] },
      top_provider: { context_length: 272000, max_completion_tokens: 128000 },
      architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] },
      supported_parameters: ['tools', 'response_format'],
    });
    expect(slots.get('input_price|')).toBeCloseTo(1.25);
    expect(slots.has('output_price|')).toBe(false);
    expect(slots.get('cache_write_price|cache_ttl:1h')).toBeCloseTo(2);
    expect(slots.get('input_price|context>200000')).toBeCloseTo(2.5);
    expect(slots.get('context_window|route:top_provider')).toBe(272000);
    expect([slots.get('vision|'), slots.get('audio_input|'), slots.get('structured_outputs|'), slots.get('reasoning|')]).toEqual([true, false, true, false]);
  });

  it('reads LiteLLM cost suffixes as conditions and skips batch cache prices', () => {
    const slots = liteLLMSlots({
      input_cost_per_token: 1e-6,
      input_cost_per_token_above_200k_tokens_priority: 4e-6,
      output_cost_per_token_batches: 2e-6,
      cache_read_input_token_cost_batches: 1e-7,
      cache_creation_input_token_cost_above_1hr: 2e-6,
      input_cost_per_audio_token: 5e-6,
      supports_function_calling: true,
      max_input_tokens: 1000,
    });
    expect([...slots.keys()].sort()).toEqual([
      'batch_output_price|',
      'cache_write_price|cache_ttl:1h',
      'function_calling|',
      'input_price|',
      'input_price|context>200000;tier:priority',
      'max_input_tokens|',
      'tool_use|',
    ]);
  });

  it('classifies field changes between two files as added, changed and removed', () => {
    const before = new Map([['a', new Map<string, number | boolean | string>([['input_price|', 1], ['output_price|', 4]])], ['gone', new Map([['input_price|', 9]])]]);
    const after = new Map([['a', new Map<string, number | boolean | string>([['input_price|', 1.0000000000001], ['output_price|', 3], ['vision|', true]])]]);
    expect(rawChanges(before, after).map((c) => [c.entry, c.field, c.kind, c.old, c.new])).toEqual([
      ['a', 'output_price', 'changed', 4, 3],
      ['a', 'vision', 'added', null, true],
      ['gone', 'input_price', 'removed', 9, null],
    ]);
  });
});
