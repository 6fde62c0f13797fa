import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/schema/fact.ts';
import { factClaimsJson, factJson } from '../../src/store/rows.ts';

const evidence = (source: string, value: number) => ({
  source_id: source,
  source_kind: 'aggregator' as const,
  value,
  snapshot_hash: 'a'.repeat(64),
  locator: 'table[0] row[1] "quoted"',
  quote: 'GPT-5.2 | $1.25 \u2028 \\',
  observed_at: '2026-08-01T00:00:00.000Z',
  weight: 0.5,
  supports: true,
});
const fact: Fact = {
  model: 'openai/gpt-5.2',
  field: 'input_price',
  condition: 'tier=batch',
  value: 1.25,
  status: 'agreed',
  confidence: 0.9,
  rule: 'unanimous',
  explanation: 'stated by "every" source',
  claims: [evidence('a', 1.25), evidence('b', 1.25)],
};

describe('fact JSON with its evidence serialised once', () => {
  it('is JSON.stringify of the fact, whatever its keys and wherever its evidence stands', () => {
    expect(factJson(fact)).toBe(JSON.stringify(fact));
    expect(factClaimsJson(fact.claims)).toBe(JSON.stringify(fact.claims));
    const { claims, ...rest } = fact;
    const evidenceFirst = { claims, ...rest } as Fact;
    expect(factJson(evidenceFirst)).toBe(JSON.stringify(evidenceFirst));
    const onlyEvidence = { claims: [] } as unknown as Fact;
    expect(factJson(onlyEvidence)).toBe(JSON.stringify(onlyEvidence));
    const withUndefined = { ...rest, unit: undefined, claims } as unknown as Fact;
    expect(factJson(withUndefined)).toBe(JSON.stringify(withUndefined));
    expect(JSON.parse(factJson(fact))).toEqual(fact);
  });
});
