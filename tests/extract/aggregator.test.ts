import { describe, expect, it } from 'vitest';
import { extractAggregator, titleModels } from '../../src/extract/aggregator.ts';
import { ExtractResultSchema } from '../../src/schema/claim.ts';
import { claimOf, fixture, valuesOf } from './helpers.ts';

const AUDIO = 'openai/gpt-4o-audio';
const CODEX = 'openai/gpt-5.2-codex';

describe('aggregator: text page with glued tables and unnamed spec columns', () => {
  const result = extractAggregator({ body: fixture('aggregator-pair.txt'), format: 'text' });
  const { claims } = result;

  it('returns a valid result', () => {
    expect(() => ExtractResultSchema.parse(result)).not.toThrow();
    expect(result.drift).toEqual([]);
  });

  it('names empty spec columns after the title pair', () => {
    expect(valuesOf(claims, AUDIO, 'release_date')).toEqual(['2024-10-01']);
    expect(valuesOf(claims, CODEX, 'release_date')).toEqual(['2025-12-18']);
    expect(valuesOf(claims, CODEX, 'knowledge_cutoff')).toEqual(['2025-08']);
    expect(claimOf(claims, CODEX, 'release_date').locator).toContain('GPT-5.2 Codex');
  });

  it('reads the table that starts mid-line and keeps one claim per figure', () => {
    expect(valuesOf(claims, AUDIO, 'context_window')).toEqual([128000]);
    expect(claimOf(claims, AUDIO, 'context_window').locator).toMatch(/^table\[0\]/);
  });

  it('turns placeholders into no claim at all', () => {
    expect(claims.filter((c) => c.model === CODEX && (c.field === 'context_window' || c.field === 'parameters'))).toEqual([]);
  });

  it('reads price rows, licenses and openness', () => {
    expect(valuesOf(claims, AUDIO, 'input_price')).toEqual([2.5]);
    expect(valuesOf(claims, CODEX, 'input_price')).toEqual([1.75]);
    expect(valuesOf(claims, CODEX, 'output_price')).toEqual([14]);
    expect(valuesOf(claims, CODEX, 'license')).toEqual(['proprietary']);
    expect(valuesOf(claims, CODEX, 'open_weights')).toEqual([false]);
  });

  it('does not take the cheapest route price for the output price, and says so', () => {
    expect(valuesOf(claims, AUDIO, 'output_price')).toEqual([10]);
    expect(claims.some((c) => c.value === 9 || c.value === 13)).toBe(false);
    expect(result.notes.join('\n')).toMatch(/Cheapest output/);
  });

  it('reads the capability grid, ignoring rows without a field', () => {
    expect(valuesOf(claims, CODEX, 'vision')).toEqual([true]);
    expect(valuesOf(claims, AUDIO, 'vision')).toEqual([false]);
    expect(valuesOf(claims, CODEX, 'reasoning')).toEqual([true]);
    expect(valuesOf(claims, AUDIO, 'reasoning')).toEqual([false]);
    expect(valuesOf(claims, CODEX, 'code_execution')).toEqual([true]);
    expect(claims.some((c) => /Multimodal|Computer use/.test(c.locator))).toBe(false);
  });

  it('never reads monthly estimates or blends as prices', () => {
    expect(claims.some((c) => c.value === 4500 || c.value === 4900 || c.value === 0.67)).toBe(false);
  });
});

describe('aggregator: prose attribution', () => {
  const { claims } = extractAggregator({ body: fixture('aggregator-prose.txt'), format: 'text' });
  const MINI = 'openai/gpt-4.1-mini';

  it('keeps the exact figure the page prints for an abbreviated one', () => {
    expect(valuesOf(claims, MINI, 'context_window')).toEqual([1047576]);
    expect(valuesOf(claims, CODEX, 'context_window')).toEqual([400000]);
  });

  it('attributes "while B costs $14" and "versus N for B" to B', () => {
    expect(valuesOf(claims, MINI, 'output_price')).toEqual([1.6]);
    expect(valuesOf(claims, CODEX, 'output_price')).toEqual([14]);
  });

  it('reads no tokens-per-second as a context window and no un-attributed price', () => {
    expect(claims.some((c) => c.value === 144.39 || c.value === 98.09 || c.value === 144 || c.value === 98)).toBe(false);
    expect(claims.filter((c) => c.field === 'output_price')).toHaveLength(2);
  });

  it('prefers the table locator when table and sentence agree', () => {
    expect(claimOf(claims, MINI, 'output_price').locator).toMatch(/^table/);
  });
});

