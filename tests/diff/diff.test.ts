import { describe, expect, it } from 'vitest';
import { keyOf } from '../../src/schema/key.ts';
import { diffFacts, planQueue, evidenceKey } from '../../src/diff/diff.ts';
import type { Change, ProposedChange } from '../../src/schema/change.ts';
import { fact } from '../helpers/facts.ts';

const NOW = '2026-07-22T00:00:00.000Z';
const published = (model: string, field: any, value: any, condition = '') => ({ model, field, condition, value });

describe('diffFacts', () => {
  it('proposes added values and changed values, and nothing for equal ones', () => {
    const { proposals } = diffFacts({
      facts: [
        fact('openai/gpt-5.2-codex', 'input_price', 1.75),
        fact('openai/gpt-5.2-codex', 'output_price', 12, { observedAt: '2026-07-21T00:00:00.000Z' }),
        fact('openai/gpt-4.1-mini', 'input_price', 0.4),
      ],
      published: [published('openai/gpt-5.2-codex', 'input_price', 1.75), published('openai/gpt-5.2-codex', 'output_price', 14)],
      absences: new Map(),
      removalAfterSyncs: 2,
      now: NOW,
    });
    expect(proposals.map((p) => [p.model, p.field, p.kind, p.old_value, p.new_value])).toEqual([
      ['openai/gpt-4.1-mini', 'input_price', 'added', null, 0.4],
      ['openai/gpt-5.2-codex', 'output_price', 'changed', 14, 12],
    ]);
    // valid_from of a change is when its evidence was observed, not when the sync ran
    expect(proposals[1].observed_at).toBe('2026-07-21T00:00:00.000Z');
  });

  it('treats float noise as equal but a real price move as a change', () => {
    const run = (value: number) =>
      diffFacts({ facts: [fact('m/x', 'input_price', value)], published: [published('m/x', 'input_price', 0.3)], absences: new Map(), removalAfterSyncs: 2, now: NOW }).proposals;
    expect(run(0.1 + 0.2)).toHaveLength(0);
    expect(run(0.31)).toHaveLength(1);
  });

  it('keeps conditional prices apart from the base price', () => {
    const { proposals } = diffFacts({
      facts: [fact('google/gemini-2.5-pro', 'input_price', 1.25), fact('google/gemini-2.5-pro', 'input_price', 2.5, { condition: 'context>200000' })],
      published: [published('google/gemini-2.5-pro', 'input_price', 1.25)],
      absences: new Map(),
      removalAfterSyncs: 2,
      now: NOW,
    });
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ condition: 'context>200000', kind: 'added', new_value: 2.5 });
  });

  it('proposes "no longer seen" only after the key is missing for the configured number of syncs', () => {
    const base = { facts: [], published: [published('m/gone', 'input_price', 2)], removalAfterSyncs: 2, now: NOW };
    const first = diffFacts({ ...base, absences: new Map() });
    expect(first.proposals).toHaveLength(0);
    const second = diffFacts({ ...base, absences: first.absences });
    expect(second.proposals).toEqual([expect.objectContaining({ kind: 'removed', old_value: 2, new_value: null })]);
  });

  it('proposes the published keys of a model a reviewer renamed as gone at once, and waits for the others', () => {
    const base = { facts: [], published: [published('m/old-name', 'input_price', 2), published('m/quiet', 'input_price', 3)], removalAfterSyncs: 2, now: NOW };
    const { proposals } = diffFacts({ ...base, absences: new Map(), renamed: (model) => model === 'm/old-name' });
    expect(proposals.map((p) => [p.model, p.kind])).toEqual([['m/old-name', 'removed']]);
  });

  it('never proposes removing a key a source still states, only without a fact (a $0 anomaly, a contradiction)', () => {
    const base = { facts: [], published: [published('m/held', 'input_price', 1.75)], removalAfterSyncs: 2, now: NOW, stated: (key: string) => key === keyOf({ model: 'm/held', field: 'input_price', condition: '' }) };
    const first = diffFacts({ ...base, absences: new Map([[keyOf({ model: 'm/held', field: 'input_price', condition: '' }), 1]]) });
    expect(first.proposals).toEqual([]);
    expect(first.absences.size).toBe(0);
    expect(diffFacts({ ...base, stated: () => false, absences: new Map([[keyOf({ model: 'm/held', field: 'input_price', condition: '' }), 1]]) }).proposals).toHaveLength(1);
  });

  it('does not count an absence again when no source brought a new capture', () => {
    const base = { facts: [], published: [published('m/gone', 'input_price', 2)], removalAfterSyncs: 2, now: NOW };
    const first = diffFacts({ ...base, absences: new Map(), newEvidence: true });
    const replayed = diffFacts({ ...base, absences: first.absences, newEvidence: false });
    expect(replayed.proposals).toHaveLength(0);
    expect(diffFacts({ ...base, absences: replayed.absences, newEvidence: true }).proposals).toHaveLength(1);
  });

  it('starts a pinned value when it was pinned, not when its supporting pages were read', () => {
    const pinned = { ...fact('m/x', 'context_window', 256000, { observedAt: '2026-05-20T00:00:00.000Z' }), status: 'overridden' as const, rule: 'override' };
    const { proposals } = diffFacts({ facts: [pinned], published: [{ ...published('m/x', 'context_window', 400000), valid_from: '2026-07-25T00:00:00.000Z' }], absences: new Map(), removalAfterSyncs: 2, now: NOW });
    expect(proposals[0].observed_at).toBe(NOW);
  });

  it('never starts a new value before the approved value it replaces', () => {
    const late = fact('m/x', 'input_price', 3, { observedAt: '2026-05-20T00:00:00.000Z' });
    const { proposals } = diffFacts({ facts: [late], published: [{ ...published('m/x', 'input_price', 1.75), valid_from: '2026-07-25T00:00:00.000Z' }], absences: new Map(), removalAfterSyncs: 2, now: NOW });
    expect(proposals[0].observed_at).toBe('2026-07-25T00:00:00.000Z');
  });

  it('forgets an absence once the key is seen again', () => {
    const key = JSON.stringify(['m/back', 'input_price', '']);
    const { absences, proposals } = diffFacts({
      facts: [fact('m/back', 'input_price', 2)],
      published: [published('m/back', 'input_price', 2)],
      absences: new Map([[key, 1]]),
      removalAfterSyncs: 2,
      now: NOW,
    });
    expect(proposals).toHaveLength(0);
    expect(absences.size).toBe(0);
  });
});

