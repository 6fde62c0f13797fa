import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/store/ledger.ts';

const key = { model: 'openai/gpt-5.2-codex', field: 'input_price', condition: '' };
const value = (v: number, from: string, change_id: number | null = null) => ({
  value: v,
  unit: 'USD/1M tokens',
  status: 'agreed' as const,
  confidence: 0.9,
  sources: [],
  valid_from: from,
  change_id,
});

describe('Ledger history intervals', () => {
  it('closes the open interval when a newer value arrives', () => {
    const ledger = new Ledger(':memory:');
    ledger.history.insertInterval(key, value(3, '2026-07-17T00:00:00.000Z'));
    ledger.history.insertInterval(key, value(1.75, '2026-07-21T00:00:00.000Z'));
    expect(ledger.history.list(key).map((h) => [h.value, h.valid_from.slice(0, 10), h.valid_to?.slice(0, 10) ?? null])).toEqual([
      [3, '2026-07-17', '2026-07-21'],
      [1.75, '2026-07-21', null],
    ]);
    expect(ledger.history.publishedAt('2026-07-18').map((h) => h.value)).toEqual([3]);
    expect(ledger.history.publishedAt('2026-07-22').map((h) => h.value)).toEqual([1.75]);
    expect(ledger.history.publishedAt('2026-07-16')).toEqual([]);
  });

  it('inserts a backfilled older value before the existing ones', () => {
    const ledger = new Ledger(':memory:');
    ledger.history.insertInterval(key, value(1.75, '2026-07-21T00:00:00.000Z'));
    ledger.history.insertInterval(key, value(3, '2026-03-01T00:00:00.000Z'));
    expect(ledger.history.list(key).map((h) => [h.value, h.valid_from.slice(0, 10), h.valid_to?.slice(0, 10) ?? null])).toEqual([
      [3, '2026-03-01', '2026-07-21'],
      [1.75, '2026-07-21', null],
    ]);
    expect(ledger.history.published().map((h) => h.value)).toEqual([1.75]);
  });

  it('keeps an approved value that a same-moment correction replaced, as an empty interval', () => {
    const ledger = new Ledger(':memory:');
    ledger.history.insertInterval(key, value(0.12, '2026-08-08T00:00:00.000Z'));
    ledger.history.insertInterval(key, value(0.13, '2026-08-08T00:00:00.000Z'));
    expect(ledger.history.list(key).map((h) => [h.value, h.valid_to?.slice(0, 10) ?? null])).toEqual([
      [0.12, '2026-08-08'],
      [0.13, null],
    ]);
    expect(ledger.history.publishedAt('2026-08-08').map((h) => h.value)).toEqual([0.13]);
    expect(ledger.history.published().map((h) => h.value)).toEqual([0.13]);
  });

  it('ends a timeline when a value is removed', () => {
    const ledger = new Ledger(':memory:');
    ledger.history.insertInterval(key, value(3, '2026-07-17T00:00:00.000Z'));
    ledger.history.insertInterval(key, { value: null, valid_from: '2026-08-01T00:00:00.000Z', change_id: null });
    expect(ledger.history.published()).toEqual([]);
    expect(ledger.history.publishedAt('2026-07-20').map((h) => h.value)).toEqual([3]);
  });

  it('keeps the audit log append-only', () => {
    const ledger = new Ledger(':memory:');
    ledger.audit.record('ana', 'approve', 'change 1', {}, '2026-07-22T00:00:00.000Z');
    expect(() => ledger.db.prepare('UPDATE audit_log SET actor = ?').run('mallory')).toThrow(/append-only/);
    expect(() => ledger.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(ledger.audit.log()).toHaveLength(1);
  });
});
