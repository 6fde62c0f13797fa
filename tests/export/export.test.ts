import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { Ledger } from '../../src/store/ledger.ts';
import { exportDataset, EXPORT_FORMATS } from '../../src/export/write.ts';
import { toCsv, formatNumber, CSV_COLUMNS } from '../../src/export/formats.ts';
import { toLlmPrices } from '../../src/export/llm-prices.ts';
import { buildDataset } from '../../src/export/dataset.ts';
import { parseDelimited } from '../../src/reconcile/claims-file.ts';
import type { PublishedValue } from '../../src/schema/history.ts';

const value = (model: string, field: any, v: any, from: string, condition = ''): Omit<PublishedValue, 'valid_to'> & { model: string } => ({
  model,
  field,
  condition,
  value: v,
  unit: null,
  status: 'agreed',
  confidence: 0.9,
  sources: [{ source_id: 'openrouter', url: 'https://example.test/models', observed_at: from }],
  valid_from: from,
  change_id: null,
});

/** A small ledger with a price move on 2026-07-21, a long-context tier and a resale route. */
function seededLedger(): Ledger {
  const ledger = new Ledger(':memory:');
  const put = (v: ReturnType<typeof value>) => ledger.history.insertInterval({ model: v.model, field: v.field, condition: v.condition }, v);
  ledger.models.upsert({ id: 'openai/gpt-5.2-codex', name: 'GPT-5.2 Codex', provider: 'openai', family: 'gpt-5.2-codex', version: null }, '2026-07-17');
  ledger.models.addAlias('GPT-5.2-Codex', 'openai/gpt-5.2-codex', 'aggregator-compare');
  ledger.models.upsert({ id: 'google/gemini-2.5-pro', name: 'Gemini 2.5 Pro, "the big one"', provider: 'google', family: 'gemini-2.5-pro', version: null }, '2026-07-17');
  put(value('openai/gpt-5.2-codex', 'input_price', 3, '2026-07-17T00:00:00.000Z'));
  put(value('openai/gpt-5.2-codex', 'input_price', 1.75, '2026-07-21T00:00:00.000Z'));
  put(value('openai/gpt-5.2-codex', 'output_price', 14, '2026-07-17T00:00:00.000Z'));
  put(value('openai/gpt-5.2-codex', 'cached_input_price', 0.175, '2026-07-17T00:00:00.000Z'));
  put(value('openai/gpt-5.2-codex', 'context_window', 400000, '2026-07-17T00:00:00.000Z'));
  put(value('openai/gpt-5.2-codex', 'max_output_tokens', 128000, '2026-07-17T00:00:00.000Z'));
  put(value('openai/gpt-5.2-codex', 'vision', true, '2026-07-17T00:00:00.000Z'));
  put(value('openai/gpt-5.2-codex', 'input_price', 1.75, '2026-07-17T00:00:00.000Z', 'route:azure'));
  put(value('openai/gpt-5.2-codex', 'output_price', 14, '2026-07-17T00:00:00.000Z', 'route:azure'));
  put(value('google/gemini-2.5-pro', 'input_price', 1.25, '2026-07-17T00:00:00.000Z'));
  put(value('google/gemini-2.5-pro', 'output_price', 10, '2026-07-17T00:00:00.000Z'));
  put(value('google/gemini-2.5-pro', 'input_price', 2.5, '2026-07-17T00:00:00.000Z', 'context>200000'));
  put(value('google/gemini-2.5-pro', 'output_price', 15, '2026-07-17T00:00:00.000Z', 'context>200000'));
  put(value('google/gemini-2.5-pro', 'context_window', 1048576, '2026-07-17T00:00:00.000Z'));
  return ledger;
}

