import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressBody, decompressBody } from '../../src/store/compression.ts';
import { Journal, readJournal, readKeptCapture } from '../../src/store/journal.ts';
import { Ledger } from '../../src/store/ledger.ts';

const body = '<table><tr><td>GPT-5.2</td><td>$1.25</td></tr></table>';

describe('captures kept beside the journal', () => {
  it('keeps the compressed bytes under the hash once the writes are awaited, and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-captures-'));
    const journal = new Journal(join(dir, 'decisions.ndjson'));
    journal.keepCapture('vendor-a', 'a'.repeat(64), compressBody(body));
    journal.keepCapture('vendor-a', 'b'.repeat(64), compressBody(body + ' '));
    journal.keepCapture('vendor-a', 'a'.repeat(64), compressBody(body)); // the same capture again: one file
    await journal.captured();
    expect(readdirSync(join(dir, 'captures', 'vendor-a')).sort()).toEqual([`${'a'.repeat(64)}.br`, `${'b'.repeat(64)}.br`]);
    expect(decompressBody(readFileSync(join(dir, 'captures', 'vendor-a', `${'a'.repeat(64)}.br`)), 'br')).toBe(body);
    expect(readKeptCapture(journal.capturesDir, 'vendor-a', 'a'.repeat(64))).toBe(body);
  });

  it('still reads a body an older journal kept gzipped or uncompressed, and finds none that is missing or cut short', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-captures-'));
    mkdirSync(join(dir, 'vendor-b'));
    writeFileSync(join(dir, 'vendor-b', 'c'.repeat(64)), body);
    writeFileSync(join(dir, 'vendor-b', `${'d'.repeat(64)}.gz`), gzipSync(body).subarray(0, 10));
    writeFileSync(join(dir, 'vendor-b', `${'f'.repeat(64)}.gz`), gzipSync(body + '!'));
    writeFileSync(join(dir, 'vendor-b', `${'9'.repeat(64)}.br`), compressBody(body).subarray(0, 10));
    expect(readKeptCapture(dir, 'vendor-b', 'c'.repeat(64))).toBe(body);
    expect(readKeptCapture(dir, 'vendor-b', 'f'.repeat(64))).toBe(body + '!');
    expect(readKeptCapture(dir, 'vendor-b', 'd'.repeat(64))).toBeNull();
    expect(readKeptCapture(dir, 'vendor-b', '9'.repeat(64))).toBeNull();
    expect(readKeptCapture(dir, 'vendor-b', 'e'.repeat(64))).toBeNull();
  });

  it('reports a capture it could not write when the writes are awaited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-captures-'));
    writeFileSync(join(dir, 'captures'), 'a file where the directory should be');
    const journal = new Journal(join(dir, 'decisions.ndjson'));
    journal.keepCapture('vendor-c', 'f'.repeat(64), compressBody(body));
    await expect(journal.captured()).rejects.toThrow();
  });
});

describe('journal lines and the ledger that writes them', () => {
  const entry = (by: string) => ({ at: '2026-07-01T00:00:00.000Z', by, action: 'lift' as const, model: 'openai/gpt-5.2', field: 'input_price' as const, condition: '' });

  it('starts each entry on a line of its own after a last line saved without its newline', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-lines-')), 'decisions.ndjson');
    new Journal(path).append([entry('ana')]);
    writeFileSync(path, readFileSync(path, 'utf8').trimEnd());
    new Journal(path).append([entry('bob')]);
    expect(readJournal(path).map((e) => e.by)).toEqual(['ana', 'bob']);
  });

  it('refuses a decision once the journal is not where its ledger left it, and writes nothing', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-lines-')), 'decisions.ndjson');
    let mark: { path: string; bytes: number } | null = null;
    const ledgerMark = { get: () => mark, set: (m: { path: string; bytes: number }) => (mark = m), hold: <T>(fn: () => T): T => fn(), trace: () => '' };
    new Journal(path, ledgerMark).append([entry('ana')]);
    expect(mark!.bytes).toBe(statSync(path).size);
    // Another writer (a second ledger, a killed command whose ledger never committed) appended.
    new Journal(path).append([entry('bob')]);
    const before = readFileSync(path, 'utf8');
    expect(() => new Journal(path, ledgerMark).append([entry('carla')])).toThrow(/not in step with its journal/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    // Shrunk below it (a reset, an edit) is out of step too.
    writeFileSync(path, '');
    expect(() => new Journal(path, ledgerMark).append([entry('carla')])).toThrow(/not in step/);
    writeFileSync(path, before.split('\n')[0] + '\n');
    // Once the ledger stands where the journal does (a rebuild), decisions go on.
    mark = { path: mark!.path, bytes: statSync(path).size };
    new Journal(path, ledgerMark).append([entry('carla')]);
    expect(readJournal(path).map((e) => e.by)).toEqual(['ana', 'carla']);
    // A mistyped journal path would start a second record: refused while the ledger's own journal exists.
    const typo = join(dirname(path), 'decisons.ndjson');
    expect(() => new Journal(typo, ledgerMark).append([entry('dan')])).toThrow(/records its decisions in .*decisions\.ndjson, not .*decisons\.ndjson/);
    expect(existsSync(typo)).toBe(false);
  });
});

describe('journal appends of two commands on one ledger', () => {
  it('take the ledger write lock, so one appends only once the other committed its mark', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-lock-'));
    const path = join(dir, 'decisions.ndjson');
    const sync = new Ledger(join(dir, 'ledger.sqlite'));
    const approve = new Ledger(join(dir, 'ledger.sqlite'));
    approve.setBusyTimeout(0);
    const entry = { at: '2026-07-01T00:00:00.000Z', by: 'ana', action: 'lift' as const, model: 'openai/gpt-5.2', field: 'input_price' as const, condition: '' };
    sync.transaction(() => {
      new Journal(path, sync.journalMark()).append([entry]);
      // Mid-way through the other's transaction: no append, so no mark computed from a size about to change.
      expect(() => new Journal(path, approve.journalMark()).append([{ ...entry, by: 'bob' }])).toThrow(/locked|busy/i);
    });
    new Journal(path, approve.journalMark()).append([{ ...entry, by: 'bob' }]);
    new Journal(path, sync.journalMark()).append([{ ...entry, by: 'carla' }]);
    expect(readJournal(path).map((e) => e.by)).toEqual(['ana', 'bob', 'carla']);
    sync.close();
    approve.close();
  });
});
