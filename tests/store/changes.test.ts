import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProposedChange } from '../../src/schema/change.ts';
import type { Fact } from '../../src/schema/fact.ts';
import { Ledger } from '../../src/store/ledger.ts';

const claim = (source: string, value: number, observed_at: string) => ({
  source_id: source,
  source_kind: 'aggregator' as const,
  value,
  snapshot_hash: source.repeat(64).slice(0, 64),
  locator: 'table[0] row[1]',
  quote: `GPT-5.2 | $${value}`,
  observed_at,
  weight: 0.5,
  supports: true,
});
const factOf = (value: number, observed_at: string, sources = ['a', 'b']): Fact => ({
  model: 'openai/gpt-5.2',
  field: 'input_price',
  condition: '',
  value,
  status: 'agreed',
  confidence: 0.9,
  rule: 'unanimous',
  explanation: `stated by ${sources.length} sources`,
  claims: sources.map((s) => claim(s, value, observed_at)),
});
const proposalOf = (fact: Fact): ProposedChange => ({
  model: fact.model,
  field: fact.field,
  condition: fact.condition,
  kind: 'added',
  old_value: null,
  new_value: fact.value,
  observed_at: fact.claims[0].observed_at,
  evidence_key: `${fact.value}@${fact.claims[0].observed_at}`,
  fact,
});
const AT = '2026-08-01T00:00:00.000Z';
const review = { reviewer: 'ana', at: AT, note: null };
/** A ledger in a file, so that a second connection can see what it stores. */
const fileLedger = () => new Ledger(join(mkdtempSync(join(tmpdir(), 'changes-')), 'ledger.sqlite'));
/** Whether the change stores a copy of its fact, whole or in its fact_ columns, or follows its key's facts row. */
const storedFact = (ledger: Ledger, id: number) => (new Database(ledger.path).prepare('SELECT coalesce(fact, fact_status) AS copy FROM changes WHERE id = ?').get(id) as { copy: unknown }).copy;

describe('changes that follow their fact', () => {
  it('store no copy of the fact they propose, and read it from the facts table', () => {
    const ledger = fileLedger();
    const fact = factOf(1.25, '2026-07-01T00:00:00.000Z');
    ledger.facts.replace([fact]);
    const id = ledger.changes.insert(proposalOf(fact), AT, true);
    expect(storedFact(ledger, id)).toBeNull();
    expect(ledger.changes.get(id)!.fact).toEqual(fact);
    expect(ledger.changes.list({ status: 'pending' }).map((c) => c.fact)).toEqual([fact]);
    expect(ledger.changes.open(new Set(['openai/gpt-5.2\u0000input_price\u0000']))[0].fact).toEqual(fact);
  });

  it('follow newer evidence for the same value while pending, and take a copy of the fact they are approved with', () => {
    const ledger = fileLedger();
    const first = factOf(1.25, '2026-07-01T00:00:00.000Z');
    ledger.facts.replace([first]);
    const pending = ledger.changes.insert(proposalOf(first), AT, true);
    const newer = factOf(1.25, '2026-07-08T00:00:00.000Z', ['a', 'b', 'c']);
    ledger.facts.replace([newer]);
    expect(storedFact(ledger, pending)).toBeNull();
    expect(ledger.changes.get(pending)!.fact).toEqual(newer);

    ledger.changes.setStatus(pending, 'approved', review);
    expect(storedFact(ledger, pending)).not.toBeNull();
    const latest = factOf(1.25, '2026-07-15T00:00:00.000Z', ['a']);
    ledger.facts.replace([latest]);
    expect(storedFact(ledger, pending)).not.toBeNull();
    expect(ledger.changes.get(pending)!.fact).toEqual(newer);
  });

  it('keep the fact they proposed when its value moves, when it is no longer stated, and when superseded', () => {
    const ledger = fileLedger();
    const first = factOf(1.25, '2026-07-01T00:00:00.000Z');
    ledger.facts.replace([first]);
    const moved = ledger.changes.insert(proposalOf(first), AT, true);
    ledger.facts.replace([factOf(1.5, '2026-07-08T00:00:00.000Z')]);
    expect(ledger.changes.get(moved)!.fact).toEqual(first);

    const second = factOf(1.5, '2026-07-08T00:00:00.000Z');
    const gone = ledger.changes.insert(proposalOf(second), AT, true);
    ledger.facts.replace([]);
    expect(ledger.changes.get(gone)!.fact).toEqual(second);

    const third = factOf(2, '2026-07-15T00:00:00.000Z');
    ledger.facts.replace([third]);
    const superseded = ledger.changes.insert(proposalOf(third), AT, true);
    ledger.changes.setStatus(superseded, 'superseded', { reviewer: null, at: AT, note: null });
    ledger.facts.replace([factOf(2, '2026-07-22T00:00:00.000Z', ['c'])]);
    expect(ledger.changes.get(superseded)!.fact).toEqual(third);
  });

  it('keep their own copy when queued without following (a backfill)', () => {
    const ledger = fileLedger();
    const older = factOf(3, '2026-03-01T00:00:00.000Z');
    ledger.facts.replace([factOf(1.25, '2026-07-01T00:00:00.000Z')]);
    const id = ledger.changes.insert(proposalOf(older), AT);
    expect(storedFact(ledger, id)).not.toBeNull();
    expect(ledger.changes.get(id)!.fact).toEqual(older);
  });

  it("read a copy stored whole, as changes were before they kept the facts row's columns", () => {
    const ledger = fileLedger();
    const fact = factOf(1.25, '2026-07-01T00:00:00.000Z');
    const id = ledger.changes.insert(proposalOf(fact), AT);
    new Database(ledger.path).prepare('UPDATE changes SET fact = ?, fact_status = NULL, fact_confidence = NULL, fact_rule = NULL, fact_explanation = NULL, fact_claims = NULL WHERE id = ?').run(JSON.stringify(fact), id);
    expect(ledger.changes.get(id)!.fact).toEqual(fact);
  });

  it('are an error, not a removal, when the fact they follow is missing from a ledger edited by hand', () => {
    const ledger = fileLedger();
    const fact = factOf(1.25, '2026-07-01T00:00:00.000Z');
    ledger.facts.replace([fact]);
    const id = ledger.changes.insert(proposalOf(fact), AT, true);
    new Database(ledger.path).prepare('DELETE FROM facts').run();
    expect(() => ledger.changes.get(id)).toThrow(/follows the fact of openai\/gpt-5.2 input_price/);
  });
});