describe('export', () => {
  let ledger: Ledger;
  beforeAll(() => {
    ledger = seededLedger();
  });

  it('writes every format, each validated, and two exports of the same ledger are byte-identical', () => {
    const a = mkdtempSync(join(tmpdir(), 'ml-exp-a-'));
    const b = mkdtempSync(join(tmpdir(), 'ml-exp-b-'));
    const first = exportDataset(ledger, a, { formats: [...EXPORT_FORMATS] });
    exportDataset(ledger, b, { formats: [...EXPORT_FORMATS] });
    expect(first.files).toEqual(expect.arrayContaining(['dataset.json', 'history.json', 'dataset.ndjson', 'dataset.csv', 'model_prices_and_context_window.json', 'llm-prices/openai.json']));
    for (const file of first.files) expect(readFileSync(join(a, file), 'utf8'), file).toBe(readFileSync(join(b, file), 'utf8'));

    const ajv = new Ajv({ strict: false });
    for (const name of ['dataset', 'history']) {
      const validate = ajv.compile(JSON.parse(readFileSync(join(a, `${name}.schema.json`), 'utf8')));
      expect(validate(JSON.parse(readFileSync(join(a, `${name}.json`), 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
    }
    const ndjson = readFileSync(join(a, 'dataset.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(ndjson.map((m) => m.id)).toEqual(['google/gemini-2.5-pro', 'openai/gpt-5.2-codex']);
    expect(readdirSync(join(a, 'llm-prices')).sort()).toEqual(['google.json', 'openai.json']);
  });

  it('exports the dataset as it stood at a date', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-exp-at-'));
    exportDataset(ledger, dir, { at: '2026-07-18' });
    const dataset = JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8'));
    const codex = dataset.models.find((m: any) => m.id === 'openai/gpt-5.2-codex');
    expect(codex.values.find((v: any) => v.field === 'input_price' && v.condition === '').value).toBe(3);
    const history = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8'));
    const input = history.intervals.filter((h: any) => h.model === 'openai/gpt-5.2-codex' && h.field === 'input_price' && h.condition === '');
    expect(input).toEqual([expect.objectContaining({ value: 3, valid_to: null })]);

    exportDataset(ledger, dir, { at: '2026-07-22' });
    const later = JSON.parse(readFileSync(join(dir, 'dataset.json'), 'utf8'));
    expect(later.models.find((m: any) => m.id === 'openai/gpt-5.2-codex').values.find((v: any) => v.field === 'input_price' && v.condition === '').value).toBe(1.75);
  });

  it('writes a flat CSV with one row per model, quoting where needed', () => {
    const csv = toCsv(buildDataset(ledger.history.published(), ledger.models.list().map((m) => ({ ...m, aliases: ledger.models.aliasesOf(m.id) })), 'x'));
    const [header, gemini, codex] = csv.trim().split('\n');
    expect(header.split(',')).toEqual([...CSV_COLUMNS]);
    expect(gemini).toContain('"Gemini 2.5 Pro, ""the big one"""');
    expect(gemini).toContain('input_price[context>200000]=2.5; output_price[context>200000]=15');
    const cells = codex.split(',');
    expect(cells[CSV_COLUMNS.indexOf('input_price')]).toBe('1.75');
    expect(cells[CSV_COLUMNS.indexOf('context_window')]).toBe('400000');
    expect(cells[CSV_COLUMNS.indexOf('vision')]).toBe('true');
    expect(cells[CSV_COLUMNS.indexOf('aliases')]).toBe('GPT-5.2-Codex');
  });

  it('writes a name a spreadsheet would run as a formula as inert text', () => {
    const dataset = buildDataset([], [], 'x');
    dataset.models.push({ id: 'acme/x', name: '=HYPERLINK("http://evil.example","click")', provider: 'acme', family: '+x', version: null, aliases: ['@cf/acme/x'], values: [] });
    const row = toCsv(dataset).trim().split('\n')[1];
    // The formula-like name and family are inert; the Cloudflare id in the aliases is left as it is.
    expect(row.startsWith(`acme/x,"'=HYPERLINK(""http://evil.example"",""click"")",acme,'+x,,@cf/acme/x,`)).toBe(true);
  });

  it('formats numbers without float noise or exponents', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1.75e-7)).toBe('0.000000175');
    expect(formatNumber(1047576)).toBe('1047576');
  });

  it('writes llm-prices price_history periods, newest first, dated by the approved history, tiers as models of their own', () => {
    const dataset = buildDataset(ledger.history.published(), ledger.models.list().map((m) => ({ ...m, aliases: [] })), 'x');
    const history = { $schema: '', schema_version: '1.0.0' as const, intervals: ledger.history.list().map(({ model, field, condition, value, valid_from, valid_to, change_id }) => ({ model, field, condition, value, valid_from, valid_to, change_id })) };
    const files = toLlmPrices(dataset, history);
    const openai = files.find((v) => v.vendor === 'openai')!;
    // The first price's start is unknown (the ledger first saw it on 07-17); the move took effect on 07-21.
    expect(openai.models).toEqual([{
      id: 'gpt-5.2-codex',
      name: 'GPT-5.2 Codex',
      price_history: [
        { input: 1.75, output: 14, from_date: '2026-07-21', to_date: null, input_cached: 0.175 },
        { input: 3, output: 14, from_date: null, to_date: '2026-07-21', input_cached: 0.175 },
      ],
    }]);
    expect(Object.keys(openai.models[0].price_history[0])).toEqual(['input', 'output', 'from_date', 'to_date', 'input_cached']);
    const google = files.find((v) => v.vendor === 'google')!;
    expect(google.models.map((m) => [m.id, m.name, m.price_history.map((p) => [p.input, p.output])])).toEqual([
      ['gemini-2.5-pro', 'Gemini 2.5 Pro, "the big one" ≤200k', [[1.25, 10]]],
      ['gemini-2.5-pro-200k', 'Gemini 2.5 Pro, "the big one" >200k', [[2.5, 15]]],
    ]);
  });

  it('writes no llm-prices period while one of its two prices was not approved', () => {
    const interval = (field: 'input_price' | 'output_price', value: number, from: string, to: string | null = null) => ({ model: 'openai/gpt-9', field, condition: '', value, valid_from: `${from}T00:00:00.000Z`, valid_to: to && `${to}T00:00:00.000Z`, change_id: null });
    const intervals = [
      interval('output_price', 8, '2026-01-01'),
      interval('input_price', 2, '2026-03-01', '2026-05-01'),
      interval('input_price', 2, '2026-06-01'),
    ];
    const dataset = buildDataset(intervals.filter((h) => h.valid_to === null).map((h) => ({ ...h, unit: null, status: 'agreed' as const, confidence: 1, sources: [] })), [], 'x');
    const model = toLlmPrices(dataset, { $schema: '', schema_version: '1.0.0' as const, intervals }).find((v) => v.vendor === 'openai')!.models[0];
    expect(model.price_history.map((p) => [p.input, p.output, p.from_date, p.to_date])).toEqual([
      [2, 8, '2026-06-01', null],
      [2, 8, null, '2026-05-01'],
    ]);
  });

  it('publishes a dated price (from:DAY) that has started as the price in the formats without dates (LiteLLM, the CSV), and one to come as not yet', () => {
    const dated = seededLedger();
    const put = (v: ReturnType<typeof value>) => dated.history.insertInterval({ model: v.model, field: v.field, condition: v.condition }, v);
    put(value('google/gemini-2.5-pro', 'input_price', 2, '2026-07-18T00:00:00.000Z', 'from:2026-09-01'));
    put(value('google/gemini-2.5-pro', 'input_price', 3, '2026-07-18T00:00:00.000Z', 'from:2026-10-01'));
    put(value('google/gemini-2.5-pro', 'input_price', 5, '2026-07-18T00:00:00.000Z', 'context>200000;from:2026-09-01'));
    const inputs = (at: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'ml-exp-dated-'));
      exportDataset(dated, dir, { at, formats: ['csv', 'litellm', 'models-dev'] });
      const litellm = JSON.parse(readFileSync(join(dir, 'model_prices_and_context_window.json'), 'utf8'));
      const entry = Object.values(litellm).find((e: any) => e.litellm_provider === 'gemini') as Record<string, number>;
      const [header, ...rows] = parseDelimited(readFileSync(join(dir, 'dataset.csv'), 'utf8'));
      const csvInput = rows.find((r) => r[0] === 'google/gemini-2.5-pro')![header.indexOf('input_price')];
      return [entry.input_cost_per_token * 1e6, entry.input_cost_per_token_above_200k_tokens * 1e6, Number(csvInput)];
    };
    // Before either dated price starts the base stands; then each replaces it on its day, the later the earlier.
    expect(inputs('2026-08-31')).toEqual([1.25, 2.5, 1.25]);
    expect(inputs('2026-09-01')).toEqual([2, 5, 2]);
    expect(inputs('2026-10-15')).toEqual([3, 5, 3]);
  });

  it('starts a dated price (from:DAY) on its day in llm-prices, ending the period before it', () => {
    const dated = { model: 'openai/gpt-5.2-codex', field: 'input_price' as const, condition: 'from:2026-09-01', value: 1.5, valid_from: '2026-07-22T00:00:00.000Z', valid_to: null, change_id: 9 };
    const base = ledger.history.list().map(({ model, field, condition, value, valid_from, valid_to, change_id }) => ({ model, field, condition, value, valid_from, valid_to, change_id }));
    const history = { $schema: '', schema_version: '1.0.0' as const, intervals: [...base, dated] };
    const codex = toLlmPrices(buildDataset(ledger.history.published(), [], 'x'), history).find((v) => v.vendor === 'openai')!.models[0];
    expect(codex.price_history.map((p) => [p.input, p.from_date, p.to_date])).toEqual([
      [1.5, '2026-09-01', null],
      [1.75, '2026-07-21', '2026-09-01'],
      [3, null, '2026-07-21'],
    ]);
  });
});
