import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, isBusy } from '../../src/store/db.ts';
import { Ledger } from '../../src/store/ledger.ts';

const ledgerFile = () => join(mkdtempSync(join(tmpdir(), 'ml-concurrency-')), 'ledger.sqlite');

function busyError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}

describe('two connections on one ledger file', () => {
  it('every connection waits for a writer (busy timeout) instead of failing at once', () => {
    const path = ledgerFile();
    const ledger = new Ledger(path);
    expect(ledger.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    ledger.setBusyTimeout(200);
    expect(ledger.db.pragma('busy_timeout', { simple: true })).toBe(200);
    ledger.close();
  });

  it('a transaction holds the write lock from its first statement, a read, so no other writer slips in', () => {
    const path = ledgerFile();
    const sync = new Ledger(path);
    const desk = new Ledger(path, { busyTimeoutMs: 0 });
    const order: string[] = [];
    sync.transaction(() => {
      sync.runs.meta('diff_basis'); // reads first, as reconcile-and-queue does
      const e = busyError(() => desk.runs.setMeta('approved', 'x'));
      order.push(isBusy(e) ? 'other writer waits' : 'other writer committed');
      sync.runs.setMeta('diff_basis', 'b');
      order.push('transaction wrote');
    });
    desk.runs.setMeta('approved', 'x');
    order.push('other writer committed after');
    expect(order).toEqual(['other writer waits', 'transaction wrote', 'other writer committed after']);
    expect(desk.runs.meta('diff_basis')).toBe('b');
    sync.close();
    desk.close();
  });

  it('a transaction that read before another connection committed still commits its writes', () => {
    const path = ledgerFile();
    const a = new Ledger(path);
    const b = new Ledger(path, { busyTimeoutMs: 0 });
    // With a deferred BEGIN, b's commit between a's read and a's write fails a's write with
    // SQLITE_BUSY_SNAPSHOT; with BEGIN IMMEDIATE b has to wait for a, and both writes land.
    const e = busyError(() =>
      a.transaction(() => {
        a.runs.meta('k');
        busyError(() => b.runs.setMeta('b', '1'));
        a.runs.setMeta('a', '1');
      }),
    );
    expect(e).toBeNull();
    b.runs.setMeta('b', '1');
    expect([a.runs.meta('a'), a.runs.meta('b')]).toEqual(['1', '1']);
    a.close();
    b.close();
  });
});
