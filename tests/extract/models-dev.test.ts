import { describe, expect, it } from 'vitest';
import { extractModelsDev, listedModel, modelsDevListing } from '../../src/extract/models-dev.ts';
import { detectExtractor, extractDocument } from '../../src/extract/registry.ts';
import { claimOf, fixture, valuesOf } from './helpers.ts';

describe('models.dev extractor', () => {
  const body = fixture('models-dev-api.json');
  const result = extractModelsDev({ body, format: 'json' });
  const { claims, notes } = result;
  const noted = notes.join('\n');

  it('gives base claims for a vendor\'s own model, with JSON pointers and the printed values', () => {
    expect(result.drift).toEqual([]);
    const input = claimOf(claims, 'openai/gpt-5.2', 'input_price');
    expect(input).toMatchObject({ value: 1.75, unit: 'USD/1M tokens', locator: '/openai/models/gpt-5.2/cost/input', quote: '1.75', model_name: 'gpt-5.2' });
    expect(valuesOf(claims, 'openai/gpt-5.2', 'output_price')).toEqual([14]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'cached_input_price')).toEqual([0.175]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'release_date')).toEqual(['2025-12-11']);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'knowledge_cutoff')).toEqual(['2025-08-31']);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'reasoning')).toEqual([true]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'tool_use')).toEqual([true]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'structured_outputs')).toEqual([true]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'vision')).toEqual([true]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'audio_input')).toEqual([false]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'open_weights')).toEqual([false]);
    expect(valuesOf(claims, 'anthropic/claude-sonnet-4-5', 'cache_write_price')).toEqual([3.75]);
    expect(valuesOf(claims, 'qwen/qwen3-max', 'input_price')).toEqual([]);
  });

  it('reads limit.context as the context window and limit.input as its own field, the input limit', () => {
    expect(claimOf(claims, 'openai/gpt-5.2', 'context_window')).toMatchObject({ value: 400000, locator: '/openai/models/gpt-5.2/limit/context' });
    expect(claimOf(claims, 'openai/gpt-5.2', 'max_input_tokens')).toMatchObject({ value: 272000, locator: '/openai/models/gpt-5.2/limit/input' });
    expect(valuesOf(claims, 'openai/gpt-5.2', 'max_output_tokens')).toEqual([128000]);
    expect(valuesOf(claims, 'anthropic/claude-sonnet-4-5', 'max_input_tokens')).toEqual([]);
  });

  it('keeps a dated snapshot apart from its undated name, and -mini / -nano apart from their family', () => {
    expect(valuesOf(claims, 'openai/gpt-4o', 'input_price')).toEqual([2.5]);
    expect(valuesOf(claims, 'openai/gpt-4o-2024-05-13', 'input_price')).toEqual([5]);
    expect(valuesOf(claims, 'anthropic/claude-sonnet-4-5-20250929', 'input_price')).toEqual([3]);
    expect(valuesOf(claims, 'openai/gpt-5-mini', 'input_price')).toEqual([0.25]);
    expect(valuesOf(claims, 'openai/gpt-5-nano', 'input_price')).toEqual([0.05]);
    expect(valuesOf(claims, 'openai/gpt-5.2-mini', 'input_price', 'route:openrouter')).toEqual([0.3]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'input_price', 'route:openrouter')).toEqual([1.75]);
  });

  it('puts a reseller\'s entry on the upstream model under its route, every field included', () => {
    const routed = claimOf(claims, 'openai/gpt-5.2', 'input_price', 'route:openrouter');
    expect(routed).toMatchObject({ model_name: 'openai/gpt-5.2', locator: '/openrouter/models/openai~1gpt-5.2/cost/input', quote: '1.75' });
    expect(valuesOf(claims, 'openai/gpt-5.2', 'max_input_tokens', 'route:openrouter')).toEqual([272000]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'cached_input_price', 'route:azure')).toEqual([0.125]);
    expect(valuesOf(claims, 'openai/gpt-5.2', 'context_window', 'route:azure')).toEqual([400000]);
    // A route's release date and open weights describe the model, not the route: not read.
    expect(claims.filter((c) => c.condition.startsWith('route:') && ['release_date', 'knowledge_cutoff', 'open_weights'].includes(c.field))).toEqual([]);
    expect(noted).toMatch(/did not read release_date, knowledge or open_weights on resale routes/);
  });

  it('reads Bedrock ids (vendor prefix, region, revision) and Vertex ids (@default, @date, -maas) under LiteLLM\'s route names', () => {
    const sonnet = 'anthropic/claude-sonnet-4-5-20250929';
    expect(claimOf(claims, sonnet, 'input_price', 'route:bedrock')).toMatchObject({
      value: 3,
      model_name: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      locator: '/amazon-bedrock/models/anthropic.claude-sonnet-4-5-20250929-v1:0/cost/input',
    });
    expect(valuesOf(claims, sonnet, 'input_price', 'route:bedrock/eu')).toEqual([3.3]);
    expect(valuesOf(claims, 'anthropic/claude-sonnet-4-5', 'input_price', 'route:bedrock')).toEqual([]);
    expect(valuesOf(claims, 'anthropic/claude-opus-4-6', 'input_price', 'route:vertex_ai')).toEqual([5]);
    expect(valuesOf(claims, 'anthropic/claude-opus-4-6', 'input_price', 'context>200000;route:vertex_ai')).toEqual([10]);
    expect(valuesOf(claims, 'meta-llama/llama-3.3-70b-instruct', 'input_price', 'route:vertex_ai')).toEqual([0.72]);
  });

  it('reads a vendor\'s regional folder as a route, naming the vendor of each model it lists', () => {
    expect(valuesOf(claims, 'qwen/qwen3-max', 'input_price', 'route:alibaba-cn')).toEqual([0.861]);
    expect(valuesOf(claims, 'minimax/minimax-m2.5', 'input_price', 'route:alibaba-cn')).toEqual([0.301]);
  });

  it('reads cost tiers as context>N conditions, and the legacy context_over_200k only where there are no tiers', () => {
    const opus = claimOf(claims, 'anthropic/claude-opus-4-6', 'input_price', 'context>200000');
    expect(opus).toMatchObject({ value: 10, locator: '/anthropic/models/claude-opus-4-6/cost/tiers/0/input' });
    expect(valuesOf(claims, 'anthropic/claude-opus-4-6', 'cache_write_price', 'context>200000')).toEqual([12.5]);
    expect(valuesOf(claims, 'anthropic/claude-opus-4-6', 'input_price')).toEqual([5]);
    expect(noted).toMatch(/did not read cost.context_over_200k beside cost.tiers/);
    // A tier without a type is a context tier (the older spelling).
    expect(valuesOf(claims, 'google/gemini-2.5-pro', 'output_price', 'context>200000')).toEqual([15]);
    const legacy = claimOf(claims, 'google/gemini-2.0-flash', 'input_price', 'context>200000');
    expect(legacy).toMatchObject({ value: 0.2, locator: '/google/models/gemini-2.0-flash/cost/context_over_200k/input' });
  });

  it('reads cost.input_audio as the audio input price, and a pdf input modality as PDF input, never its absence as false', () => {
    expect(claimOf(claims, 'google/gemini-2.5-pro', 'audio_input_price')).toMatchObject({ value: 1.25, locator: '/google/models/gemini-2.5-pro/cost/input_audio' });
    expect(noted).not.toMatch(/not read: cost.input_audio/);
    expect(claimOf(claims, 'google/gemini-2.5-pro', 'pdf_input')).toMatchObject({ value: true, locator: '/google/models/gemini-2.5-pro/modalities/input' });
    expect(valuesOf(claims, 'openai/gpt-5.2', 'pdf_input')).toEqual([]);
    expect(claims.some((c) => c.field === 'pdf_input' && c.value === false)).toBe(false);
  });

  it('keeps a $0 price as an anomaly and counts it', () => {
    const free = claimOf(claims, 'openai/gpt-oss-120b:free', 'input_price', 'route:openrouter');
    expect(free.value).toBe(0);
    expect(free.anomaly).toBeDefined();
    expect(noted).toMatch(/\$0 prices kept, flagged as anomalies .*\(2x, e.g. openrouter\/openai\/gpt-oss-120b:free input, openrouter\/openai\/gpt-oss-120b:free output\)/);
  });

  it('reads a reseller\'s org/model id as that organisation\'s model, on the reseller\'s route', () => {
    expect(valuesOf(claims, 'thedrummer/cydonia-24b-v4.1', 'input_price', 'route:openrouter')).toEqual([0.3]);
    expect(claims.some((c) => c.model.startsWith('openrouter/'))).toBe(false);
  });

  it('skips image generators, embeddings and routers', () => {
    for (const name of ['gpt-image-1', 'imagen-4', 'text-embedding-3-small', 'model-router']) {
      expect(claims.some((c) => c.model_name === name)).toBe(false);
    }
    expect(noted).toMatch(/skipped models that output no text/);
    expect(noted).toMatch(/skipped embedding and reranking models/);
    expect(noted).toMatch(/skipped routers/);
  });

  it('reports drift, never throws, on a body of another shape', () => {
    for (const other of ['{"data": [{"id": "openai/gpt-5.2", "pricing": {"prompt": "0.00000175"}}]}', '[{"openai": {"models": {}}}]', '{"openai": {"name": "OpenAI"}}', 'not json']) {
      const r = extractModelsDev({ body: other, format: 'json' });
      expect(r.claims).toEqual([]);
      expect(r.drift.length).toBeGreaterThan(0);
    }
    expect(extractModelsDev({ body: '{"openai": {"name": "OpenAI"}}', format: 'json' }).notes.join()).toMatch(/not an object of providers/);
  });

  it('is picked by content, and runs through the registry', () => {
    expect(detectExtractor(body, 'json')).toBe('models-dev');
    const viaRegistry = extractDocument(body, { filename: 'api.json' });
    expect(viaRegistry.claims).toEqual(claims);
  });
});

