import { describe, expect, it } from 'vitest';
import { detectExtractor, detectFormat, extractDocument, extractors } from '../../src/extract/registry.ts';
import { fixture } from './helpers.ts';

describe('registry', () => {
  it('names the extractors sources can use', () => {
    expect(Object.keys(extractors)).toEqual(expect.arrayContaining(['aggregator', 'openrouter', 'litellm']));
  });

  it('detects formats from names and content', () => {
    expect(detectFormat('{}', 'x.json')).toBe('json');
    expect(detectFormat('[{"id": 1}]')).toBe('json');
    expect(detectFormat('<!doctype html><html></html>')).toBe('html');
    expect(detectFormat('---\ntitle: x\n---\n# Hi')).toBe('markdown');
    expect(detectFormat('A vs B\n| a | b |\n|---|---|', 'seed.txt')).toBe('text');
    expect(detectFormat('[not json')).toBe('text');
  });

  it('picks the extractor by content', () => {
    expect(detectExtractor(fixture('openrouter-models.json'), 'json')).toBe('openrouter');
    expect(detectExtractor(fixture('litellm-prices.json'), 'json')).toBe('litellm');
    expect(detectExtractor(fixture('aggregator-pair.txt'), 'text')).toBe('aggregator');
    expect(detectExtractor(fixture('aggregator-pair.html'), 'html')).toBe('aggregator');
  });

  it('extracts a file end to end without being told what it is', () => {
    const r = extractDocument(fixture('aggregator-pair.txt'), { filename: 'aggregator-pair.txt' });
    expect(r.claims.some((c) => c.model === 'openai/gpt-5.2-codex' && c.field === 'input_price' && c.value === 1.75)).toBe(true);
  });

  it('reports "no figures found" for a docs home page, inventing nothing', () => {
    const r = extractDocument(fixture('docs-home-no-prices.md'), {
      filename: 'docs-home-no-prices.md',
      source: { id: 'anthropic-pricing', kind: 'first-party', expect: { min_models: 1, fields: ['input_price'] } },
    });
    expect(r.claims).toEqual([]);
    expect(r.drift.join('\n')).toMatch(/no figures found/);
  });

  it('honours the source expectations', () => {
    const r = extractDocument(fixture('aggregator-pair.txt'), {
      extractor: 'aggregator',
      source: { id: 'seed', kind: 'aggregator', expect: { min_models: 3, fields: ['cache_write_price'] } },
    });
    expect(r.drift).toEqual([
      'found figures for 2 model(s), expected at least 3',
      'no model has a base cache_write_price: expected at least one',
    ]);
  });

  it('turns an unknown extractor into drift, not an exception', () => {
    expect(extractDocument('x', { extractor: 'nope' }).drift[0]).toMatch(/unknown extractor "nope"/);
  });
});
