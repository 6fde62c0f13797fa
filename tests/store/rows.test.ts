import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/schema/fact.ts';
import { Ledger } from '../../src/store/ledger.ts';
import { packedJson } from '../../src/store/rows.ts';

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

describe('evidence packed at rest', () => {
  const many: Fact = { ...fact, claims: Array.from({ length: 200 }, (_, i) => evidence(`source-${i}`, 1.25)) };

  it('keeps short JSON as text and compresses long JSON', () => {
    expect(packedJson('{"a":1}')).toBe('{"a":1}');
    const packed = packedJson(JSON.stringify(many));
    expect(Buffer.isBuffer(packed)).toBe(true);
    expect(packed.length).toBeLessThan(JSON.stringify(many).length / 4);
  });

  it('reads back facts and queued changes as they were, large evidence or small, and rewrites no fact that did not move', () => {
    const ledger = new Ledger(':memory:');
    const small = { ...fact, model: 'openai/gpt-5.2-mini' };
    expect(ledger.facts.replace([many, small])).toBe(2);
    const stored = ledger.db.prepare('SELECT model, typeof(claims) AS type FROM facts ORDER BY model').all();
    expect(stored).toEqual([{ model: 'openai/gpt-5.2', type: 'blob' }, { model: 'openai/gpt-5.2-mini', type: 'text' }]);
    expect(ledger.facts.list()).toEqual([many, small]);
    // The same facts again, as a later reconciliation builds them anew: nothing to write.
    expect(ledger.facts.replace([structuredClone(many), structuredClone(small)])).toBe(0);
    const id = ledger.changes.insert({ model: many.model, field: many.field, condition: many.condition, kind: 'added', old_value: null, new_value: 1.25, observed_at: '2026-08-01T00:00:00.000Z', evidence_key: 'k', fact: many }, '2026-08-01T00:00:00.000Z');
    const none = ledger.changes.insert({ model: small.model, field: small.field, condition: small.condition, kind: 'removed', old_value: 1.25, new_value: null, observed_at: '2026-08-01T00:00:00.000Z', evidence_key: 'k', fact: null }, '2026-08-01T00:00:00.000Z');
    expect(ledger.changes.get(id)!.fact).toEqual(many);
    expect(ledger.changes.get(none)!.fact).toBeNull();
    const { claims, ...rest } = many;
    for (const other of [small, { claims, ...rest } as Fact]) {
      const otherId = ledger.changes.insert({ model: other.model, field: other.field, condition: other.condition, kind: 'added', old_value: null, new_value: 1.25, observed_at: '2026-08-01T00:00:00.000Z', evidence_key: 'k', fact: other }, '2026-08-01T00:00:00.000Z');
      expect(ledger.changes.get(otherId)!.fact).toEqual(other);
    }
    // A change's own copy: the facts row's columns, its evidence packed as the facts table packs it.
    const columns = ledger.db.prepare('SELECT typeof(fact) AS fact, typeof(fact_status) AS status, typeof(fact_claims) AS claims FROM changes ORDER BY id').all();
    expect(columns).toEqual([
      { fact: 'null', status: 'text', claims: 'blob' },
      { fact: 'text', status: 'null', claims: 'null' },
      { fact: 'null', status: 'text', claims: 'text' },
      { fact: 'null', status: 'text', claims: 'blob' },
    ]);
  });
});
