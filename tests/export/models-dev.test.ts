import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/store/ledger.ts';
import { exportDataset } from '../../src/export/write.ts';
import { toModelsDev } from '../../src/export/models-dev.ts';
import { approveChanges } from '../../src/review/decide.ts';
import { runPipeline } from '../../src/pipeline/sync.ts';
import { sha256Hex } from '../../src/pipeline/manifest.ts';
import { SourceSchema } from '../../src/schema/source.ts';
import type { PublishedValue } from '../../src/schema/history.ts';

const BODY = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'export', 'models-dev-api.json'), 'utf8');
const AT = '2026-07-02T00:00:00.000Z';
const SOURCE = SourceSchema.parse({ id: 'models-dev', name: 'models.dev', kind: 'api', url: 'https://models.example/api.json', format: 'json', extractor: 'models-dev', trust: 0.75 });

function approved(ledger: Ledger, model: string, field: PublishedValue['field'], value: number | boolean | string, condition = ''): void {
  ledger.history.insertInterval({ model, field, condition }, {
    value, unit: null, status: 'agreed', confidence: 0.9, sources: [{ source_id: 'openrouter', url: 'https://example.test', observed_at: AT }], valid_from: AT, change_id: null,
  });
}

describe('models.dev export', () => {
  let api: Record<string, any>;
  let unknown: Record<string, number> | undefined;

  beforeAll(async () => {
    const ledger = new Ledger(':memory:');
    const snapshot = { source_id: SOURCE.id, sha256: sha256Hex(BODY), observed_at: AT, url: SOURCE.url, format: SOURCE.format, content_type: null, body: BODY };
    await runPipeline(ledger, { sources: [SOURCE], now: () => AT }, [SOURCE], async () => ({ status: 'snapshot', origin: 'ingest', snapshot }));
    approveChanges(ledger, ledger.changes.list({ status: 'pending' }).map((c) => c.id), { reviewer: 'test', at: AT }, [SOURCE]);
    // Models models.dev lacks: one of a vendor it has a folder for, one of a vendor it has none for.
    approved(ledger, 'openai/gpt-5.3', 'input_price', 2);
    approved(ledger, 'openai/gpt-5.3', 'context_window', 400000);
    approved(ledger, 'openai/gpt-5.3', 'vision', false);
    approved(ledger, 'openai/gpt-5.3', 'release_date', '2026-02-01');
    approved(ledger, 'nousresearch/hermes-4', 'input_price', 0.2);
    approved(ledger, 'openai/gpt-5.3', 'input_price', 2.2, 'route:openrouter');
    approved(ledger, 'openai/gpt-5.3-audio', 'input_price', 2.5);
    approved(ledger, 'openai/gpt-5.3-audio', 'audio_input_price', 32);
    approved(ledger, 'openai/gpt-5.3-audio', 'audio_output_price', 64);
    approved(ledger, 'openai/gpt-5.3-audio', 'audio_input', true);
    approved(ledger, 'openai/gpt-5.3-audio', 'pdf_input', true);
    const dir = mkdtempSync(join(tmpdir(), 'ml-models-dev-'));
    unknown = exportDataset(ledger, dir, { formats: ['models-dev'] }).models_dev_unknown_providers;
    api = JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8'));
  });

  it("keeps models.dev's provider fields, folders, model ids and names", () => {
    expect(Object.keys(api)).toEqual(['anthropic', 'openai', 'openrouter']);
    const { models, ...openrouter } = api.openrouter;
    expect(openrouter).toEqual({ id: 'openrouter', name: 'OpenRouter', env: ['OPENROUTER_API_KEY'], npm: '@openrouter/ai-sdk-provider', api: 'https://openrouter.example/api/v1', doc: 'https://openrouter.example/models' });
    expect(Object.keys(models)).toEqual(['openai/gpt-5.2', 'openai/gpt-5.3']);
    expect(api.anthropic.models['claude-sonnet-4-5'].name).toBe('Claude Sonnet 4.5 (latest)');
    // A listed entry that is not a text model is not the ledger's to write.
    expect(api.openai.models['gpt-image-1']).toBeUndefined();
  });

  it('writes cost per 1M tokens with tiers, limits with the input limit apart, modalities and flags', () => {
    expect(api.anthropic.models['claude-sonnet-4-5'].cost).toEqual({
      input: 3, output: 15, cache_read: 0.3, cache_write: 3.75,
      tiers: [{ tier: { type: 'context', size: 200000 }, input: 6, output: 22.5 }], context_over_200k: { input: 6, output: 22.5 },
    });
    expect(api.openai.models['gpt-5.2']).toMatchObject({
      id: 'gpt-5.2', limit: { context: 400000, input: 272000, output: 128000 }, modalities: { input: ['text', 'image'], output: ['text'] },
      attachment: true, reasoning: true, tool_call: true, structured_output: true, open_weights: false, release_date: '2025-12-11',
    });
    // models.dev's OpenRouter entry of the model, read without its model-level fields, is written with the model's.
    expect(api.openrouter.models['openai/gpt-5.2']).toMatchObject({ open_weights: false, release_date: '2025-12-11' });
  });

  it('files models models.dev lacks under the folder of their vendor or route, and counts the rest', () => {
    expect(api.openai.models['gpt-5.3']).toEqual({ id: 'gpt-5.3', name: 'openai/gpt-5.3', cost: { input: 2 }, limit: { context: 400000 }, attachment: false, release_date: '2026-02-01', modalities: { input: ['text'], output: ['text'] } });
    // A route's entry takes what describes the model (its release date), not what the route may not serve (image input).
    expect(api.openrouter.models['openai/gpt-5.3']).toEqual({ id: 'openai/gpt-5.3', name: 'openai/gpt-5.3', cost: { input: 2.2 }, release_date: '2026-02-01', modalities: { input: ['text'], output: ['text'] } });
    // A flag the ledger does not hold is left out, never written false.
    expect(api.openai.models['gpt-5.3'].reasoning).toBeUndefined();
    expect(unknown).toEqual({ nousresearch: 1 });
  });

  it('writes audio token costs as cost.input_audio / output_audio and PDF input as a modality', () => {
    expect(api.openai.models['gpt-5.3-audio']).toMatchObject({ cost: { input: 2.5, input_audio: 32, output_audio: 64 }, modalities: { input: ['text', 'audio', 'pdf'], output: ['text'] } });
    expect(api.openai.models['gpt-5.3'].cost.input_audio).toBeUndefined();
  });
});