describe('models.dev listings', () => {
  const read = (provider: string, id: string) => listedModel(id, modelsDevListing(provider));

  it('strips platform decorations to find the upstream model', () => {
    expect(read('databricks', 'databricks-claude-sonnet-4-5')).toEqual({ model: 'anthropic/claude-sonnet-4-5', condition: 'route:databricks', upstream: true });
    expect(read('digitalocean', 'openai-gpt-5.2')).toEqual({ model: 'openai/gpt-5.2', condition: 'route:gradient_ai', upstream: true });
    expect(read('sap-ai-core', 'anthropic--claude-4.5-sonnet').model).toBe('anthropic/claude-4.5-sonnet');
    expect(read('cloudflare-workers-ai', '@cf/meta/llama-3.1-8b-instruct-fp8')).toMatchObject({ model: 'meta-llama/llama-3.1-8b-instruct-fp8', condition: 'route:cloudflare' });
    expect(read('fireworks-ai', 'accounts/fireworks/models/deepseek-v4-pro')).toMatchObject({ model: 'deepseek/deepseek-v4-pro', condition: 'route:fireworks_ai' });
    expect(read('synthetic', 'hf:zai-org/GLM-5.1')).toMatchObject({ model: 'z-ai/glm-5.1', condition: 'route:synthetic' });
    expect(read('amazon-bedrock', 'global.anthropic.claude-opus-4-6-v1')).toMatchObject({ model: 'anthropic/claude-opus-4-6', condition: 'route:bedrock/global' });
    expect(read('google-vertex-anthropic', 'claude-sonnet-4-5@20250929')).toMatchObject({ model: 'anthropic/claude-sonnet-4-5-20250929', condition: 'route:vertex_ai' });
  });

  it('reads a path segment naming a vendor, and a path word naming none as a channel of the listing', () => {
    expect(read('togetherai', 'MiniMaxAI/MiniMax-M2.5')).toMatchObject({ model: 'minimax/minimax-m2.5', condition: 'route:together_ai' });
    expect(read('alibaba-cn', 'siliconflow/deepseek-r1-0528')).toMatchObject({ model: 'deepseek/deepseek-r1-0528', condition: 'route:alibaba-cn/siliconflow' });
    expect(read('siliconflow-cn', 'Pro/zai-org/GLM-5')).toMatchObject({ model: 'z-ai/glm-5', condition: 'route:siliconflow-cn/pro' });
  });

  it('never guesses a vendor: an unknown name stays the listing\'s own model', () => {
    expect(read('gitlab', 'duo-chat-gpt-5-1')).toEqual({ model: 'gitlab/duo-chat-gpt-5-1', condition: '', upstream: false });
    expect(read('nano-gpt', 'toppy-m-7b')).toEqual({ model: 'nano-gpt/toppy-m-7b', condition: '', upstream: false });
    expect(read('openrouter', 'thedrummer/cydonia-24b-v4.1')).toEqual({ model: 'thedrummer/cydonia-24b-v4.1', condition: 'route:openrouter', upstream: true });
    // A vendor's own family named in the path is that vendor's, whatever the name's prefix says.
    expect(read('cloudflare-ai-gateway', 'workers-ai/@cf/deepgram/nova-3').model).toBe('deepgram/nova-3');
    // nano-gpt's second copy of an organisation is that organisation.
    expect(read('nano-gpt', 'TheDrummer 2/Cydonia-24B-v4.1')).toMatchObject({ model: 'thedrummer/cydonia-24b-v4.1', upstream: true });
  });

  it('gives a vendor\'s own folder base claims, and another vendor\'s model in it a route', () => {
    expect(read('openai', 'gpt-5.2')).toEqual({ model: 'openai/gpt-5.2', condition: '', upstream: true });
    expect(read('alibaba', 'qvq-max')).toEqual({ model: 'qwen/qvq-max', condition: '', upstream: true });
    expect(read('alibaba', 'glm-5')).toEqual({ model: 'z-ai/glm-5', condition: 'route:alibaba', upstream: true });
  });
});