describe('aggregator: sentence-only figures', () => {
  it('attributes "versus $X for the alternative" to the other model', () => {
    const body = 'GPT-4o Audio vs GPT-5.2 Codex\nOn pricing, GPT-5.2 Codex costs $1.75/1M input tokens versus $2.50/1M for the alternative.\n';
    const { claims } = extractAggregator({ body, format: 'text' });
    expect(valuesOf(claims, CODEX, 'input_price')).toEqual([1.75]);
    expect(valuesOf(claims, AUDIO, 'input_price')).toEqual([2.5]);
    expect(claimOf(claims, AUDIO, 'input_price').locator).toBe('line 2 sentence 1');
  });

  it('reads "ships a 128k-token context window" for the model named before it', () => {
    const body = 'A1 Model vs GPT-4o Audio\nGPT-4o Audio ships a 128k-token context window, while GPT-5.2 Codex ships a not-yet-sourced context window.\n';
    const { claims } = extractAggregator({ body, format: 'text' });
    expect(claims.filter((c) => c.field === 'context_window').map((c) => [c.model, c.value])).toEqual([[AUDIO, 128000]]);
  });
});

describe('aggregator: markdown and HTML', () => {
  it('reads markdown tables with decorated labels and snaps 262k to 262,144', () => {
    const { claims } = extractAggregator({ body: fixture('aggregator-pair.md'), format: 'markdown' });
    expect(valuesOf(claims, 'qwen/qwen3.5-4b', 'context_window')).toEqual([262144]);
    expect(valuesOf(claims, 'qwen/qwen3.5-4b', 'parameters')).toEqual([4e9]);
    expect(valuesOf(claims, 'qwen/qwen3.5-4b', 'license')).toEqual(['apache-2.0']);
    expect(valuesOf(claims, 'qwen/qwen3.5-4b', 'tool_use')).toEqual([false]);
    expect(valuesOf(claims, CODEX, 'tool_use')).toEqual([true]);
  });

  it('reads HTML tables and prose, and nothing from navigation or footer', () => {
    const { claims } = extractAggregator({ body: fixture('aggregator-pair.html'), format: 'html' });
    const HAIKU = 'anthropic/claude-haiku-3.5';
    expect(valuesOf(claims, HAIKU, 'input_price')).toEqual([0.8]);
    expect(valuesOf(claims, 'openai/gpt-4.1-mini', 'output_price')).toEqual([1.6]);
    expect(valuesOf(claims, HAIKU, 'context_window')).toEqual([200000]);
    expect(valuesOf(claims, HAIKU, 'reasoning')).toEqual([false]);
    expect(valuesOf(claims, HAIKU, 'vision')).toEqual([true]);
    expect(claims.some((c) => c.value === 999000 || c.value === 123)).toBe(false);
  });
});

describe('titleModels', () => {
  it('splits "A vs B" titles and ignores site suffixes', () => {
    expect(titleModels('GPT-4.1 Mini vs GPT-5.2-Codex')).toEqual(['GPT-4.1 Mini', 'GPT-5.2-Codex']);
    expect(titleModels('Claude Haiku 3.5 vs. GPT-4.1 Mini | Compare')).toEqual(['Claude Haiku 3.5', 'GPT-4.1 Mini']);
    expect(titleModels('Pricing')).toEqual([]);
  });
});

describe('aggregator: statements about both models', () => {
  const body = [
    'GPT-4.1 Mini vs GPT-5.2-Codex',
    '| Spec | GPT-4.1 Mini | GPT-5.2-Codex |',
    '|---|---|---|',
    '| Type | Proprietary | Reasoning model |',
    'Both are proprietary models limited to text and images with no audio or video support.',
    'Neither model supports audio or video modalities.',
    'Both share the same provider.',
  ].join('\n');
  const { claims } = extractAggregator({ body, format: 'text' });

  it('applies a "Both ..." statement to each model on the page', () => {
    for (const model of ['openai/gpt-4.1-mini', 'openai/gpt-5.2-codex']) {
      expect(valuesOf(claims, model, 'license')).toEqual(['proprietary']);
      expect(valuesOf(claims, model, 'vision')).toEqual([true]);
      expect(valuesOf(claims, model, 'audio_input')).toEqual([false]);
    }
  });

  it('reads a loose "Type" row only when the cell is a license', () => {
    expect(claimOf(claims, 'openai/gpt-4.1-mini', 'license').locator).toMatch(/^table/);
    expect(claims.some((c) => c.field === 'license' && c.value !== 'proprietary')).toBe(false);
  });
});
