import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/store/ledger.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';

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

describe('Ledger snapshots at rest', () => {
  const body = JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => ({ id: `m/model-${i}`, pricing: { prompt: '0.000001', completion: '0.000004' } })) });
  const sha256 = 'a'.repeat(64);

  it('stores a body gzipped and reads it back as it was', () => {
    const ledger = new Ledger(':memory:');
    ledger.captures.putSnapshot({ sha256, body, content_type: 'application/json' });
    const row = ledger.db.prepare('SELECT body, encoding, bytes FROM snapshots').get() as { body: Buffer; encoding: string; bytes: number };
    expect(row.encoding).toBe('gzip');
    expect(row.bytes).toBe(Buffer.byteLength(body));
    expect(row.body.length).toBeLessThan(body.length / 5);
    expect(ledger.captures.snapshotBody(sha256)).toBe(body);
  });

  it('still reads the plain bodies a ledger stored before snapshots were compressed', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ml-snapshots-')), 'old.sqlite');
    const before = MIGRATIONS.findIndex((m) => m.includes('ADD COLUMN encoding'));
    const old = new Database(path);
    for (const migration of MIGRATIONS.slice(0, before)) old.exec(migration);
    old.pragma(`user_version = ${before}`);
    old.prepare('INSERT INTO snapshots (sha256, body, content_type, bytes) VALUES (?, ?, ?, ?)').run(sha256, body, null, body.length);
    old.close();

    const ledger = new Ledger(path);
    expect(ledger.captures.snapshotBody(sha256)).toBe(body);
    ledger.captures.putSnapshot({ sha256: 'b'.repeat(64), body: 'new', content_type: null });
    expect(ledger.captures.snapshotBody('b'.repeat(64))).toBe('new');
    ledger.close();
  });
});
