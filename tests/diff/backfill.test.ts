import { describe, expect, it } from 'vitest';
import { diffBackfill } from '../../src/diff/backfill.ts';
import { keyOf } from '../../src/schema/key.ts';
import { fact } from '../helpers/facts.ts';

const AT = '2026-03-01T00:00:00.000Z';
const key = (model: string, field: string) => keyOf({ model, field, condition: '' });

describe('diffBackfill', () => {
  const factsAt = [
    fact('m/a', 'input_price', 3, { source: 'old-src' }),
    fact('m/b', 'input_price', 1, { source: 'old-src' }),
    fact('m/c', 'input_price', 5, { source: 'old-src' }),
    fact('m/gone', 'input_price', 9, { source: 'old-src' }),
    fact('m/other', 'input_price', 7, { source: 'someone-else' }),
  ];
  const currentKeys = new Set([key('m/a', 'input_price'), key('m/b', 'input_price'), key('m/c', 'input_price'), key('m/other', 'input_price')]);
  const inForce = [
    { model: 'm/b', field: 'input_price' as const, condition: '', value: 1 },
    { model: 'm/c', field: 'input_price' as const, condition: '', value: 4 },
  ];

  it('proposes what differs from the timeline at that date, keyed to that date', () => {
    const { proposals, skipped } = diffBackfill({ factsAt, inForce, currentKeys, sourceId: 'old-src', at: AT });
    expect(proposals.map((p) => [p.model, p.kind, p.old_value, p.new_value, p.observed_at])).toEqual([
      ['m/a', 'added', null, 3, AT],
      ['m/c', 'changed', 4, 5, AT],
    ]);
    // m/gone has no current value to bound an interval; m/other is not this source's to backfill
    expect(skipped).toBe(1);
  });

  it('proposes nothing when the older capture agrees with the timeline', () => {
    const agreeing = [fact('m/b', 'input_price', 1, { source: 'old-src' })];
    expect(diffBackfill({ factsAt: agreeing, inForce, currentKeys, sourceId: 'old-src', at: AT }).proposals).toEqual([]);
  });
});
