import { describe, expect, it } from 'vitest';
import { FactSchema, type Fact } from '../../src/schema/fact.ts';
import { NEUTRAL_PRIOR, reconcile } from '../../src/reconcile/index.ts';
import { SOURCES, claim } from './helpers.ts';

const only = (facts: Fact[]): Fact => {
  expect(facts).toHaveLength(1);
  return facts[0];
};
const valuesOf = (fact: Fact) => [...new Set(fact.claims.map((c) => c.value))].sort();
const sourcesOf = (fact: Fact) => [...new Set(fact.claims.map((c) => c.source_id))].sort();

describe('reconcile: GPT-5.2 Codex context window', () => {
  it('two aggregators against one is a conflict, not agreement, and keeps both values', () => {
    const fact = only(
      reconcile([claim('aggregator-a', 400000), claim('aggregator-b', 400000), claim('aggregator-c', 256000)], {
        sources: SOURCES,
      }).facts,
    );
    expect(fact.status).not.toBe('agreed');
    expect(fact.value).toBe(400000);
    expect(valuesOf(fact)).toEqual([256000, 400000]);
    expect(fact.claims.find((c) => c.value === 256000)).toMatchObject({ source_id: 'aggregator-c', supports: false });
    expect(FactSchema.parse(fact)).toEqual(fact);
  });

  it('a first-party claim resolves the conflict by source kind', () => {
    const fact = only(
      reconcile(
        [claim('aggregator-a', 256000), claim('aggregator-b', 256000), claim('aggregator-c', 256000), claim('openai-docs', 400000)],
        { sources: SOURCES },
      ).facts,
    );
    expect(fact).toMatchObject({ value: 400000, status: 'resolved', rule: 'source-kind' });
    expect(fact.explanation).toContain('openai-docs (first-party)');
    expect(fact.explanation).toContain('256000');
    expect(fact.claims.filter((c) => !c.supports).map((c) => c.source_id).sort()).toEqual([
      'aggregator-a',
      'aggregator-b',
      'aggregator-c',
    ]);
    // three aggregators dissent: the first-party value wins, but not with full confidence
    expect(fact.confidence).toBeGreaterThan(0);
    expect(fact.confidence).toBeLessThan(0.8);
  });

  it('the acceptance case: first-party 400000 plus aggregators 400000/400000/256000 resolves to 400000', () => {
    const fact = only(
      reconcile(
        [claim('aggregator-a', 400000), claim('aggregator-b', 400000), claim('aggregator-c', 256000), claim('openai-docs', 400000)],
        { sources: SOURCES },
      ).facts,
    );
    expect(fact).toMatchObject({ value: 400000, status: 'resolved', rule: 'source-kind' });
    expect(fact.explanation).toMatch(/openai-docs \(first-party\) outranks aggregator-c \(aggregator\), which says 256000/);
  });

  it('one aggregator against another is disputed, with both values and both sources', () => {
    const fact = only(
      reconcile([claim('aggregator-a', 400000), claim('aggregator-c', 256000)], { sources: SOURCES }).facts,
    );
    expect(fact.status).toBe('disputed');
    expect(fact.rule).toBe('best-guess');
    expect(valuesOf(fact)).toEqual([256000, 400000]);
    expect(sourcesOf(fact)).toEqual(['aggregator-a', 'aggregator-c']);
    expect(fact.explanation).toMatch(/disagree/);
    expect(fact.confidence).toBeLessThan(0.6);
  });

  it('an api source outranks an aggregator', () => {
    const fact = only(reconcile([claim('openrouter', 400000), claim('aggregator-b', 256000)], { sources: SOURCES }).facts);
    expect(fact).toMatchObject({ value: 400000, status: 'resolved', rule: 'source-kind' });
    expect(fact.explanation).toContain('openrouter (api) outranks aggregator-b (aggregator)');
  });

  it('sources that all agree give an agreed fact with high confidence', () => {
    const fact = only(
      reconcile([claim('aggregator-a', 400000), claim('openrouter', 400000), claim('openai-docs', 400000)], { sources: SOURCES })
        .facts,
    );
    expect(fact).toMatchObject({ value: 400000, status: 'agreed', rule: 'unanimous' });
    expect(fact.claims.every((c) => c.supports && c.weight > 0)).toBe(true);
    expect(fact.confidence).toBeGreaterThan(0.95);
    expect(fact.confidence).toBeLessThanOrEqual(1);
  });
});

