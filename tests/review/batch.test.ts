import { describe, expect, it } from 'vitest';
import { batchSelection, filterChoices, parseFilter, selectChanges } from '../../src/review/batch.ts';
import type { Change } from '../../src/schema/change.ts';
import type { FieldName } from '../../src/schema/fields.ts';
import { fact } from '../helpers/facts.ts';
import { LedgerError } from '../../src/errors.ts';

const AT = '2026-07-21T00:00:00.000Z';
let nextId = 1;
function change(model: string, field: FieldName, kind: Change['kind'], source: string | null, value = 1): Change {
  const f = source ? fact(model, field, value, { source }) : null;
  return {
    id: nextId++,
    model,
    field,
    condition: '',
    kind,
    old_value: kind === 'added' ? null : 2,
    new_value: kind === 'removed' ? null : value,
    observed_at: AT,
    evidence_key: 'k',
    fact: f,
    status: 'pending',
    created_at: AT,
    reviewer: null,
    reviewed_at: null,
    note: null,
  };
}

const queue = [
  change('openai/gpt-5', 'input_price', 'changed', 'openrouter'),
  change('openai/gpt-5', 'output_price', 'changed', 'litellm'),
  change('anthropic/claude-opus-4', 'input_price', 'added', 'openrouter'),
  change('anthropic/claude-opus-4', 'context_window', 'added', 'litellm', 200000),
  change('acme/old-model', 'input_price', 'removed', null),
];
const ids = (cs: Change[]) => cs.map((c) => c.id);

describe('selectChanges', () => {
  it('selects by source (supporting claims only), model, provider, field and kind', () => {
    expect(ids(selectChanges(queue, { source: 'openrouter' }))).toEqual([queue[0].id, queue[2].id]);
    expect(ids(selectChanges(queue, { model: 'openai/gpt-5' }))).toEqual([queue[0].id, queue[1].id]);
    expect(ids(selectChanges(queue, { provider: 'anthropic' }))).toEqual([queue[2].id, queue[3].id]);
    expect(ids(selectChanges(queue, { field: 'input_price' }))).toEqual([queue[0].id, queue[2].id, queue[4].id]);
    expect(ids(selectChanges(queue, { kind: 'removed' }))).toEqual([queue[4].id]);
  });

  it('combines filters with AND', () => {
    expect(ids(selectChanges(queue, { field: 'input_price', provider: 'openai' }))).toEqual([queue[0].id]);
    expect(selectChanges(queue, { source: 'litellm', kind: 'removed' })).toEqual([]);
  });

  it('does not count a source that only argues against the new value', () => {
    const disputed = change('openai/gpt-5', 'vision', 'changed', 'openrouter', 1);
    disputed.fact!.claims.push({ ...disputed.fact!.claims[0], source_id: 'aggregator-versus', supports: false, value: 0 });
    expect(selectChanges([disputed], { source: 'aggregator-versus' })).toEqual([]);
    expect(selectChanges([disputed], { source: 'openrouter' })).toHaveLength(1);
  });
});

describe('batchSelection', () => {
  it('returns the ids given, all pending, or the filtered ones', () => {
    expect(batchSelection(queue, { ids: [3, 4], filter: {} })).toEqual([3, 4]);
    expect(batchSelection(queue, { ids: [], all: true, filter: {} })).toEqual(ids(queue));
    expect(batchSelection(queue, { ids: [], filter: { kind: 'added' } })).toEqual([queue[2].id, queue[3].id]);
  });

  it('refuses ids mixed with a selection, an empty request and a selection matching nothing', () => {
    expect(() => batchSelection(queue, { ids: [1], filter: { kind: 'added' } })).toThrow(LedgerError);
    expect(() => batchSelection(queue, { ids: [1], all: true, filter: {} })).toThrow(/not both/);
    expect(() => batchSelection(queue, { ids: [], filter: {} })).toThrow(/name change ids/);
    expect(() => batchSelection(queue, { ids: [], filter: { source: 'nowhere' } })).toThrow(/no pending changes match --source nowhere/);
    expect(() => batchSelection([], { ids: [], all: true, filter: {} })).toThrow(/no pending changes/);
  });
});

describe('parseFilter', () => {
  it('rejects unknown fields and kinds instead of selecting nothing', () => {
    expect(() => parseFilter({ field: 'input_prices' })).toThrow(/unknown field "input_prices"/);
    expect(() => parseFilter({ kind: 'deleted' })).toThrow(/unknown change kind "deleted"/);
    expect(parseFilter({ field: 'input_price', kind: 'added', provider: 'OpenAI' })).toEqual({ field: 'input_price', kind: 'added', provider: 'openai' });
  });
});

describe('filterChoices', () => {
  it('lists the distinct sources, providers, fields and kinds of a queue', () => {
    expect(filterChoices(queue)).toEqual({
      source: ['litellm', 'openrouter'],
      provider: ['acme', 'anthropic', 'openai'],
      field: ['context_window', 'input_price', 'output_price'],
      kind: ['added', 'changed', 'removed'],
    });
  });
});
