import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportDataset, extract, LedgerError, reconcile, sync } from '../../src/index.ts';
import type { Claim } from '../../src/schema/claim.ts';

const claim = (over: Partial<Claim> = {}): Claim => ({
  model: 'openai/gpt-5.2',
  model_name: 'GPT-5.2',
  field: 'input_price',
  value: 1.75,
  unit: 'USD/1M tokens',
  condition: '',
  locator: 'table[0] row 1',
  quote: '$1.75',
  confidence: 0.9,
  source_id: 'a',
  snapshot_hash: 'x',
  observed_at: '2026-07-01T00:00:00.000Z',
  ...over,
});

describe('the library entry checks what plain JavaScript hands it', () => {
  it('refuses a claim of another shape, naming its unknown and missing keys', () => {
    const call = () => reconcile([{ source: 'a', entity: 'x', field: 'input_price', value: 1.75 }] as unknown as Claim[], { sources: [] });
    expect(call).toThrow(LedgerError);
    try {
      call();
    } catch (e) {
      const error = e as LedgerError;
      expect(error.kind).toBe('usage');
      expect(error.message).toMatch(/claims\.0: Unrecognized key\(s\) in object: 'source', 'entity'/);
      expect(error.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['claims.0.model', 'claims.0.source_id']));
    }
  });

  it('refuses a bad field name or value type, and reconciles good claims', () => {
    expect(() => reconcile([claim({ field: 'price' as never })], { sources: [] })).toThrow(/claims\.0\.field/);
    expect(() => reconcile([claim({ value: { amount: 1 } as never })], { sources: [] })).toThrow(/claims\.0\.value/);
    expect(() => reconcile([claim()], {} as never)).toThrow(/options\.sources/);
    const { facts } = reconcile([claim(), claim({ source_id: 'b', value: 3 })], { sources: [{ id: 'a', kind: 'first-party', trust: 0.95 }] });
    expect(facts[0]).toMatchObject({ model: 'openai/gpt-5.2', field: 'input_price' });
    expect(facts[0].status).not.toBe('agreed');
  });
});

describe('the library extract', () => {
  it('refuses a body that is not text and options it does not know, as a LedgerError naming them', () => {
    expect(() => extract(null as never)).toThrow(LedgerError);
    expect(() => extract(42 as never, { format: 'json' })).toThrow(/extract: invalid arguments: body: Expected string, received number/);
    expect(() => extract('x', { format: 'pdf' as never })).toThrow(/options\.format/);
    try {
      extract('| a |', { extracter: 'pricing' } as never);
    } catch (e) {
      expect((e as LedgerError).kind).toBe('usage');
      expect((e as LedgerError).message).toMatch(/Unrecognized key\(s\) in object: 'extracter'/);
    }
    expect.assertions(5);
  });

  it('extracts what it is given', () => {
    const { claims } = extract('| Model | Input price | Output price |\n|---|---|---|\n| GPT-5.2 | $1.75 | $14.00 |\n\nPrices per 1M tokens.\n', { format: 'markdown', extractor: 'pricing', provider: 'openai' });
    expect(claims.map((c) => [c.model, c.field, c.value])).toEqual(expect.arrayContaining([['openai/gpt-5.2', 'input_price', 1.75], ['openai/gpt-5.2', 'output_price', 14]]));
  });
});

describe('the library sync and exportDataset', () => {
  it('refuse options of the wrong type or a misspelt name before anything is read or written, as a LedgerError naming them', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ml-lib-args-')), 'l.sqlite');
    await expect(sync({ db, sources: 'litellm' as never, offline: true })).rejects.toThrow(/sync: invalid arguments: sources: Expected array, received string/);
    await expect(sync({ db, offline: true, extractWorkers: 'two' as never })).rejects.toThrow(/extractWorkers/);
    await expect(sync({ db, ofline: true } as never)).rejects.toMatchObject({ kind: 'usage', message: expect.stringMatching(/Unrecognized key\(s\) in object: 'ofline'/) });
    await expect(sync(null as never)).rejects.toBeInstanceOf(LedgerError);
    expect(() => exportDataset(42 as never, { db })).toThrow(/exportDataset: invalid arguments: dir: Expected string/);
    expect(() => exportDataset(join(db, '..', 'out'), { db, formats: ['xml' as never] })).toThrow(/options\.formats\.0/);
    expect(existsSync(db)).toBe(false);
  });
});
