import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/store/ledger.ts';

/** A ledger whose WAL holds a few MB that are not yet in the database file. */
function ledgerWithWal(): { ledger: Ledger; path: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'ml-checkpoint-')), 'ledger.sqlite');
  const ledger = new Ledger(path);
  const body = 'x'.repeat(512 * 1024);
  ledger.transaction(() => {
    for (let i = 0; i < 8; i++) ledger.runs.setMeta(`filler-${i}`, body + i);
  });
  return { ledger, path };
}

describe('checkpoint on another thread', () => {
  it('copies the WAL into the database file while this connection stays open and usable', async () => {
    const { ledger, path } = ledgerWithWal();
    const before = statSync(path).size;
    ledger.checkpointAside(1024 * 1024);
    ledger.runs.setMeta('written-meanwhile', 'yes');
    await ledger.checkpointed();
    expect(statSync(path).size).toBeGreaterThan(before + 3 * 1024 * 1024);
    expect(ledger.runs.meta('filler-7')).toBe('x'.repeat(512 * 1024) + 7);
    expect(ledger.runs.meta('written-meanwhile')).toBe('yes');
    ledger.close();
    expect(new Ledger(path).runs.meta('written-meanwhile')).toBe('yes');
  });

  it('starts nothing for a WAL below the threshold', async () => {
    const { ledger, path } = ledgerWithWal();
    const before = statSync(path).size;
    ledger.checkpointAside(1024 * 1024 * 1024);
    await ledger.checkpointed();
    expect(statSync(path).size).toBe(before);
    ledger.close();
  });
});
