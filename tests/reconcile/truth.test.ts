import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/index.ts';
import { normalizeTime } from '../../scripts/eval-reconcile.ts';
import { SOURCES, claim } from './helpers.ts';

describe('truth discovery', () => {
  it('ignores, rather than inverts, a source that is wrong on a yes/no field more often than not', () => {
    const claims = [];
    for (let m = 0; m < 10; m++) {
      const model = `openai/m${m}`;
      const truth = m % 2 === 0;
      claims.push(claim('aggregator-a', truth, { model, field: 'vision' }), claim('aggregator-b', truth, { model, field: 'vision' }));
      claims.push(claim('contrarian', !truth, { model, field: 'vision' }));
    }
    claims.push(claim('contrarian', true, { model: 'openai/lonely', field: 'vision' }));
    const result = reconcile(claims, { sources: SOURCES });
    expect(result.reliability.find((r) => r.source_id === 'contrarian')!.learned).toBeLessThan(0.3);
    expect(result.reliability.find((r) => r.source_id === 'aggregator-a')!.learned).toBeGreaterThan(0.75);
    const contrarianWeights = result.facts.flatMap((f) => f.claims.filter((c) => c.source_id === 'contrarian').map((c) => c.weight));
    expect(new Set(contrarianWeights)).toEqual(new Set([0]));
    const lonely = result.facts.find((f) => f.model === 'openai/lonely')!;
    expect(lonely).toMatchObject({ value: true, status: 'agreed' });
    expect(lonely.confidence).toBeLessThanOrEqual(0.5);
  });

  it('lets learned reliability carry across fields', () => {
    const claims = [];
    for (let m = 0; m < 8; m++) {
      const model = `openai/m${m}`;
      claims.push(claim('aggregator-a', 1.5 + m, { model, field: 'input_price' }), claim('aggregator-b', 1.5 + m, { model, field: 'input_price' }));
      claims.push(claim('aggregator-c', 9 + m, { model, field: 'input_price' }));
    }
    claims.push(claim('aggregator-a', true, { field: 'vision' }), claim('aggregator-c', false, { field: 'vision' }));
    const vision = reconcile(claims, { sources: SOURCES }).facts.find((f) => f.field === 'vision')!;
    expect(vision).toMatchObject({ value: true, status: 'resolved', rule: 'weighted-vote' });
  });

  it('counts an old claim less than a new one from a source of the same standing', () => {
    const fact = reconcile(
      [
        claim('aggregator-a', 256000, { observed_at: '2024-01-01T00:00:00Z' }),
        claim('aggregator-b', 400000, { observed_at: '2026-01-01T00:00:00Z' }),
      ],
      { sources: SOURCES },
    ).facts[0];
    expect(fact.value).toBe(400000);
    const [newer, older] = [400000, 256000].map((v) => fact.claims.find((c) => c.value === v)!.weight);
    expect(newer).toBeGreaterThan(older);
  });
});

describe('settled weights', () => {
  /** 60 models' input prices: a and b agree on each, c agrees on the first `cAgrees` and says otherwise on the rest. */
  const prices = (cAgrees: number) =>
    Array.from({ length: 60 }, (_, m) => {
      const model = `openai/m${m}`;
      const over = { model, field: 'input_price' as const, unit: 'USD/1M tokens' };
      return [claim('aggregator-a', 1 + m, over), claim('aggregator-b', 1 + m, over), claim('aggregator-c', m < cAgrees ? 1 + m : 50 + m, over)];
    }).flat();

  it('decides with the weights it settled on while what it learns now stays within their noise', () => {
    const before = reconcile(prices(30), { sources: SOURCES });
    const fresh = reconcile(prices(31), { sources: SOURCES });
    // One more agreement moves what c is learned to be worth, a little.
    expect(fresh.learned.accuracy['aggregator-c']).not.toBe(before.learned.accuracy['aggregator-c']);
    const settled = reconcile(prices(31), { sources: SOURCES, settled: before.learned });
    expect(settled.learned).toEqual(before.learned);
    expect(settled.reliability.find((r) => r.source_id === 'aggregator-c')!.learned).toBe(before.reliability.find((r) => r.source_id === 'aggregator-c')!.learned);
    // The item that changed is decided again, with the settled weights.
    expect(settled.facts.find((f) => f.model === 'openai/m30')).toMatchObject({ value: 31, status: 'agreed' });
  });

  it('takes the new weights once they move beyond that noise, or name a source the settled ones lack', () => {
    const before = reconcile(prices(10), { sources: SOURCES });
    const moved = reconcile(prices(50), { sources: SOURCES, settled: before.learned });
    expect(moved.learned).toEqual(reconcile(prices(50), { sources: SOURCES }).learned);
    expect(moved.learned.accuracy['aggregator-c']).toBeGreaterThan(before.learned.accuracy['aggregator-c']);

    const withNewSource = [...prices(10), claim('openrouter', 1, { model: 'openai/m0', field: 'input_price', unit: 'USD/1M tokens' })];
    const unsettled = reconcile(withNewSource, { sources: SOURCES, settled: before.learned });
    expect(unsettled.learned).toEqual(reconcile(withNewSource, { sources: SOURCES }).learned);
    expect(unsettled.learned.accuracy['aggregator-a']).not.toBe(before.learned.accuracy['aggregator-a']);
  });
});

describe('the eval time normalizer', () => {
  it('reads the Flight formats as minutes of the day', () => {
    expect(normalizeTime('7:10 a.m.')).toBe('07:10');
    expect(normalizeTime('12/02/2011 6:55 p.m.')).toBe('18:55');
    expect(normalizeTime('12:05 a.m.')).toBe('00:05');
    expect(normalizeTime('12:05 p.m.')).toBe('12:05');
    expect(normalizeTime('7:10aDec 1')).toBe('07:10');
    expect(normalizeTime('Thu  19:10')).toBe('19:10');
    expect(normalizeTime('8:05 p.m. (Estimated runway)')).toBe('20:05');
    expect(normalizeTime('Not Available')).toBeNull();
  });
});
