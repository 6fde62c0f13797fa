import { describe, expect, it } from 'vitest';
import { dedupeClaims, driftReport, joinConditions, makeClaim } from '../../src/extract/claims.ts';
import { escapePointer, PerMillionPrices } from '../../src/extract/json.ts';
import { perTokenToPerMillion } from '../../src/normalize/units.ts';
import type { ClaimValue } from '../../src/schema/claim.ts';
import type { FieldName } from '../../src/schema/fields.ts';

const claim = (field: FieldName, value: ClaimValue, locator: string, opts: { model?: string; condition?: string; confidence?: number } = {}) =>
  makeClaim({
    name: opts.model ?? 'gpt-5',
    model: opts.model ?? 'openai/gpt-5',
    field,
    value,
    condition: opts.condition,
    locator,
    quote: String(value),
    confidence: opts.confidence ?? 0.9,
  });

describe('makeClaim', () => {
  it("states a float's figure to 10 significant digits and keeps the source's text as its quote", () => {
    // models.dev prints prices such as 0.09999999999999999 and genai-prices 0.18000000000000002.
    expect(claim('output_price', 0.09999999999999999, '/cost/output')).toMatchObject({ value: 0.1, quote: '0.09999999999999999' });
    expect(claim('input_price', 0.18000000000000002, '/prices/input_mtok').value).toBe(0.18);
    expect(claim('cache_write_price', 1 / 12, '/prices/cache_write_mtok').value).toBe(0.08333333333);
    expect(claim('context_window', 1_047_576, '/limit/context').value).toBe(1_047_576);
  });

  it('keeps a number no float holds as its text, flagged, so that it reads back from the ledger as it was made', () => {
    const huge = makeClaim({ name: 'x', model: 'acme/x', field: 'context_window', value: Number('1e999'), locator: '/x/max_tokens', quote: '1e999', confidence: 0.9 });
    expect(huge.value).toBe('1e999');
    expect(huge.anomaly).toEqual(expect.any(String));
    expect(JSON.parse(JSON.stringify(huge))).toEqual(huge);
  });

  it('keeps its texts as the ledger stores them: a lone surrogate becomes U+FFFD, a whole pair stays', () => {
    // A quote cut inside an emoji's pair, a page's broken emoji: SQLite stored U+FFFD for them, and the claim read back differed.
    const made = makeClaim({ name: 'Turbo \uDE80', model: 'acme/turbo', field: 'input_price', value: 1, locator: 'row \uD83D', quote: '$1 \uD83D\uDE80 \uD83D', confidence: 0.9 });
    expect(made).toMatchObject({ model_name: 'Turbo \uFFFD', locator: 'row \uFFFD', quote: '$1 \uD83D\uDE80 \uFFFD' });
    for (const text of [made.model_name, made.locator, made.quote]) expect(Buffer.from(text).toString()).toBe(text);
  });
});

describe('dedupeClaims', () => {
  it('keeps one claim per (model, field, condition, value), in first-seen order, from the most precise place', () => {
    const sentence = claim('input_price', 1.25, 'sentence 3');
    const context = claim('context_window', 400000, 'table 1 row 2');
    const table = claim('input_price', 1.25, 'table 2 row 1');
    const out = dedupeClaims([sentence, context, table]);
    // The table reading replaces the sentence reading in the sentence's slot: order is first-seen.
    expect(out).toEqual([table, context]);
  });

  it('keeps different values, conditions, fields and models apart', () => {
    const claims = [
      claim('input_price', 1.25, '/a'),
      claim('input_price', 2.5, '/b'),
      claim('input_price', 1.25, '/c', { condition: 'route:azure' }),
      claim('output_price', 1.25, '/d'),
      claim('input_price', 1.25, '/e', { model: 'openai/gpt-5-mini' }),
      claim('vision', true, '/f'),
      claim('vision', false, '/g'),
    ];
    expect(dedupeClaims(claims)).toEqual(claims);
  });

  it('prefers the higher confidence between equally precise places, and the first on a tie', () => {
    const low = claim('context_window', 128000, '/x', { confidence: 0.6 });
    const high = claim('context_window', 128000, '/y', { confidence: 0.95 });
    const tie = claim('context_window', 128000, '/z', { confidence: 0.95 });
    expect(dedupeClaims([low, high, tie])).toEqual([high]);
  });
});

describe('driftReport', () => {
  const expect2 = { min_models: 2, fields: ['input_price', 'context_window'] };

  it('reports an empty page and a page of anomalies differently', () => {
    expect(driftReport([], expect2)).toEqual([expect.stringMatching(/^no figures found/)]);
    expect(driftReport([claim('input_price', 0, '/p')], expect2)).toEqual(['no usable figures found: all 1 claims failed sanity bounds']);
  });

  it('counts only usable claims, and only base (unconditional) figures meet a field expectation', () => {
    const drift = driftReport(
      [
        claim('input_price', 1.25, '/a'),
        claim('context_window', 400000, '/b', { condition: 'route:azure' }),
        claim('input_price', 0, '/c', { model: 'openai/gpt-5-mini' }),
      ],
      expect2,
    );
    expect(drift).toEqual(['found figures for 1 model(s), expected at least 2', 'no model has a base context_window: expected at least one']);
  });

  it('is silent when every expectation is met', () => {
    const claims = [claim('input_price', 1.25, '/a'), claim('context_window', 400000, '/b', { model: 'openai/gpt-5-mini' })];
    expect(driftReport(claims, expect2)).toEqual([]);
  });
});

describe('conditions', () => {
  it('makeClaim puts a condition in canonical form, and leaves a canonical one as is', () => {
    expect(claim('input_price', 1, '/a', { condition: ' route:azure ; context>200000;route:azure' }).condition).toBe('context>200000;route:azure');
    expect(claim('input_price', 1, '/a', { condition: 'tier:flex' }).condition).toBe('tier:flex');
    expect(claim('input_price', 1, '/a').condition).toBe('');
  });

  it('joinConditions sorts, trims and drops empty and repeated parts', () => {
    expect(joinConditions('route:vertex_ai', '', undefined, 'context>200000')).toBe('context>200000;route:vertex_ai');
    expect(joinConditions(' tier:flex ')).toBe('tier:flex');
    expect(joinConditions('a;b', 'b')).toBe('a;b');
    expect(joinConditions()).toBe('');
  });
});

describe('JSON helpers', () => {
  it('escapePointer escapes "~" and "/" and leaves other keys untouched', () => {
    expect(escapePointer('azure/eu/gpt-5')).toBe('azure~1eu~1gpt-5');
    expect(escapePointer('a~b/c')).toBe('a~0b~1c');
    expect(escapePointer('gpt-5')).toBe('gpt-5');
    expect(escapePointer(3)).toBe('3');
  });

  it('PerMillionPrices converts like perTokenToPerMillion, each figure as printed', () => {
    const prices = new PerMillionPrices();
    for (const raw of ['0.00000175', 1.75e-6, '-x', 3e-7, '0.00000175', 1.75e-6]) {
      expect(prices.of(raw)).toBe(perTokenToPerMillion(raw));
    }
    expect(prices.of('abc')).toBeNull();
  });
});
