import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/store/ledger.ts';
import { exportDataset } from '../../src/export/write.ts';
import { LITELLM_PROVIDERS } from '../../src/export/litellm.ts';
import { approveChanges } from '../../src/review/decide.ts';
import type { PublishedValue } from '../../src/schema/history.ts';
import { ingest, SOURCES } from '../review/helpers.ts';
import { extractLiteLLM } from '../../src/extract/litellm.ts';

const CONVENTIONS = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'export', 'litellm-conventions.json'), 'utf8');
const AT = '2026-07-20T00:00:00.000Z';

// Property names LiteLLM's own file uses for what the ledger knows (from its 2026-03 file).
const LITELLM_PROPERTIES = new Set([
  'litellm_provider', 'mode', 'max_input_tokens', 'max_output_tokens', 'max_tokens', 'input_cost_per_token', 'output_cost_per_token',
  'cache_read_input_token_cost', 'cache_creation_input_token_cost', 'cache_creation_input_token_cost_above_1hr',
  'input_cost_per_token_above_200k_tokens', 'output_cost_per_token_above_200k_tokens', 'cache_read_input_token_cost_above_200k_tokens',
  'input_cost_per_token_priority', 'output_cost_per_token_priority', 'input_cost_per_token_flex', 'output_cost_per_token_flex',
  'input_cost_per_token_batches', 'output_cost_per_token_batches', 'supports_function_calling', 'supports_vision', 'supports_reasoning',
  'supports_response_schema', 'supports_audio_input', 'supports_audio_output', 'supports_prompt_caching', 'supports_code_execution',
  'supports_tool_choice', 'supports_pdf_input', 'input_cost_per_audio_token', 'output_cost_per_audio_token', 'deprecation_date',
]);

/** A figure approved outside LiteLLM (another source said it), straight into the history. */
function approved(ledger: Ledger, model: string, field: PublishedValue['field'], value: number | boolean | string, condition = ''): void {
  ledger.history.insertInterval({ model, field, condition }, {
    value, unit: null, status: 'agreed', confidence: 0.9,
    sources: [{ source_id: 'openrouter', url: 'https://example.test', observed_at: AT }], valid_from: AT, change_id: null,
  });
}