describe('reconcile: votes', () => {
  it('counts a source once when it states a figure twice (table and prose)', () => {
    const table = claim('aggregator-a', 400000, { locator: 'table', confidence: 1 });
    const prose = claim('aggregator-a', 400000, { locator: 'prose', confidence: 0.8 });
    const fact = only(reconcile([prose, table, claim('aggregator-b', 256000)], { sources: SOURCES }).facts);
    expect(fact.status).toBe('disputed');
    expect(fact.claims).toHaveLength(3);
    const own = fact.claims.filter((c) => c.source_id === 'aggregator-a');
    expect(own.map((c) => c.locator).sort()).toEqual(['prose', 'table']);
    expect(own.find((c) => c.locator === 'prose')?.weight).toBe(0);
    expect(own.find((c) => c.locator === 'table')?.weight).toBeGreaterThan(0);
  });

  it('never lets an anomaly win or vote, but lists it', () => {
    const bad = claim('openai-docs', 4000, { anomaly: 'below the field minimum' });
    const result = reconcile([bad, claim('aggregator-a', 400000)], { sources: SOURCES });
    const fact = only(result.facts);
    expect(fact).toMatchObject({ value: 400000, status: 'agreed' });
    expect(fact.claims.find((c) => c.value === 4000)).toMatchObject({ supports: false, weight: 0 });
    expect(result.reliability.find((r) => r.source_id === 'openai-docs')?.claims).toBe(0);
  });

  it('makes no fact from anomalies alone', () => {
    expect(reconcile([claim('openai-docs', 4000, { anomaly: 'too small' })], { sources: SOURCES }).facts).toEqual([]);
  });

  it('gives a source that states two values for one figure at once no vote on it, and lists both', () => {
    // A pricing page whose Batch table lost its label: half the price beside the real one, in one capture.
    const batch = claim('openai-pricing', 0.875, { field: 'input_price', unit: 'USD/1M tokens', locator: 'table 1 / row 3' });
    const standard = claim('openai-pricing', 1.75, { field: 'input_price', unit: 'USD/1M tokens', locator: 'table 2 / row 3' });
    const api = claim('openrouter', 1.75, { field: 'input_price', unit: 'USD/1M tokens' });
    const fact = only(reconcile([batch, standard, api], { sources: SOURCES }).facts);
    expect(fact).toMatchObject({ value: 1.75, status: 'agreed' });
    expect(fact.claims.filter((c) => c.source_id === 'openai-pricing').map((c) => c.weight)).toEqual([0, 0]);
    expect(fact.explanation).toMatch(/openai-pricing states 0\.875 and 1\.75 for it at once: not counted\.$/);
    // Alone, it decides nothing: no figure rather than the half price.
    expect(reconcile([batch, standard], { sources: SOURCES }).facts).toEqual([]);
    // Its two readings of one value are no contradiction, nor its older figure beside a newer one.
    expect(only(reconcile([standard, { ...standard, locator: 'prose' }], { sources: SOURCES }).facts).value).toBe(1.75);
    expect(only(reconcile([{ ...batch, observed_at: '2025-06-01T00:00:00Z' }, standard], { sources: SOURCES }).facts).value).toBe(1.75);
  });

  it("takes a source's newest claim when it changed its figure", () => {
    const old = claim('aggregator-a', 256000, { observed_at: '2025-06-01T00:00:00Z' });
    const now = claim('aggregator-a', 400000, { observed_at: '2026-01-01T00:00:00Z' });
    const fact = only(reconcile([now, old], { sources: SOURCES }).facts);
    expect(fact).toMatchObject({ value: 400000, status: 'agreed' });
    expect(fact.claims.find((c) => c.value === 256000)).toMatchObject({ supports: false, weight: 0 });
  });

  it('a newer first-party claim beats an older first-party claim', () => {
    const price = { field: 'input_price' as const, unit: 'usd_per_mtok' };
    const fact = only(
      reconcile(
        [
          claim('openai-pricing', 3, { ...price, observed_at: '2025-09-01T00:00:00Z' }),
          claim('openai-docs', 1.75, { ...price, observed_at: '2026-01-05T00:00:00Z' }),
          claim('aggregator-a', 3, price),
        ],
        { sources: SOURCES },
      ).facts,
    );
    expect(fact).toMatchObject({ value: 1.75, status: 'resolved', rule: 'recency' });
    expect(fact.explanation).toContain('openai-docs (first-party) stated it on 2026-01-05');
    expect(fact.explanation).toContain('openai-pricing (first-party), which said 3 on 2025-09-01');
  });

  it('first-party sources that disagree at the same time are disputed', () => {
    const fact = only(reconcile([claim('openai-pricing', 400000), claim('openai-docs', 256000)], { sources: SOURCES }).facts);
    expect(fact.status).toBe('disputed');
  });

  it('gives an unknown source a neutral prior and the kind "unknown", ranked below aggregators', () => {
    const result = reconcile([claim('mystery', 256000), claim('aggregator-a', 400000)], { sources: SOURCES });
    expect(result.reliability.find((r) => r.source_id === 'mystery')).toMatchObject({ kind: 'unknown', prior: NEUTRAL_PRIOR });
    expect(only(result.facts)).toMatchObject({ value: 400000, rule: 'source-kind' });
  });

  it('learns that a source which keeps contradicting well-supported values is less reliable', () => {
    const claims = [];
    for (let m = 0; m < 12; m++) {
      const model = `openai/model-${m}`;
      for (const s of ['aggregator-a', 'aggregator-b', 'aggregator-c']) claims.push(claim(s, 100000 + m * 1000, { model }));
      claims.push(claim('sloppy', 50000 + m * 1000, { model }));
    }
    // a figure only aggregator-a and the sloppy source state
    claims.push(claim('aggregator-a', 64000, { model: 'openai/contested' }), claim('sloppy', 32000, { model: 'openai/contested' }));
    const sources = [...SOURCES, { id: 'sloppy', kind: 'aggregator' as const, trust: 0.7 }];
    const result = reconcile(claims, { sources });
    const sloppy = result.reliability.find((r) => r.source_id === 'sloppy')!;
    const good = result.reliability.find((r) => r.source_id === 'aggregator-a')!;
    expect(sloppy).toMatchObject({ claims: 13, agreements: 0, disagreements: 13 });
    expect(sloppy.learned).toBeLessThan(0.3);
    expect(good.learned).toBeGreaterThan(0.8);
    const contested = result.facts.find((f) => f.model === 'openai/contested')!;
    expect(contested).toMatchObject({ value: 64000, status: 'resolved', rule: 'weighted-vote' });
  });
});

