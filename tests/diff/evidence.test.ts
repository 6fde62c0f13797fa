import { describe, expect, it } from 'vitest';
import { diffRegions, prepareDocument, regionAt } from '../../src/diff/evidence.ts';

const openRouterOld = JSON.stringify([
  { id: 'acme/alpha', context_length: 128000, pricing: { prompt: '0.000001', completion: '0.000004' } },
  { id: 'acme/beta', context_length: 64000, pricing: { prompt: '0.0000005', completion: '0.000002' } },
]);
const openRouterNew = JSON.stringify([
  { id: 'acme/gamma', context_length: 32000, pricing: { prompt: '0.0000001', completion: '0.0000002' } },
  { id: 'acme/alpha', context_length: 128000, pricing: { prompt: '0.0000008', completion: '0.000004' } },
  { id: 'acme/beta', context_length: 64000, pricing: { prompt: '0.0000005', completion: '0.000002' } },
]);

const pricingPage = [
  '# Pricing',
  '',
  '| Model | Input | Output |',
  '| --- | --- | --- |',
  '| Alpha | $1.00 | $4.00 |',
  '| Beta | $0.50 | $2.00 |',
  '',
  'Alpha ships with a 128K context window.',
].join('\n');

describe('regionAt', () => {
  it('shows the whole model entry a JSON pointer lies in, not the whole response', () => {
    const region = regionAt(prepareDocument(openRouterNew), '/1/pricing/prompt');
    expect(region?.label).toContain('/1');
    expect(JSON.parse(region!.text)).toEqual(JSON.parse(openRouterNew)[1]);
    expect(region!.text).not.toContain('acme/gamma');
  });

  it('finds entries under a data array and members of a top-level object, escaped keys included', () => {
    const wrapped = prepareDocument(JSON.stringify({ data: JSON.parse(openRouterOld) }));
    expect(regionAt(wrapped, '/data/1/context_length')?.text).toContain('"acme/beta"');
    const litellm = prepareDocument(JSON.stringify({ 'gpt-x': { input_cost_per_token: 1e-6 }, 'azure/gpt-x': { input_cost_per_token: 2e-6 } }));
    const region = regionAt(litellm, '/azure~1gpt-x/input_cost_per_token');
    expect(region?.text.startsWith('"azure/gpt-x": {')).toBe(true);
    expect(region?.text).toContain('0.000002');
    expect(region?.text).not.toContain('0.000001');
  });

  it('narrows a catalogue-sized entry to the record on the pointer\'s path, and keeps a small one whole', () => {
    // models.dev's shape: providers at the top, each with every one of its models.
    const model = (i: number) => ({ id: `m-${i}`, name: `Model ${i}`, cost: { input: i / 10, output: i / 5 }, limit: { context: 128000, output: 16384 } });
    const catalogue = (count: number) => ({ id: 'acme', name: 'Acme', models: Object.fromEntries(Array.from({ length: count }, (_, i) => [`m-${i}`, model(i)])) });
    const large = regionAt(prepareDocument(JSON.stringify({ acme: catalogue(300), other: catalogue(2) })), '/acme/models/m-7/cost/input');
    expect(large?.label).toBe('JSON /acme/models/m-7 (re-indented)');
    expect(JSON.parse(large!.text)).toEqual(model(7));
    const small = regionAt(prepareDocument(JSON.stringify({ acme: catalogue(3) })), '/acme/models/m-1/cost/input');
    expect(small?.label).toBe('JSON /acme (re-indented)');
    expect(small?.text).toContain('"m-2"');
    // genai-prices' shape: a list of providers, each with a list of models; a list of records is never the region.
    const listed = prepareDocument(JSON.stringify([{ id: 'acme', regions: Array.from({ length: 150 }, (_, i) => `r-${i}`), models: Array.from({ length: 5 }, (_, i) => model(i)) }]));
    expect(regionAt(listed, '/0/models/3/cost/output')?.label).toBe('JSON /0/models/3 (re-indented)');
    const grouped = prepareDocument(JSON.stringify({ acme: [model(0), model(1)] }));
    expect(JSON.parse(regionAt(grouped, '/acme/1/cost/input')!.text)).toEqual(model(1));
  });

  it('returns null when the pointer leads nowhere or the body is not JSON', () => {
    expect(regionAt(prepareDocument(openRouterOld), '/7/pricing/prompt')).toBeNull();
    expect(regionAt(prepareDocument('not json'), '/0/pricing')).toBeNull();
  });

  it('shows a table cell as the header line and its row', () => {
    const region = regionAt(prepareDocument(pricingPage), 'table[0] line 3 row[2] col[2] (Beta / Input)', '$0.50');
    expect(region?.text).toBe('| Model | Input | Output |\n| Beta | $0.50 | $2.00 |');
  });

  it('reads "line N" locators and falls back to the quote', () => {
    const doc = prepareDocument(pricingPage);
    expect(regionAt(doc, 'sentence line 8', '128K')?.text).toBe('Alpha ships with a 128K context window.');
    expect(regionAt(doc, 'p[4]', '128K context')?.text).toBe('Alpha ships with a 128K context window.');
    expect(regionAt(doc, 'p[4]', 'no such words')).toBeNull();
  });
});

describe('diffRegions', () => {
  it('diffs the same model across snapshots even when it moved in the array, marking the changed words', () => {
    const before = regionAt(prepareDocument(openRouterOld), '/0/pricing/prompt');
    const after = regionAt(prepareDocument(openRouterNew), '/1/pricing/prompt');
    const diff = diffRegions(before, after, { old: 'openrouter@2026-07-17', new: 'openrouter@2026-07-21' });
    const changed = diff.hunks.flatMap((h) => h.lines).filter((l) => l.kind !== 'context');
    expect(changed.map((l) => [l.kind, l.text.trim()])).toEqual([
      ['removed', '"prompt": "0.000001",'],
      ['added', '"prompt": "0.0000008",'],
    ]);
    expect(changed[1].parts.map((p) => p.text).join('')).toBe(changed[1].text);
    expect(changed[1].parts.filter((p) => p.changed).map((p) => p.text).join('')).toMatch(/^0+8$/);
    expect(changed[1].parts.filter((p) => !p.changed).map((p) => p.text).join('')).toContain('"prompt"');
    expect(diff.unified).toContain('--- openrouter@2026-07-17');
    expect(diff.unified).toContain('+    "prompt": "0.0000008",');
  });

  it('shows a region that appeared as all added lines', () => {
    const after = regionAt(prepareDocument(openRouterNew), '/0/pricing/prompt');
    const diff = diffRegions(null, after, { old: 'a', new: 'b' });
    const lines = diff.hunks.flatMap((h) => h.lines);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((l) => l.kind === 'added')).toBe(true);
  });

  it('has no hunks when the regions are equal', () => {
    const region = regionAt(prepareDocument(openRouterNew), '/2/pricing/prompt');
    expect(diffRegions(region, region, { old: 'a', new: 'b' }).hunks).toEqual([]);
  });
});