describe('LiteLLM export, drop-in', () => {
  let out: Record<string, Record<string, unknown>>;
  let unknown: Record<string, number> | undefined;
  let written: string;

  beforeAll(async () => {
    const ledger = new Ledger(':memory:');
    await ingest(ledger, 'litellm', CONVENTIONS, AT);
    approveChanges(ledger, ledger.changes.list({ status: 'pending' }).map((c) => c.id), { reviewer: 'test', at: AT }, SOURCES);
    // Figures of models LiteLLM lacks, and a context window LiteLLM's input limit must not yield to.
    approved(ledger, 'openai/gpt-5.2', 'context_window', 400000);
    approved(ledger, 'google/gemini-3-ultra', 'input_price', 4);
    approved(ledger, 'google/gemini-3-ultra', 'context_window', 1048576);
    approved(ledger, 'google/gemini-3-ultra-image', 'input_price', 2);
    approved(ledger, 'qwen/qwen3.5-9b', 'input_price', 0.1);
    approved(ledger, 'qwen/qwen3.5-9b', 'output_price', 0.4);
    approved(ledger, 'nousresearch/hermes-4', 'input_price', 0.2);
    approved(ledger, 'openai/gpt-5.2', 'input_price', 2, 'route:top_provider');
    approved(ledger, 'anthropic/claude-sonnet-4-5', 'input_price', 3.3, 'route:amazon-bedrock');
    // A month is not a date LiteLLM reads; a day is.
    approved(ledger, 'google/gemini-3-ultra', 'deprecation_date', '2027-01');
    approved(ledger, 'qwen/qwen3.5-9b', 'deprecation_date', '2027-03-31');
    approved(ledger, 'qwen/qwen3.5-9b', 'audio_input_price', 0.5);
    approved(ledger, 'qwen/qwen3.5-9b', 'pdf_input', true);
    // A condition outside the grammar (a pin made before pins were checked against it) is no route.
    approved(ledger, 'openai/gpt-5.2', 'input_price', 3, 'route:');
    const dir = mkdtempSync(join(tmpdir(), 'ml-litellm-'));
    unknown = exportDataset(ledger, dir, { formats: ['litellm'] }).litellm_unknown_providers;
    written = readFileSync(join(dir, 'model_prices_and_context_window.json'), 'utf8');
    out = JSON.parse(written);
  });

  it('keeps every key, provider and mode LiteLLM itself uses for the models it lists', () => {
    const reference = JSON.parse(CONVENTIONS);
    const own = Object.keys(reference).filter((k) => k !== 'sample_spec');
    for (const key of own.filter((k) => reference[k].mode !== 'image_generation')) expect(Object.keys(out), key).toContain(key);
    // A key LiteLLM uses for something else (an image model) is never taken by another entry.
    expect(out['gemini/gemini-3-ultra-image']).toBeUndefined();
    for (const key of Object.keys(out).filter((k) => reference[k])) expect([out[key].litellm_provider, out[key].mode], key).toEqual([reference[key].litellm_provider, reference[key].mode]);
    expect(out['gpt-5.2-codex'].mode).toBe('responses');
    expect(out['vertex_ai/claude-sonnet-4-5'].litellm_provider).toBe('vertex_ai-anthropic_models');
  });

  it('names models LiteLLM lacks as LiteLLM would, and leaves out providers it does not know', () => {
    expect(out['gemini/gemini-3-ultra']).toMatchObject({ litellm_provider: 'gemini', input_cost_per_token: 0.000004 });
    expect(out['dashscope/qwen3.5-9b']).toMatchObject({ litellm_provider: 'dashscope', output_cost_per_token: 4e-7 });
    expect(Object.keys(out).filter((k) => k.includes('claude-sonnet-4.5'))).toEqual(['openrouter/anthropic/claude-sonnet-4.5']);
    // LiteLLM keys Bedrock's models by Bedrock's own ids (anthropic.claude-…-v1:0), which the ledger's do not
    // give: a made-up bedrock/claude-sonnet-4-5 is a key LiteLLM never looks up. The route is left out, counted.
    expect(Object.keys(out).filter((k) => k.startsWith('bedrock/') || k.startsWith('anthropic.'))).toEqual([]);
    expect(Object.keys(out).some((k) => k.includes('hermes-4') || k.includes('qwen3.5-9b') && !k.startsWith('dashscope/'))).toBe(false);
    expect(unknown).toEqual({ nousresearch: 1, 'route:amazon-bedrock': 1, 'route:top_provider': 1 });
    for (const [key, entry] of Object.entries(out)) expect(LITELLM_PROVIDERS.has(entry.litellm_provider as string), key).toBe(true);
  });

  it('writes only property names LiteLLM uses, costs per token, and max_input_tokens only from an input limit', () => {
    for (const [key, entry] of Object.entries(out)) {
      for (const prop of Object.keys(entry)) expect(LITELLM_PROPERTIES.has(prop), `${key}.${prop}`).toBe(true);
      for (const [prop, v] of Object.entries(entry)) if (prop.includes('cost')) expect(v as number, `${key}.${prop}`).toBeLessThan(0.001);
    }
    expect(out['gpt-5.2']).toMatchObject({
      max_input_tokens: 272000, input_cost_per_token: 0.00000175, input_cost_per_token_priority: 0.0000035, output_cost_per_token_batches: 0.000007,
      cache_read_input_token_cost: 1.75e-7, supports_prompt_caching: true,
    });
    expect(out['claude-sonnet-4-5']).toMatchObject({ cache_creation_input_token_cost_above_1hr: 0.000006, input_cost_per_token_above_200k_tokens: 0.000006 });
    expect(out['gemini/gemini-3-ultra'].max_input_tokens).toBeUndefined();
    expect(out['dashscope/qwen3.5-9b'].supports_prompt_caching).toBeUndefined();
  });

  it('writes tool choice, PDF input, audio token costs per token and deprecation days only where a fact was approved', () => {
    expect(out['gpt-4o-audio-preview']).toMatchObject({ input_cost_per_audio_token: 0.00004, output_cost_per_audio_token: 0.00008, supports_tool_choice: true });
    expect(out['azure/gpt-4o-audio-preview']).toMatchObject({ input_cost_per_audio_token: 0.00004, supports_tool_choice: false, deprecation_date: '2026-02-27' });
    expect(out['claude-sonnet-4-5']).toMatchObject({ supports_tool_choice: true, supports_pdf_input: true });
    expect(out['dashscope/qwen3.5-9b']).toMatchObject({ input_cost_per_audio_token: 5e-7, supports_pdf_input: true, deprecation_date: '2027-03-31' });
    expect(out['gemini/gemini-3-ultra'].deprecation_date).toBeUndefined();
    for (const key of ['gpt-4o-audio-preview', 'gpt-5.2', 'gemini/gemini-2.5-pro']) {
      expect(out[key].deprecation_date, key).toBeUndefined();
      expect(out[key].supports_pdf_input, key).toBeUndefined();
    }
    expect(out['gpt-5.2'].input_cost_per_audio_token).toBeUndefined();
  });

  it("reads back through LiteLLM's own conventions as the same figures LiteLLM's entries gave", () => {
    const figures = (body: string, keys: Set<string>) =>
      extractLiteLLM({ body, format: 'json' })
        .claims.filter((c) => keys.has(decodeURIComponent(c.locator!.split('/')[1].replace(/~1/g, '/'))))
        .map((c) => `${c.model} ${c.field} ${c.condition} ${c.value}`)
        .sort();
    const own = new Set(Object.keys(JSON.parse(CONVENTIONS)));
    const before = figures(CONVENTIONS, own);
    expect(before.length).toBeGreaterThan(40);
    expect(figures(written, own)).toEqual(before);
  });
});
