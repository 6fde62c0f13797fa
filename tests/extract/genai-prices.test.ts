import { describe, expect, it } from 'vitest';
import { extractGenaiPrices, genaiPricesListing } from '../../src/extract/genai-prices.ts';
import { listedModel } from '../../src/extract/models-dev.ts';
import { detectExtractor, extractDocument } from '../../src/extract/registry.ts';
import { claimOf, fixture, valuesOf } from './helpers.ts';

describe('genai-prices extractor', () => {
  const body = fixture('genai-prices.json');
  const result = extractGenaiPrices({ body, format: 'json' });
  const { claims, notes } = result;
  const noted = notes.join('\n');

  it('gives base claims for a vendor\'s own model, located by JSON pointer into the providers array', () => {
    expect(result.drift).toEqual([]);
    expect(claimOf(claims, 'openai/gpt-5.2', 'input_price')).toMatchObject({
      value: 1.75,
      unit: 'USD/1M tokens',
      model_name: 'gpt-5.2',
      locator: '/6/models/4/prices/input_mtok',
      quote: '1.75',
    });
    expect(valuesOf(claims, 'openai/gpt-5.2', 'cached_input_price')).toEqual([0.175]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'output_price')).toEqual([14]);
    expect(claimOf(claims, 'openai/gpt-5.2', 'context_window')).toMatchObject({ value: 400000, locator: '/6/models/4/context_window' });
  });

  it('claims only the model\'s own id: the ids its match rule names (snapshots, siblings) stay apart', () => {
    expect(claims.some((c) => ['openai/gpt-5.2-2025-12-11', 'openai/gpt-5.2-codex', 'openai/gpt-4o-2024-08-06'].includes(c.model))).toBe(false);
    expect(noted).toMatch(/not claimed for the other ids a match rule names .*\(8x, e.g. azure\/gpt-4o: gpt-4o-2024-11-20, deepseek\/deepseek-chat: deepseek-chat-v3-0324, huggingface_novita\/deepseek-ai\/DeepSeek-R1: deepseek-ai\/deepseek-r1-0528\)/);
  });

  it('keeps a dated snapshot apart from its undated name, and -mini / -nano apart from their family', () => {
    expect(valuesOf(claims, 'openai/gpt-4o', 'input_price')).toEqual([2.5]);
    expect(valuesOf(claims, 'openai/gpt-4o-2024-05-13', 'input_price')).toEqual([5]);
    expect(valuesOf(claims, 'openai/gpt-5-mini', 'input_price')).toEqual([0.25]);
    expect(valuesOf(claims, 'openai/gpt-5-nano', 'input_price')).toEqual([0.05]);
  });

  it('reads a tiered price as its base plus a context>START claim per tier', () => {
    const sonnet = 'anthropic/claude-sonnet-4-5';
    expect(claimOf(claims, sonnet, 'input_price')).toMatchObject({ value: 3, locator: '/0/models/1/prices/input_mtok/base' });
    expect(claimOf(claims, sonnet, 'input_price', 'context>200000')).toMatchObject({ value: 6, locator: '/0/models/1/prices/input_mtok/tiers/0/price', quote: '6' });
    expect(valuesOf(claims, sonnet, 'output_price', 'context>200000')).toEqual([22.5]);
    expect(valuesOf(claims, sonnet, 'cache_write_price', 'context>200000')).toEqual([7.5]);
    expect(valuesOf(claims, sonnet, 'cached_input_price', 'context>200000')).toEqual([0.6]);
  });

  it('reads a dated price list: the newest dated price is the base, every dated price also says from when', () => {
    // o3: $10/$40 at launch, $2/$8 from 2025-06-10.
    expect(claimOf(claims, 'openai/o3', 'input_price')).toMatchObject({ value: 2, locator: '/6/models/5/prices/1/prices/input_mtok' });
    expect(valuesOf(claims, 'openai/o3', 'input_price', 'from:2025-06-10')).toEqual([2]);
    expect(valuesOf(claims, 'openai/o3', 'output_price')).toEqual([8]);
    expect(claims.some((c) => c.model === 'openai/o3' && c.value === 10)).toBe(false);
    // claude-opus-4-6: its long-context tier ended on 2026-03-13; the flat price is in force.
    expect(valuesOf(claims, 'anthropic/claude-opus-4-6', 'input_price')).toEqual([5]);
    expect(claims.some((c) => c.model === 'anthropic/claude-opus-4-6' && c.condition.includes('context>') && !c.condition.includes('route:'))).toBe(false);
    expect(noted).toMatch(/did not claim the price before a dated price took over .*anthropic\/claude-opus-4-6/);
  });

  it('given the day the file describes, takes the price in force that day and dates the rest', () => {
    const asOf = extractGenaiPrices({ body, format: 'json' }, { asOf: '2026-07-25' }).claims;
    // A sync reads a capture as of the day it was observed.
    const captured = extractGenaiPrices({ body, format: 'json', observedAt: '2026-07-25T00:00:00.000Z' }).claims;
    expect(claimOf(captured, 'anthropic/claude-sonnet-5', 'input_price')).toMatchObject({ value: 2 });
    // Claude Sonnet 5: introductory $2 until its $3 starts on 2026-09-01.
    expect(claimOf(asOf, 'anthropic/claude-sonnet-5', 'input_price')).toMatchObject({ value: 2, locator: '/0/models/2/prices/0/prices/input_mtok' });
    expect(valuesOf(asOf, 'anthropic/claude-sonnet-5', 'input_price', 'from:2026-09-01')).toEqual([3]);
    expect(valuesOf(asOf, 'openai/o3', 'input_price')).toEqual([2]);
    // Without a day, the newest dated price stands as the base, its from: claim saying when it starts.
    expect(valuesOf(claims, 'anthropic/claude-sonnet-5', 'input_price')).toEqual([3]);
    expect(valuesOf(claims, 'anthropic/claude-sonnet-5', 'input_price', 'from:2026-09-01')).toEqual([3]);
  });

  it('makes no claim from time-of-day prices, nor from the default price they alternate with', () => {
    expect(claims.filter((c) => c.model === 'deepseek/deepseek-chat' && c.field.endsWith('_price'))).toEqual([]);
    expect(valuesOf(claims, 'deepseek/deepseek-chat', 'context_window')).toEqual([64000]);
    expect(noted).toMatch(/did not read time-of-day prices .*deepseek\/deepseek-chat/);
  });

  it('puts a reseller\'s price on the upstream model under its route', () => {
    const sonnet = 'anthropic/claude-sonnet-4-5-20250929';
    expect(claimOf(claims, sonnet, 'input_price', 'route:bedrock/global')).toMatchObject({
      value: 3,
      model_name: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      locator: '/1/models/0/prices/input_mtok',
    });
    expect(valuesOf(claims, sonnet, 'input_price', 'route:bedrock')).toEqual([3.3]);
    expect(valuesOf(claims, 'anthropic/claude-sonnet-4-5', 'input_price', 'route:bedrock')).toEqual([]);
    expect(valuesOf(claims, 'openai/gpt-4o', 'input_price', 'route:azure')).toEqual([2.5]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'input_price', 'route:openrouter')).toEqual([1.75]);
    expect(valuesOf(claims, 'deepseek/deepseek-r1', 'input_price', 'route:huggingface/novita')).toEqual([0.7]);
    // Google's entry for Claude is Claude on Vertex.
    expect(valuesOf(claims, 'anthropic/claude-opus-4-6', 'input_price', 'context>200000;route:vertex_ai')).toEqual([10]);
    expect(valuesOf(claims, 'google/gemini-2.5-pro', 'input_price', 'context>200000')).toEqual([2.5]);
  });

  it('reads a reseller\'s org/model id as that organisation\'s model, on the reseller\'s route', () => {
    expect(valuesOf(claims, 'alpindale/goliath-120b', 'input_price', 'route:openrouter')).toEqual([6.5625]);
  });

  it('keeps a $0 price as an anomaly and counts it; notes empty prices and fields it has no place for', () => {
    const zero = claimOf(claims, 'meta-llama/llama-3.2-1b-instruct', 'cache_write_price', 'route:openrouter');
    expect(zero.value).toBe(0);
    expect(zero.anomaly).toBeDefined();
    expect(noted).toMatch(/\$0 prices kept, flagged as anomalies/);
    expect(noted).toMatch(/models listing no prices .*mistralai\/mistral-7b-instruct:free/);
  });

  it('reads audio token prices, and keeps one that repeats the text input price as an anomaly', () => {
    expect(claimOf(claims, 'google/gemini-2.5-pro', 'audio_input_price')).toMatchObject({ value: 1, locator: '/4/models/1/prices/input_audio_mtok' });
    expect(claimOf(claims, 'google/gemini-2.5-pro', 'audio_input_price').anomaly).toBeUndefined();
    const openai = JSON.stringify([{ id: 'openai', name: 'OpenAI', models: [
      { id: 'gpt-4o-audio-preview', match: { equals: 'gpt-4o-audio-preview' }, prices: { input_mtok: 2.5, output_mtok: 10, input_audio_mtok: 2.5 } },
      { id: 'gpt-audio', match: { equals: 'gpt-audio' }, prices: { input_mtok: 2.5, output_mtok: 10, input_audio_mtok: 32, output_audio_mtok: 64, cache_audio_read_mtok: 0.4 } },
    ] }]);
    const audio = extractGenaiPrices({ body: openai, format: 'json' });
    expect(claimOf(audio.claims, 'openai/gpt-4o-audio-preview', 'audio_input_price').anomaly).toMatch(/repeats the text input price/);
    expect(valuesOf(audio.claims, 'openai/gpt-audio', 'audio_input_price')).toEqual([32]);
    expect(valuesOf(audio.claims, 'openai/gpt-audio', 'audio_output_price')).toEqual([64]);
    expect(audio.notes.join('\n')).toMatch(/not read: cache_audio_read_mtok/);
  });

  it('skips embedding models', () => {
    expect(claims.some((c) => /embed/.test(c.model_name))).toBe(false);
    expect(noted).toMatch(/skipped embedding/);
  });

  it('skips a constraint it does not know, and reports drift, never throws, on a body of another shape', () => {
    const odd = JSON.stringify([{ id: 'openai', models: [{ id: 'gpt-x', match: { equals: 'gpt-x' }, prices: [{ constraint: { min_tokens: 5 }, prices: { input_mtok: 9 } }, { prices: { input_mtok: 1 } }] }] }]);
    const read = extractGenaiPrices({ body: odd, format: 'json' });
    expect(valuesOf(read.claims, 'openai/gpt-x', 'input_price')).toEqual([1]);
    expect(read.notes.join()).toMatch(/constraint other than start_date/);
    for (const other of ['{"openai": {"models": {}}}', '[{"id": "openai", "pricing": {}}]', '[]', 'not json']) {
      const r = extractGenaiPrices({ body: other, format: 'json' });
      expect(r.claims).toEqual([]);
      expect(r.drift.length).toBeGreaterThan(0);
    }
  });

  it('is picked by content, and runs through the registry', () => {
    expect(detectExtractor(body, 'json')).toBe('genai-prices');
    expect(extractDocument(body, { filename: 'data.json' }).claims).toEqual(claims);
  });
});

describe('genai-prices providers', () => {
  it('maps provider ids to vendor slugs and routes', () => {
    expect(genaiPricesListing('zhipuai')).toMatchObject({ vendor: 'z-ai', route: '' });
    expect(genaiPricesListing('x-ai')).toMatchObject({ vendor: 'x-ai', route: '' });
    expect(genaiPricesListing('together')).toMatchObject({ route: 'together_ai' });
    expect(listedModel('GLM-4.5-Air', genaiPricesListing('zhipuai'))).toEqual({ model: 'z-ai/glm-4.5-air', condition: '', upstream: true });
    expect(listedModel('meta-llama/Llama-3.3-70B-Instruct-Turbo', genaiPricesListing('together'))).toMatchObject({ model: 'meta-llama/llama-3.3-70b-instruct-turbo', condition: 'route:together_ai' });
  });
});