describe('the newest approval', () => {
  it("is the latest approved change's decision time, whatever was rejected or superseded after it, and '' before any", () => {
    const ledger = new Ledger(':memory:');
    expect(ledger.changes.lastApprovedAt()).toBe('');
    const ids = [1, 2, 3, 4].map((v) => ledger.changes.insert(proposalOf({ ...factOf(v, '2026-07-01T00:00:00.000Z'), condition: `tier:${v}` }), AT, false));
    ledger.changes.setStatus(ids[0], 'approved', { ...review, at: '2026-08-03T00:00:00.000Z' });
    ledger.changes.setStatus(ids[1], 'approved', { ...review, at: '2026-08-05T00:00:00.000Z' });
    ledger.changes.setStatus(ids[2], 'rejected', { ...review, at: '2026-08-09T00:00:00.000Z' });
    ledger.changes.setStatus(ids[3], 'superseded', { reviewer: null, at: '2026-08-10T00:00:00.000Z', note: null });
    expect(ledger.changes.lastApprovedAt()).toBe('2026-08-05T00:00:00.000Z');
  });
});

describe('changes listed by id', () => {
  it('are exactly those ids that exist, in id order, of any status unless one is asked for', () => {
    const ledger = new Ledger(':memory:');
    const ids = [1, 2, 3].map((v) => ledger.changes.insert(proposalOf({ ...factOf(v, '2026-07-01T00:00:00.000Z'), condition: `tier:${v}` }), AT, false));
    ledger.changes.setStatus(ids[1], 'approved', review);
    expect(ledger.changes.list({ ids: [ids[2], ids[1], 999] }).map((c) => [c.id, c.status])).toEqual([[ids[1], 'approved'], [ids[2], 'pending']]);
    expect(ledger.changes.list({ ids: [ids[2], ids[1]], status: 'pending' }).map((c) => c.id)).toEqual([ids[2]]);
    expect(ledger.changes.list({ ids: [] })).toEqual([]);
    expect(ledger.changes.list().map((c) => c.id)).toEqual(ids);
  });
});