describe('models.dev export of regional routes', () => {
  it('files no price of a regional sub-route under the plain id of its folder: models.dev gives such routes ids of their own', () => {
    const value = (condition: string, v: number) => ({ field: 'input_price' as const, condition, value: v, unit: 'USD/1M tokens', status: 'agreed' as const, confidence: 1, valid_from: AT, sources: [] });
    const dataset = {
      $schema: './dataset.schema.json', schema_version: '1.0.0' as const, as_of: AT,
      models: [{ id: 'amazon/nova-lite', name: 'Nova Lite', provider: 'amazon', family: 'nova-lite', version: null, aliases: [], values: [value('route:amazon-bedrock/eu', 0.078), value('route:amazon-bedrock/us', 0.06)] }],
    };
    // The folder holds regional entries of another model: both regions map to it, and the EU price (first in order) was written as nova-lite's.
    const reference = {
      providers: { 'amazon-bedrock': { id: 'amazon-bedrock', name: 'Amazon Bedrock' } },
      entries: ['eu', 'us'].map((region) => ({ folder: 'amazon-bedrock', id: `${region}.anthropic.claude-x-v1:0`, name: 'Claude X', model: 'anthropic/claude-x', route: `amazon-bedrock/${region}` })),
    };
    const out = toModelsDev(dataset, reference);
    expect(out.api['amazon-bedrock']).toBeUndefined();
    expect(out.unknownProviders).toEqual({ 'route:amazon-bedrock/eu': 1, 'route:amazon-bedrock/us': 1 });
  });
});
