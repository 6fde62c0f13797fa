import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/store/ledger.ts';
import { exportDataset } from '../../src/export/write.ts';
import type { PublishedValue } from '../../src/schema/history.ts';

const day = (d: string) => `2026-07-${d}T00:00:00.000Z`;

/** A ledger with three approved price moves on three days, a spec change that is no price move, and a price that never moved. */
function movingLedger(): Ledger {
  const ledger = new Ledger(':memory:');
  const put = (model: string, field: PublishedValue['field'], value: number, from: string, condition = '') =>
    ledger.history.insertInterval({ model, field, condition }, {
      value, unit: null, status: 'agreed', confidence: 0.9, sources: [{ source_id: 's', url: 'https://example.test', observed_at: from }], valid_from: from, change_id: null,
    });
  ledger.models.upsert({ id: 'openai/gpt-5.2', name: 'GPT-5.2 <"fast"> & cheap', provider: 'openai', family: 'gpt-5.2', version: null }, day('10'));
  put('openai/gpt-5.2', 'input_price', 3, day('10'));
  put('openai/gpt-5.2', 'input_price', 1.75, day('21'));
  put('openai/gpt-5.2', 'output_price', 14, day('10'));
  put('openai/gpt-5.2', 'context_window', 256000, day('10'));
  put('openai/gpt-5.2', 'context_window', 400000, day('22'));
  put('openai/gpt-5.2', 'input_price', 2, day('10'), 'route:azure');
  put('openai/gpt-5.2', 'input_price', 2.2, day('15'), 'route:azure');
  put('anthropic/claude-sonnet-4.5', 'output_price', 15, day('10'));
  put('anthropic/claude-sonnet-4.5', 'output_price', 12, day('25'));
  put('google/gemini-2.5-pro', 'input_price', 1.25, day('10'));
  return ledger;
}

describe('static API and Atom feed', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ml-api-'));
    exportDataset(movingLedger(), dir, { formats: ['api'] });
  });
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');

  it('writes the model index, one file per model and one history per model', () => {
    const index = JSON.parse(read('api/models.json'));
    expect(index.models.map((m: any) => [m.id, m.url, m.history_url])).toEqual([
      ['anthropic/claude-sonnet-4.5', 'api/models/anthropic/claude-sonnet-4.5.json', 'api/history/anthropic/claude-sonnet-4.5.json'],
      ['google/gemini-2.5-pro', 'api/models/google/gemini-2.5-pro.json', 'api/history/google/gemini-2.5-pro.json'],
      ['openai/gpt-5.2', 'api/models/openai/gpt-5.2.json', 'api/history/openai/gpt-5.2.json'],
    ]);
    for (const m of index.models) expect(JSON.parse(read(m.url)).id).toBe(m.id);
    const gpt = JSON.parse(read('api/models/openai/gpt-5.2.json'));
    expect(gpt.values.find((v: any) => v.field === 'input_price' && v.condition === '').value).toBe(1.75);
    const history = JSON.parse(read('api/history/openai/gpt-5.2.json'));
    expect(history.intervals.filter((h: any) => h.field === 'input_price' && h.condition === '').map((h: any) => [h.value, h.valid_to])).toEqual([[3, day('21')], [1.75, null]]);
    expect(readdirSync(join(dir, 'api', 'history')).sort()).toEqual(['anthropic', 'google', 'openai']);
  });

  it('writes a valid Atom feed with one entry per approved price change, newest first', () => {
    const $ = cheerio.load(read('feed.atom'), { xml: true });
    const feed = $('feed');
    expect(feed.attr('xmlns')).toBe('http://www.w3.org/2005/Atom');
    expect(feed.children('id').text()).toBe('urn:model-ledger:feed:price-changes');
    expect(feed.children('title').text()).not.toBe('');
    expect(feed.children('author').children('name').text()).not.toBe('');
    expect(feed.children('updated').text()).toBe('2026-07-25T00:00:00.000Z');
    const entries = feed.children('entry').toArray().map((e) => ({
      id: $(e).children('id').text(),
      title: $(e).children('title').text(),
      updated: $(e).children('updated').text(),
      content: $(e).children('content').text(),
    }));
    // Three price moves; the context window move and the price that never moved are not in it.
    expect(entries.map((e) => e.updated)).toEqual([day('25'), day('21'), day('15')]);
    expect(entries[0].title).toContain('$15 → $12 / 1M tokens');
    expect(entries[1].title).toBe('GPT-5.2 <"fast"> & cheap (openai/gpt-5.2) input price: $3 → $1.75 / 1M tokens');
    expect(entries[1].content).toContain('-41.7%');
    expect(entries[2].title).toContain('[route:azure]');
    for (const e of entries) {
      expect(e.id).toMatch(/^urn:model-ledger:price-change:/);
      expect(new Date(e.updated).toISOString()).toBe(e.updated);
    }
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });
});
