import { describe, expect, it } from 'vitest';
import { extractGeneric } from '../../src/extract/aggregator.ts';
import { extractModelCard } from '../../src/extract/modelcard.ts';
import { extractPricingPage } from '../../src/extract/pricing.ts';
import { claimOf, fixture, valuesOf } from './helpers.ts';

describe('first-party pricing: OpenAI tabs in markdown', () => {
  const result = extractPricingPage({ body: fixture('openai-like-pricing.md'), format: 'markdown', provider: 'openai' });
  const { claims } = result;

  it('reads the first (Batch) table as batch prices, never as the standard price', () => {
    expect(valuesOf(claims, 'openai/gpt-5', 'input_price')).toEqual([1.25]);
    expect(valuesOf(claims, 'openai/gpt-5', 'output_price')).toEqual([10]);
    expect(valuesOf(claims, 'openai/gpt-5', 'batch_input_price')).toEqual([0.625]);
    expect(valuesOf(claims, 'openai/gpt-4.1', 'batch_output_price')).toEqual([4]);
    expect(claimOf(claims, 'openai/gpt-5', 'batch_input_price').locator).toMatch(/^table\[0\]/);
  });

  it('has no batch field for cached input, and says so', () => {
    expect(claims.some((c) => c.field === 'cached_input_price' && c.value === 0.0625 && c.condition === '')).toBe(false);
    expect(result.notes.join('\n')).toMatch(/batch cached_input_price/);
  });

  it('keeps flex and priority as tiers', () => {
    expect(valuesOf(claims, 'openai/gpt-5', 'input_price', 'tier:flex')).toEqual([0.625]);
    expect(valuesOf(claims, 'openai/gpt-5', 'output_price', 'tier:priority')).toEqual([20]);
    expect(valuesOf(claims, 'openai/gpt-5', 'cached_input_price', 'tier:priority')).toEqual([0.25]);
  });

  it('skips image-token prices', () => {
    expect(claims.some((c) => c.model === 'openai/gpt-image-1')).toBe(false);
  });
});

describe('first-party pricing: HTML tabs and two-tier cells', () => {
  const result = extractPricingPage({ body: fixture('tabbed-pricing.html'), format: 'html' });
  const { claims } = result;

  it('reads the tab each table sits in', () => {
    expect(valuesOf(claims, 'openai/gpt-4.1-mini', 'input_price')).toEqual([0.4]);
    expect(valuesOf(claims, 'openai/gpt-4.1-mini', 'batch_input_price')).toEqual([0.2]);
    expect(valuesOf(claims, 'openai/gpt-4.1-mini', 'input_price', 'tier:priority')).toEqual([0.7]);
  });

  it('splits "$1.25, prompts <= 200k / $2.50, prompts > 200k" into base and context>200000', () => {
    expect(valuesOf(claims, 'google/gemini-2.5-pro', 'input_price')).toEqual([1.25]);
    expect(valuesOf(claims, 'google/gemini-2.5-pro', 'input_price', 'context>200000')).toEqual([2.5]);
    expect(valuesOf(claims, 'google/gemini-2.5-pro', 'output_price', 'context>200000')).toEqual([15]);
  });

  it('reads nothing from audio tables, navigation or worked examples', () => {
    expect(claims.some((c) => c.model.includes('audio') || c.value === 3.2 || c.value === 40)).toBe(false);
  });
});

describe('first-party pricing: DeepSeek-style flattened table', () => {
  const { claims, drift } = extractPricingPage({ body: fixture('deepseek-like-pricing.md'), format: 'markdown' });

  it('reads cache hit, cache miss and output prices that span both models', () => {
    for (const model of ['deepseek/deepseek-chat', 'deepseek/deepseek-reasoner']) {
      expect(valuesOf(claims, model, 'cached_input_price')).toEqual([0.028]);
      expect(valuesOf(claims, model, 'input_price')).toEqual([0.28]);
      expect(valuesOf(claims, model, 'output_price')).toEqual([0.42]);
      expect(valuesOf(claims, model, 'context_window')).toEqual([128000]);
      expect(valuesOf(claims, model, 'tool_use')).toEqual([true]);
    }
    expect(drift).toEqual([]);
  });

  it('takes the maximum of wrapped "DEFAULT / MAXIMUM" cells as the max output', () => {
    expect(valuesOf(claims, 'deepseek/deepseek-chat', 'max_output_tokens')).toEqual([8000]);
    expect(valuesOf(claims, 'deepseek/deepseek-reasoner', 'max_output_tokens')).toEqual([64000]);
  });
});

describe('negative page', () => {
  it('a docs home page at a pricing URL yields no claims and a "no figures found" drift', () => {
    const r = extractPricingPage({ body: fixture('docs-home-no-prices.md'), format: 'markdown', provider: 'anthropic' });
    expect(r.claims).toEqual([]);
    expect(r.drift).toHaveLength(1);
    expect(r.drift[0]).toMatch(/^no figures found/);
  });
});

describe('model card', () => {
  const { claims } = extractModelCard({ body: fixture('model-card-bundle.md'), format: 'markdown' });
  const ID = 'openai/gpt-oss-20b';

  it('reads front matter, config.json and stated parameter counts', () => {
    expect(valuesOf(claims, ID, 'license')).toEqual(['apache-2.0']);
    expect(valuesOf(claims, ID, 'open_weights')).toEqual([true]);
    expect(valuesOf(claims, ID, 'context_window')).toEqual([131072]);
    expect(valuesOf(claims, ID, 'parameters')).toEqual([21e9]);
    expect(valuesOf(claims, 'openai/gpt-oss-120b', 'parameters')).toEqual([117e9]);
  });

  it('never reads code examples or active-parameter counts', () => {
    expect(claims.some((c) => c.field === 'knowledge_cutoff')).toBe(false);
    expect(claims.some((c) => c.value === 3.6e9 || c.value === 5.1e9 || c.value === 4096)).toBe(false);
  });

  it('reports a card without a model name as drift', () => {
    const r = extractModelCard({ body: '# \n\nSome text without a model.', format: 'markdown' });
    expect(r.claims).toEqual([]);
    expect(r.drift[0]).toMatch(/no figures found/);
  });
});

describe('generic fallback', () => {
  it('reads tables that name models, at low confidence', () => {
    const body = '# Our notes\n\n| Model | Context window | Input price |\n|---|---|---|\n| Claude Haiku 3.5 | 200K | $0.80 / MTok |\n';
    const { claims } = extractGeneric({ body, format: 'markdown' });
    expect(valuesOf(claims, 'anthropic/claude-haiku-3.5', 'context_window')).toEqual([200000]);
    expect(claims.every((c) => c.confidence <= 0.5)).toBe(true);
  });

  it('produces nothing from tables that name no models', () => {
    const body = '| Role | Purpose |\n|---|---|\n| system | 128k context |\n';
    expect(extractGeneric({ body, format: 'markdown' }).claims).toEqual([]);
  });
});
