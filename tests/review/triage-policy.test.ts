import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoApprovals, NO_POLICY, parsePolicy, type Policy } from '../../src/review/policy.ts';
import { loadPolicy } from '../../src/app/policy.ts';
import { triage } from '../../src/review/triage.ts';
import type { Change } from '../../src/schema/change.ts';
import type { EvidenceClaim, FactStatus } from '../../src/schema/fact.ts';
import { LedgerError } from '../../src/errors.ts';
import { cli } from '../helpers/cli.ts';

let nextId = 1;
function claim(source_id: string, value: number | boolean, supports = true, source_kind = 'api'): EvidenceClaim {
  return { source_id, source_kind, value, snapshot_hash: 'a'.repeat(64), locator: '$', quote: String(value), observed_at: '2026-07-01T00:00:00.000Z', weight: 1, supports };
}
function change(over: Partial<Change> & { status_of_fact?: FactStatus; claims?: EvidenceClaim[] }): Change {
  const { status_of_fact = 'agreed', claims, ...rest } = over;
  const base: Change = {
    id: nextId++,
    model: 'openai/gpt-5.2',
    field: 'input_price',
    condition: '',
    kind: 'changed',
    old_value: 2,
    new_value: 2.02,
    observed_at: '2026-07-01T00:00:00.000Z',
    evidence_key: 'k',
    fact: null,
    status: 'pending',
    created_at: '2026-07-01T00:00:00.000Z',
    reviewer: null,
    reviewed_at: null,
    note: null,
    ...rest,
  };
  const value = base.new_value as number | boolean;
  base.fact = { model: base.model, field: base.field, condition: base.condition, value, status: status_of_fact, confidence: 0.9, rule: 'unanimous', explanation: '', claims: claims ?? [claim('litellm', value), claim('openrouter', value), claim('openai-pricing', value, true, 'first-party')] };
  return base;
}

const approved = new Set(['openai/gpt-5.2']);
const POLICY: Policy = parsePolicy(`
rules:
  - rule: first-party-agreed
  - rule: small-move
    max_move_pct: 2
    min_sources: 2
  - rule: flag-agreed
`);

describe('triage', () => {
  it('groups the queue by what needs a human first, with counts, in that order', () => {
    const routine = change({});
    const disputed = change({ status_of_fact: 'disputed', new_value: 2.01 });
    const large = change({ new_value: 2.5 });
    const removal = change({ kind: 'removed', new_value: null, claims: [] });
    const newModel = change({ model: 'acme/new-1', kind: 'added', old_value: null });
    const t = triage([routine, newModel, removal, large, disputed], { approvedModels: approved });
    expect(t.changes.map((c) => [c.id, c.group])).toEqual([
      [disputed.id, 'disputed'],
      [large.id, 'large-move'],
      [removal.id, 'removal'],
      [newModel.id, 'new-model'],
      [routine.id, 'routine'],
    ]);
    expect(t.counts).toEqual({ disputed: 1, 'large-move': 1, removal: 1, 'new-model': 1, routine: 1 });
    // Exactly the bound is not beyond it, however the float falls (1.75 -> 1.925 computed as 10.000000000000002%).
    expect(triage([change({ old_value: 1.75, new_value: 1.925 }), change({ old_value: 0.4, new_value: 0.44 })], { approvedModels: approved }).changes.map((c) => c.group)).toEqual(['routine', 'routine']);
    // The bound is the caller's: at 30% a 25% move is routine.
    expect(triage([large], { approvedModels: approved, largeMovePct: 30 }).changes[0].group).toBe('routine');
  });
});

