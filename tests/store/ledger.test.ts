import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { keyOf } from '../../src/schema/key.ts';
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

  it('starts the next interval earlier when a backfilled older value equals it, instead of two equal intervals', () => {
    const ledger = new Ledger(':memory:');
    ledger.history.insertInterval(key, value(2, '2026-01-01T00:00:00.000Z'));
    ledger.history.insertInterval(key, value(3, '2026-07-21T00:00:00.000Z'));
    ledger.history.insertInterval(key, value(3, '2026-03-01T00:00:00.000Z'));
    expect(ledger.history.list(key).map((h) => [h.value, h.valid_from.slice(0, 10), h.valid_to?.slice(0, 10) ?? null])).toEqual([
      [2, '2026-01-01', '2026-03-01'],
      [3, '2026-03-01', null],
    ]);
    expect(ledger.history.published().map((h) => h.valid_from.slice(0, 10))).toEqual(['2026-03-01']);
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

  it('reads the open intervals of only the keys asked for, conditions and models that differ in one part kept apart', () => {
    const ledger = new Ledger(':memory:');
    const keys = [key, { ...key, condition: 'context>200000' }, { ...key, field: 'output_price' }, { ...key, model: 'openai/gpt-5.2' }];
    keys.forEach((k, i) => ledger.history.insertInterval(k, value(1 + i, '2026-07-17T00:00:00.000Z')));
    ledger.history.insertInterval(keys[1], value(9, '2026-07-21T00:00:00.000Z'));
    const asked = new Set([keyOf(keys[1]), keyOf(keys[3]), keyOf({ ...key, model: 'openai/none' })]);
    expect(ledger.history.publishedValues(asked)).toEqual([
      { model: 'openai/gpt-5.2', field: 'input_price', condition: '', value: 4, valid_from: '2026-07-17T00:00:00.000Z' },
      { model: 'openai/gpt-5.2-codex', field: 'input_price', condition: 'context>200000', value: 9, valid_from: '2026-07-21T00:00:00.000Z' },
    ]);
    expect(ledger.history.publishedValues(new Set())).toEqual([]);
    expect(ledger.history.publishedValues()).toHaveLength(4);
    expect(ledger.history.publishedValues()).toEqual(ledger.history.published().map(({ model, field, condition, value, valid_from }) => ({ model, field, condition, value, valid_from })));
    expect([...ledger.history.publishedModels()].sort()).toEqual(['openai/gpt-5.2', 'openai/gpt-5.2-codex']);
    expect(ledger.history.publishedOf('openai/gpt-5.2-codex').map((h) => [h.field, h.condition, h.value])).toEqual([
      ['input_price', '', 1],
      ['input_price', 'context>200000', 9],
      ['output_price', '', 3],
    ]);
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

  it('stores a body compressed and reads it back as it was, and a body stored gzipped as well', () => {
    const ledger = new Ledger(':memory:');
    ledger.captures.putSnapshot({ sha256, body, content_type: 'application/json' });
    const row = ledger.db.prepare('SELECT body, encoding, bytes FROM snapshots').get() as { body: Buffer; encoding: string; bytes: number };
    expect(row.encoding).toBe('br');
    expect(row.bytes).toBe(Buffer.byteLength(body));
    expect(row.body.length).toBeLessThan(body.length / 5);
    expect(ledger.captures.snapshotBody(sha256)).toBe(body);
    expect(ledger.captures.compressedBody(sha256)).toEqual(row.body);

    const older = 'b'.repeat(64);
    ledger.db.prepare("INSERT INTO snapshots (sha256, body, content_type, bytes, encoding) VALUES (?, ?, NULL, ?, 'gzip')").run(older, gzipSync(body), body.length);
    expect(ledger.captures.snapshotBody(older)).toBe(body);
    expect(brotliDecompressSync(ledger.captures.compressedBody(older)!).toString()).toBe(body);
  });

  it('still reads the plain bodies and the claims a ledger stored before bodies were compressed and claims stored once', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ml-snapshots-')), 'old.sqlite');
    const before = MIGRATIONS.findIndex((m) => m.includes('ADD COLUMN encoding'));
    const old = new Database(path);
    for (const migration of MIGRATIONS.slice(0, before)) old.exec(migration);
    old.pragma(`user_version = ${before}`);
    old.prepare('INSERT INTO snapshots (sha256, body, content_type, bytes) VALUES (?, ?, ?, ?)').run(sha256, body, null, body.length);
    old.prepare("INSERT INTO captures (id, source_id, sha256, url, format, observed_at, origin, outcome) VALUES (1, 's', ?, 'https://s.example/', 'json', '2026-08-01', 'fetch', 'extracted')").run(sha256);
    old.prepare(
      "INSERT INTO claims (capture_id, source_id, snapshot_hash, observed_at, model, model_name, field, condition, value, locator, quote, confidence) VALUES (1, 's', ?, '2026-08-01', 'm/x', 'X', 'input_price', '', '1.5', 'l', 'q', 0.9)",
    ).run(sha256);
    old.close();

    const ledger = new Ledger(path);
    expect(ledger.captures.snapshotBody(sha256)).toBe(body);
    expect(ledger.claims.ofCapture(1).map((c) => [c.model, c.value, c.snapshot_hash])).toEqual([['m/x', 1.5, sha256]]);
    ledger.captures.putSnapshot({ sha256: 'b'.repeat(64), body: 'new', content_type: null });
    expect(ledger.captures.snapshotBody('b'.repeat(64))).toBe('new');
    ledger.close();
  });
});

describe('a ledger from a newer model-ledger', () => {
  it('is refused, untouched, rather than read with this schema', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ml-newer-')), 'ledger.sqlite');
    new Ledger(path).close();
    const newer = new Database(path);
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    expect(() => new Ledger(path)).toThrow(expect.objectContaining({ kind: 'input', message: expect.stringMatching(/written by a newer model-ledger \(ledger schema \d+; this one knows up to \d+\)/) }));
    const after = new Database(path);
    expect(after.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    after.close();
  });
});

describe('source validators', () => {
  it("are a new basis's own, none when it came without; a read that keeps the basis keeps those not sent again", () => {
    const ledger = new Ledger(':memory:');
    const at = '2026-08-01T00:00:00.000Z';
    const page = (sha: string) => ledger.captures.add({ source_id: 'pages', sha256: sha.repeat(64), observed_at: at, url: 'https://pages.example/', format: 'html', content_type: null, body: sha }, 'fetch', 'extracted', null);
    const validators = () => ledger.sources.conditionalStates().get('pages');
    ledger.sources.recordSuccess('pages', at, { captureId: page('1').id, etag: '"e1"', lastModified: 'Sat, 01 Aug 2026 00:00:00 GMT' });
    ledger.sources.recordSuccess('pages', at, { etag: null, lastModified: null }); // a 304 that sent none back
    expect(validators()).toMatchObject({ etag: '"e1"', last_modified: 'Sat, 01 Aug 2026 00:00:00 GMT' });
    // The page changed and its new version came without an ETag: "e1" would now answer 304 for a page the ledger no longer holds.
    ledger.sources.recordSuccess('pages', at, { captureId: page('2').id, etag: null, lastModified: null });
    expect(validators()).toMatchObject({ etag: null, last_modified: null });
  });
});

describe('Ledger claims stored once', () => {
  const claim = (model: string, value: number) => ({ model, model_name: model, field: 'input_price' as const, value, unit: 'USD/1M tokens', condition: '', locator: `row ${model}`, quote: `$${value}`, confidence: 0.9 });
  const capture = (sha: string, observedAt: string) => ({ source_id: 'pages', sha256: sha.repeat(64), observed_at: observedAt, url: 'https://pages.example/', format: 'html' as const, content_type: null, body: `<p>${sha}</p>` });
  const claimRows = (ledger: Ledger) => (ledger.db.prepare('SELECT COUNT(*) AS n FROM claims').get() as { n: number }).n;

  it('does not store again the claims a capture repeats from its source, yet reads them under that capture', () => {
    const ledger = new Ledger(':memory:');
    const claims = [claim('a/one', 1), claim('a/two', 2)];
    const first = ledger.captures.add(capture('1', '2026-08-01T00:00:00.000Z'), 'fetch', 'extracted', { claims, notes: [], drift: [] });
    const second = ledger.captures.add(capture('2', '2026-08-08T00:00:00.000Z'), 'fetch', 'extracted', { claims, notes: [], drift: [] });
    expect(claimRows(ledger)).toBe(2);
    ledger.sources.recordSuccess('pages', '2026-08-08T00:00:00.000Z', { captureId: second.id });
    for (const read of [ledger.claims.ofCapture(second.id), ledger.claims.current(), ledger.claims.ofCaptureForModel(second.id, 'a/two')]) {
      expect(read.every((c) => c.snapshot_hash === '2'.repeat(64) && c.observed_at === '2026-08-08T00:00:00.000Z')).toBe(true);
    }
    expect(ledger.claims.current().map((c) => [c.model, c.value])).toEqual([['a/one', 1], ['a/two', 2]]);
    expect(ledger.claims.ofCapture(first.id).map((c) => c.snapshot_hash)).toEqual(['1'.repeat(64), '1'.repeat(64)]);
    expect(ledger.claims.asOf('2026-08-02T00:00:00.000Z').map((c) => c.snapshot_hash)).toEqual(['1'.repeat(64), '1'.repeat(64)]);

    // A third capture that repeats the second extends the same rows; one that moves a price stores only that claim.
    const third = ledger.captures.add(capture('3', '2026-08-15T00:00:00.000Z'), 'fetch', 'extracted', { claims, notes: [], drift: [] });
    expect(claimRows(ledger)).toBe(2);
    expect(ledger.claims.ofCapture(third.id)).toHaveLength(2);
    const moved = ledger.captures.add(capture('4', '2026-08-22T00:00:00.000Z'), 'fetch', 'extracted', { claims: [claim('a/one', 1), claim('a/two', 2.5)], notes: [], drift: [] });
    expect(claimRows(ledger)).toBe(3);
    expect(ledger.claims.ofCapture(moved.id).map((c) => c.value)).toEqual([1, 2.5]);
    expect(ledger.claims.ofCapture(third.id).map((c) => c.value)).toEqual([1, 2]);
    expect(ledger.claims.ofCaptureForModel(moved.id, 'a/two').map((c) => [c.value, c.snapshot_hash])).toEqual([[2.5, '4'.repeat(64)]]);

    // Another source's capture never extends these rows, and a capture without claims ends their run.
    ledger.captures.add({ ...capture('5', '2026-08-23T00:00:00.000Z'), source_id: 'other' }, 'fetch', 'extracted', { claims, notes: [], drift: [] });
    expect(claimRows(ledger)).toBe(5);
    const empty = ledger.captures.add(capture('6', '2026-08-29T00:00:00.000Z'), 'fetch', 'drift', { claims: [], notes: [], drift: ['too large'] });
    expect(ledger.claims.ofCapture(empty.id)).toEqual([]);
    const after = ledger.captures.add(capture('7', '2026-09-05T00:00:00.000Z'), 'fetch', 'extracted', { claims, notes: [], drift: [] });
    expect(claimRows(ledger)).toBe(7);
    expect(ledger.claims.ofCapture(after.id).map((c) => c.value)).toEqual([1, 2]);
  });

  it('reads the current claims in the order they were stored, across sources and runs of captures', () => {
    const ledger = new Ledger(':memory:');
    ledger.captures.add(capture('1', '2026-08-01T00:00:00.000Z'), 'fetch', 'extracted', { claims: [claim('a/one', 1), claim('a/two', 2)], notes: [], drift: [] });
    const other = ledger.captures.add({ ...capture('2', '2026-08-01T00:00:00.000Z'), source_id: 'other' }, 'fetch', 'extracted', { claims: [claim('b/one', 5)], notes: [], drift: [] });
    // The second capture repeats a/two (its row, stored before b/one, runs on) and moves a/one (a new row, after b/one).
    const second = ledger.captures.add(capture('3', '2026-08-08T00:00:00.000Z'), 'fetch', 'extracted', { claims: [claim('a/one', 1.5), claim('a/two', 2)], notes: [], drift: [] });
    ledger.sources.recordSuccess('pages', '2026-08-08T00:00:00.000Z', { captureId: second.id });
    ledger.sources.recordSuccess('other', '2026-08-08T00:00:00.000Z', { captureId: other.id });
    expect(ledger.claims.current().map((c) => [c.model, c.value, c.source_id])).toEqual([
      ['a/two', 2, 'pages'],
      ['b/one', 5, 'other'],
      ['a/one', 1.5, 'pages'],
    ]);
  });
});

describe('Ledger model names', () => {
  const record = (name: string) => ({ id: 'abacusai/dracarys-72b-instruct', name, provider: 'abacusai', family: 'dracarys-72b-instruct', version: null });
  const nameOf = (ledger: Ledger) => ledger.models.list()[0].name;

  it('shows a route key by its model segment, and lets a printed product name replace a slug but not the reverse', () => {
    const ledger = new Ledger(':memory:');
    ledger.models.upsert({ ...record('workers-ai/@cf/abacusai/dracarys-72b-instruct') }, '2026-07-17');
    expect(nameOf(ledger)).toBe('dracarys-72b-instruct');
    ledger.models.upsert({ ...record('Dracarys 72B Instruct') }, '2026-07-18');
    expect(nameOf(ledger)).toBe('Dracarys 72B Instruct');
    ledger.models.upsert({ ...record('openrouter/abacusai/dracarys-72b-instruct') }, '2026-07-19');
    expect(nameOf(ledger)).toBe('Dracarys 72B Instruct');
  });

  it('replaces a route key a ledger stored before keys were shortened, even by the same key', () => {
    const ledger = new Ledger(':memory:');
    ledger.models.upsert({ ...record('Dracarys') }, '2026-07-17');
    ledger.db.prepare('UPDATE models SET name = ?').run('abacusai/Dracarys-72B-Instruct');
    ledger.models.upsert({ ...record('abacusai/Dracarys-72B-Instruct') }, '2026-07-18');
    expect(nameOf(ledger)).toBe('Dracarys-72B-Instruct');
  });
});
