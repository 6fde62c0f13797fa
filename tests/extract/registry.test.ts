import { describe, expect, it } from 'vitest';
import { detectExtractor, detectFormat, extractDocument, extractors, extractSnapshot } from '../../src/extract/registry.ts';
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

describe('a source declared for one provider', () => {
  const body = fixture('first-party-foreign-names.md');
  const job = (kind: 'first-party' | 'model-card' | 'aggregator' | 'api', provider?: string) =>
    extractSnapshot({ body, format: 'markdown', source: { id: 'vendor-page', kind, provider, extractor: 'pricing', expect: { min_models: 1, fields: [] } } });
  const models = (r: ReturnType<typeof job>) => [...new Set(r.claims.map((c) => c.model))];

  it('names only its own models on a first-party page or model card, and says why it left the others out', () => {
    for (const kind of ['first-party', 'model-card'] as const) {
      const r = job(kind, 'openai');
      expect(models(r)).toEqual(['openai/gpt-5.2']);
      expect(r.claims.map((c) => [c.field, c.value])).toEqual([['input_price', 1.75], ['output_price', 14]]);
      expect(r.notes).toEqual([
        `not claimed: names a model of evilcorp, and this ${kind} source speaks only for openai ("evilcorp/gpt-9")`,
        `not claimed: names a model of anthropic, and this ${kind} source speaks only for openai ("Claude Opus 9")`,
      ]);
      expect(r.drift).toEqual([]);
    }
  });

  it('lets aggregators and APIs, and a page with no declared provider, name every vendor', () => {
    for (const r of [job('aggregator', 'openai'), job('api', 'openai'), job('first-party')]) {
      expect(models(r)).toEqual(['openai/gpt-5.2', 'openai/gpt-9', 'anthropic/claude-opus-9']);
    }
  });

  it('is drift when every model the page names belongs to another provider', () => {
    const r = job('first-party', 'evilcorp');
    expect(r.claims.filter((c) => c.model === 'openai/gpt-9')).toEqual([]);
    expect(models(r)).toEqual([]);
    expect(r.drift).toEqual(['no figures of evilcorp found: every model the page names belongs to another provider']);
  });
});