describe('planQueue', () => {
  const proposal = (value: number, snapshot = 's1'): ProposedChange => {
    const f = fact('m/x', 'input_price', value, { snapshot });
    return { model: 'm/x', field: 'input_price', condition: '', kind: 'changed', old_value: 1, new_value: value, observed_at: NOW, evidence_key: evidenceKey(value, f), fact: f };
  };
  const stored = (p: ProposedChange, id: number, status: Change['status']): Change => ({ ...p, id, status, created_at: NOW, reviewer: null, reviewed_at: null, note: null });

  it('leaves an identical pending change as it is instead of queueing or rewriting it', () => {
    const p = proposal(2);
    expect(planQueue([p], [stored(p, 7, 'pending')])).toEqual({ insert: [], refresh: [], supersede: [] });
  });

  it('refreshes a pending change in place when the same value comes with new evidence', () => {
    const fresh = proposal(2, 's2');
    expect(planQueue([fresh], [stored(proposal(2, 's1'), 7, 'pending')])).toEqual({ insert: [], refresh: [{ id: 7, proposal: fresh }], supersede: [] });
  });

  it('keeps a pending removal at the date it was first proposed', () => {
    const removal = (now: string): ProposedChange => ({ model: 'm/x', field: 'input_price', condition: '', kind: 'removed', old_value: 1, new_value: null, observed_at: now, evidence_key: evidenceKey(null, null), fact: null });
    const plan = planQueue([removal('2026-07-29T00:00:00.000Z')], [stored(removal(NOW), 7, 'pending')]);
    expect(plan).toEqual({ insert: [], refresh: [], supersede: [] });
  });

  it('supersedes a pending change when the value moved again', () => {
    const plan = planQueue([proposal(3)], [stored(proposal(2), 7, 'pending')]);
    expect(plan.supersede).toEqual([7]);
    expect(plan.insert.map((p) => p.new_value)).toEqual([3]);
  });

  it('does not re-propose a rejected change unless its evidence changed', () => {
    const rejected = stored(proposal(2, 's1'), 4, 'rejected');
    expect(planQueue([proposal(2, 's1')], [rejected]).insert).toHaveLength(0);
    expect(planQueue([proposal(2, 's2')], [rejected]).insert).toHaveLength(1);
  });

  it('supersedes pending changes that no longer have a proposal', () => {
    expect(planQueue([], [stored(proposal(2), 9, 'pending')]).supersede).toEqual([9]);
  });
});