describe('reconcile: overrides', () => {
  const override = {
    model: 'openai/gpt-5.2-codex',
    field: 'context_window' as const,
    condition: '',
    value: 272000,
    reason: 'vendor support confirmed 272K by email',
    reviewer: 'ana',
    created_at: '2026-01-12T09:00:00Z',
  };

  it('pins the value and keeps the disagreeing claims visible', () => {
    const fact = only(
      reconcile([claim('openai-docs', 400000), claim('aggregator-a', 272000)], { sources: SOURCES, overrides: [override] }).facts,
    );
    expect(fact).toMatchObject({ value: 272000, status: 'overridden', rule: 'override', confidence: 1 });
    expect(fact.claims.map((c) => [c.source_id, c.supports])).toEqual([
      ['aggregator-a', true],
      ['openai-docs', false],
    ]);
    expect(fact.explanation).toBe(
      '272000 was pinned by ana on 2026-01-12: vendor support confirmed 272K by email. It overrides openai-docs (first-party), which says 400000.',
    );
  });

  it('reads as one sentence when the reason already ends in a full stop', () => {
    const fact = only(reconcile([], { sources: SOURCES, overrides: [{ ...override, reason: 'Confirmed by the vendor.' }] }).facts);
    expect(fact.explanation).toBe('272000 was pinned by ana on 2026-01-12: Confirmed by the vendor.');
  });

  it('holds even when no source states the figure', () => {
    const fact = only(reconcile([], { sources: SOURCES, overrides: [override] }).facts);
    expect(fact).toMatchObject({ value: 272000, status: 'overridden', claims: [] });
  });
});

describe('reconcile: output', () => {
  it('is sorted by model, field, condition and independent of input order', () => {
    const claims = [
      claim('aggregator-a', 2, { model: 'openai/b', field: 'input_price' }),
      claim('aggregator-a', 3, { model: 'openai/b', field: 'input_price', condition: 'context>200000' }),
      claim('aggregator-a', 128000, { model: 'openai/b' }),
      claim('aggregator-b', 131072, { model: 'openai/b' }),
      claim('aggregator-c', 1000000, { model: 'openai/a' }),
      claim('aggregator-b', 256000, { model: 'openai/a' }),
    ];
    const forward = reconcile(claims, { sources: SOURCES });
    const backward = reconcile([...claims].reverse(), { sources: SOURCES });
    expect(backward).toEqual(forward);
    expect(forward.facts.map((f) => [f.model, f.field, f.condition])).toEqual([
      ['openai/a', 'context_window', ''],
      ['openai/b', 'context_window', ''],
      ['openai/b', 'input_price', ''],
      ['openai/b', 'input_price', 'context>200000'],
    ]);
    for (const f of forward.facts) expect(f.confidence).toBeGreaterThanOrEqual(0), expect(f.confidence).toBeLessThanOrEqual(1);
  });
});
