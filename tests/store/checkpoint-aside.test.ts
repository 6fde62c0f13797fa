import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

  it('runs in a host started as `node --input-type=module -e`, whose flag the thread does not take', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ml-checkpoint-')), 'ledger.sqlite');
    const ledgerModule = pathToFileURL(join(import.meta.dirname, '../../src/store/ledger.ts')).href;
    const script = `
      import { statSync } from 'node:fs';
      const { Ledger } = await import(${JSON.stringify(ledgerModule)});
      const ledger = new Ledger(${JSON.stringify(path)});
      ledger.transaction(() => { for (let i = 0; i < 8; i++) ledger.runs.setMeta('filler-' + i, 'x'.repeat(512 * 1024) + i); });
      const before = statSync(${JSON.stringify(path)}).size;
      ledger.checkpointAside(1024 * 1024);
      await ledger.checkpointed();
      console.log(JSON.stringify({ before, after: statSync(${JSON.stringify(path)}).size }));
      ledger.close();
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' }).trim().split('\n').pop()!);
    // The copy happened on the thread, with this connection still open: the file holds the WAL's pages.
    expect(out.after).toBeGreaterThan(out.before + 3 * 1024 * 1024);
  });
});
