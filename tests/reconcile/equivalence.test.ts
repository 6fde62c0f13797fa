import { describe, expect, it } from 'vitest';
import { coarserKey, valueKey } from '../../src/reconcile/equivalence.ts';
import { reconcile } from '../../src/reconcile/index.ts';
import { SOURCES, claim } from './helpers.ts';

const same = (field: string, a: string | number | boolean, b: string | number | boolean) =>
  valueKey(field, a) === valueKey(field, b);

describe('value equivalence', () => {
  it('treats a nominal token figure in decimal or binary as one value', () => {
    expect(same('context_window', 128000, 131072)).toBe(true);
    expect(same('context_window', '128K', 131072)).toBe(true);
    expect(same('context_window', '128,000', 128000)).toBe(true);
    expect(same('max_output_tokens', 1_000_000, 1_048_576)).toBe(true);
    expect(same('context_window', 200000, 204800)).toBe(true);
  });

  it('reads one number written in any of its usual forms, and a decimal comma as no number', () => {
    for (const [a, b] of [['1e-6', '0.000001'], ['.5', '0.5'], ['1.28e5', '128000'], ['+2', '2'], ['$1,234.5', '1234.5'], ['1 048 576', '1048576'], ['3.', '3']]) {
      expect(same('input_price', a, b), `${a} = ${b}`).toBe(true);
    }
    // A decimal comma: 1,50 is 1.5 where it is written so, and was read as 150.
    expect(same('input_price', '1,50', 150)).toBe(false);
    expect(same('input_price', '1,5', 15)).toBe(false);
    expect(same('input_price', '1,2345', 12345)).toBe(false);
    expect(same('context_window', '1,048,576', 1048576)).toBe(true);
  });

  it('keeps real token differences apart', () => {
    expect(same('context_window', 400000, 256000)).toBe(false);
    expect(same('context_window', 128000, 120000)).toBe(false);
    expect(same('context_window', 131072, 130000)).toBe(false);
  });

  it('compares prices to six significant digits', () => {
    expect(same('input_price', 1.75, 1.7500000000000002)).toBe(true);
    expect(same('input_price', 1.75, 1.76)).toBe(false);
    expect(same('input_price', 0.075, 0.0750000001)).toBe(true);
  });

  it('normalizes license names', () => {
    expect(same('license', 'Apache 2.0', 'apache-2.0')).toBe(true);
    expect(same('license', 'Apache License 2.0', 'apache-2.0')).toBe(true);
    expect(same('license', 'MIT', 'Apache 2.0')).toBe(false);
  });

  it('reads booleans written as words', () => {
    expect(same('vision', true, 'Yes')).toBe(true);
    expect(same('vision', false, 'no')).toBe(true);
    expect(same('vision', true, false)).toBe(false);
  });

  it('gives dates a precision ladder', () => {
    expect(valueKey('release_date', '2025-12-18')).toBe('d:2025-12-18');
    expect(coarserKey(valueKey('release_date', '2025-12-18'))).toBe(valueKey('release_date', '2025-12'));
    expect(coarserKey(valueKey('release_date', '2025-12'))).toBe(valueKey('release_date', '2025'));
    expect(coarserKey(valueKey('release_date', '2025'))).toBeNull();
  });

  it('compares fields it does not know as trimmed, case-folded text', () => {
    expect(same('gate', ' B 12 ', 'b 12')).toBe(true);
    expect(same('gate', 'B12', 'B 12')).toBe(false);
  });
});

describe('equivalence in reconcile', () => {
  it('agrees on 128000 vs 131072 and reports the best-ranked source figure', () => {
    const fact = reconcile([claim('aggregator-a', 128000), claim('openrouter', 131072)], { sources: SOURCES }).facts[0];
    expect(fact).toMatchObject({ status: 'agreed', value: 131072 });
  });

  it('counts a month as support for a day inside it and keeps the day', () => {
    const date = { field: 'release_date' as const, unit: null };
    const fact = reconcile([claim('aggregator-a', '2025-12', date), claim('aggregator-b', '2025-12-18', date)], {
      sources: SOURCES,
    }).facts[0];
    expect(fact).toMatchObject({ status: 'agreed', value: '2025-12-18' });
    expect(fact.claims.every((c) => c.supports)).toBe(true);
  });

  it('treats two different days in one month as a conflict the month cannot settle', () => {
    const date = { field: 'release_date' as const, unit: null };
    const fact = reconcile(
      [claim('aggregator-a', '2025-12', date), claim('aggregator-b', '2025-12-18', date), claim('aggregator-c', '2025-12-11', date)],
      { sources: SOURCES },
    ).facts[0];
    expect(fact.status).toBe('disputed');
    expect(fact.claims.find((c) => c.value === '2025-12')?.supports).toBe(true);
  });

  it('agrees on prices that differ by float noise and on license spellings', () => {
    const facts = reconcile(
      [
        claim('aggregator-a', 1.75, { field: 'input_price' }),
        claim('openrouter', 1.7500000000000002, { field: 'input_price' }),
        claim('aggregator-a', 'Apache 2.0', { field: 'license' }),
        claim('hf-card', 'apache-2.0', { field: 'license' }),
      ],
      { sources: SOURCES },
    ).facts;
    expect(facts.map((f) => [f.field, f.status, f.value])).toEqual([
      ['input_price', 'agreed', 1.7500000000000002],
      ['license', 'agreed', 'apache-2.0'],
    ]);
  });
});