describe('review policy', () => {
  it('approves a routine change and says which rule and why', () => {
    const routine = change({});
    const got = autoApprovals(POLICY, triage([routine], { approvedModels: approved }).changes);
    expect(got.map((a) => [a.change.id, a.rule])).toEqual([[routine.id, 'first-party-agreed']]);
    expect(got[0].why).toMatch(/first-party openai-pricing says 2.02; all 3 sources agree/);
    // Without a first-party source, the small-move rule takes it: +1% within 2%, 2 sources.
    const moved = change({ claims: [claim('litellm', 2.02), claim('openrouter', 2.02)] });
    expect(autoApprovals(POLICY, triage([moved], { approvedModels: approved }).changes).map((a) => a.rule)).toEqual(['small-move']);
    const flag = change({ field: 'vision', old_value: false, new_value: true, claims: [claim('litellm', true), claim('openrouter', true)] });
    expect(autoApprovals(POLICY, triage([flag], { approvedModels: approved }).changes).map((a) => a.rule)).toEqual(['flag-agreed']);
  });

  it('never approves a disputed figure, a removal, a move beyond its bound or a new model', () => {
    const all = { approvedModels: approved };
    const disputed = change({ status_of_fact: 'disputed', claims: [claim('openai-pricing', 2.02, true, 'first-party'), claim('litellm', 2.02), claim('openrouter', 3, false)] });
    const removal = change({ kind: 'removed', new_value: null, claims: [] });
    // 5% is routine for triage (under 10%) but beyond the small-move rule's 2%.
    const beyondRule = change({ new_value: 2.1, claims: [claim('litellm', 2.1), claim('openrouter', 2.1)] });
    const beyondTriage = change({ new_value: 3 });
    const newModel = change({ model: 'acme/new-1', kind: 'added', old_value: null });
    const generous = parsePolicy('rules:\n  - rule: small-move\n    max_move_pct: 60\n    min_sources: 1\n  - rule: first-party-agreed\n    min_sources: 1\n  - rule: flag-agreed\n    min_sources: 1\n');
    for (const policy of [POLICY, generous]) {
      const got = autoApprovals(policy, triage([disputed, removal, beyondRule, beyondTriage, newModel], all).changes);
      expect(got.map((a) => a.change.id)).toEqual(policy === POLICY ? [] : [beyondRule.id]);
    }
  });

  it('counts only sources whose vote carried the value, and lets no small move through that a source disputes', () => {
    // OpenRouter lists the model twice, at the new price and another: it has no vote (weight 0), and confirms nothing.
    const selfContradicting = change({ claims: [claim('openai-pricing', 2.02), { ...claim('openrouter', 2.02), weight: 0 }, { ...claim('openrouter', 2.5, false), weight: 0 }] });
    // Two sources confirm, a third still says the old price: outvoted (resolved), but disputing.
    const outvoted = change({ status_of_fact: 'resolved', claims: [claim('litellm', 2.02), claim('openrouter', 2.02), claim('openai-docs', 2, false)] });
    const policy = parsePolicy('rules:\n  - rule: small-move\n    max_move_pct: 2\n    min_sources: 2\n');
    expect(autoApprovals(policy, triage([selfContradicting, outvoted], { approvedModels: approved }).changes)).toEqual([]);
  });

  it('--no-policy is none whatever $MODEL_LEDGER_POLICY names, and an empty --policy is refused, not taken for the default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-no-policy-'));
    const generous = join(dir, 'generous.yaml');
    writeFileSync(generous, 'rules:\n  - rule: flag-agreed\n    min_sources: 1\n');
    const before = process.env.MODEL_LEDGER_POLICY;
    process.env.MODEL_LEDGER_POLICY = generous;
    try {
      expect(loadPolicy().rules).toHaveLength(1);
      expect(loadPolicy(false)).toEqual(NO_POLICY);
    } finally {
      if (before === undefined) delete process.env.MODEL_LEDGER_POLICY;
      else process.env.MODEL_LEDGER_POLICY = before;
    }
    const empty = await cli(['sync', '--offline', '--quiet', '--db', join(dir, 'l.sqlite'), '--policy', '']);
    expect(empty.code).toBe(64);
    expect(empty.stderr).toMatch(/--policy is empty/);
  });

  it('a malformed policy is an input error naming its line', () => {
    const bad = 'rules:\n  - rule: small-move\n    max_move_pct: 2\n  - rule: first-party-agreed\n    min_sorces: 2\n';
    expect(() => parsePolicy(bad, 'p.yaml')).toThrow(LedgerError);
    expect(() => parsePolicy(bad, 'p.yaml')).toThrow(/^p\.yaml:4: rules\.1/);
    expect(() => parsePolicy('rules:\n  - rule: small-move\n', 'p.yaml')).toThrow(/^p\.yaml:2: rules\.0\.max_move_pct/);
    expect(() => parsePolicy('rules: [\n  - x\n', 'p.yaml')).toThrow(/^p\.yaml:\d+: not valid YAML/);
  });

  it('the CLI refuses a malformed policy with exit 65 before syncing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-policy-'));
    writeFileSync(join(dir, 'review-policy.yaml'), 'rules:\n  - rule: always\n');
    const r = await cli(['--db', join(dir, 'l.sqlite'), 'sync', '--offline', '--policy', join(dir, 'review-policy.yaml')]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/review-policy\.yaml:2: rules\.0\.rule/);
  });
});
