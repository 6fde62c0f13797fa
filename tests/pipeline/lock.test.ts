import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { acquireLock, processStart } from '../../src/pipeline/lock.ts';
import { LedgerError } from '../../src/errors.ts';

const ledgerPath = () => join(mkdtempSync(join(tmpdir(), 'ml-lock-')), 'ledger.sqlite');
/** Above Linux's largest pid_max (2^22): never a live process. */
const DEAD_PID = 2 ** 22 + 12345;
const holderOf = (db: string) => JSON.parse(readFileSync(`${db}.lock`, 'utf8'));
const writeLock = (db: string, holder: object) => writeFileSync(`${db}.lock`, JSON.stringify({ started_at: '2026-01-01T00:00:00Z', ...holder }));

function lockedBy(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof LedgerError && e.kind === 'locked') return 'locked';
    throw e;
  }
  return 'won';
}

describe('the ledger lock records who holds it', () => {
  it('records the pid, the process start time and the host', () => {
    const db = ledgerPath();
    const release = acquireLock(db);
    const holder = holderOf(db);
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    expect(holder.start).toBe(processStart(process.pid));
    expect(holder.start).not.toBeNull();
    release();
  });

  it('takes over a lock whose pid is alive but now names another process (pid reuse)', () => {
    const db = ledgerPath();
    writeLock(db, { pid: process.pid, start: 'linux:another-boot:1', host: hostname(), token: 'old' });
    const release = acquireLock(db);
    expect(holderOf(db).start).toBe(processStart(process.pid));
    release();
  });

  it('refuses a lock whose pid is alive and is still the process that took it', () => {
    const db = ledgerPath();
    writeLock(db, { pid: process.pid, start: processStart(process.pid), host: hostname(), token: 'held' });
    expect(lockedBy(() => acquireLock(db))).toBe('locked');
    expect(holderOf(db).token).toBe('held');
  });

  it('leaves a lock taken on another host alone, even if its pid means nothing here, unless over a day old', () => {
    const db = ledgerPath();
    writeLock(db, { pid: DEAD_PID, start: 'x', host: 'another-host.example', token: 'remote' });
    expect(lockedBy(() => acquireLock(db))).toBe('locked');
    const old = new Date(Date.now() - 25 * 60 * 60_000);
    utimesSync(`${db}.lock`, old, old);
    const release = acquireLock(db);
    expect(holderOf(db).host).toBe(hostname());
    release();
  });

  it('releases only its own lock, never one another process took over meanwhile', () => {
    const db = ledgerPath();
    const release = acquireLock(db);
    writeLock(db, { pid: process.pid, start: processStart(process.pid), host: hostname(), token: 'newer' });
    release();
    expect(holderOf(db).token).toBe('newer');
  });
});

describe('taking over a stale lock', () => {
  it('lets exactly one of two contenders win when both judged the lock stale before either replaced it', () => {
    const db = ledgerPath();
    writeLock(db, { pid: DEAD_PID, start: 'x', host: hostname(), token: 'stale' });
    const order: string[] = [];
    // The first contender reads the stale lock, then the second runs its whole takeover before the first goes on.
    const first = lockedBy(() =>
      acquireLock(db, {
        afterStale: () => {
          if (order.length) return;
          order.push('first read stale');
          order.push(`second ${lockedBy(() => acquireLock(db))}`);
        },
      }),
    );
    order.push(`first ${first}`);
    expect(order).toEqual(['first read stale', 'second won', 'first locked']);
  });

  it('over 300 trials of two threads started together on one stale lock, exactly one wins each time', async () => {
    const db = ledgerPath();
    const signal = new SharedArrayBuffer(4);
    const go = new Int32Array(signal);
    const module = new URL('../../src/pipeline/lock.ts', import.meta.url).href;
    const contenders = [0, 1].map(() => new Worker(new URL('../helpers/lock-contender.mjs', import.meta.url), { workerData: { db, signal, module } }));
    const results = new Map<number, string[]>();
    let settle: (() => void) | null = null;
    let ready = 0;
    const readyAll = new Promise<void>((resolve) => {
      for (const w of contenders) {
        w.on('message', (m: { ready?: boolean; trial: number; outcome: string }) => {
          if (m.ready) return ++ready === 2 && resolve();
          const got = results.get(m.trial) ?? [];
          got.push(m.outcome);
          results.set(m.trial, got);
          if (got.length === 2) settle?.();
        });
      }
    });
    try {
      await readyAll;
      const TRIALS = 300;
      for (let trial = 1; trial <= TRIALS; trial++) {
        rmSync(`${db}.lock`, { force: true });
        writeLock(db, { pid: DEAD_PID, start: 'x', host: hostname(), token: `stale-${trial}` });
        const done = new Promise<void>((resolve) => (settle = resolve));
        Atomics.store(go, 0, trial);
        Atomics.notify(go, 0);
        await done;
      }
      const tally = { oneWinner: 0, other: [] as string[] };
      for (const [trial, outcomes] of results) {
        if ([...outcomes].sort().join() === 'locked,won') tally.oneWinner++;
        else tally.other.push(`trial ${trial}: ${outcomes.join(', ')}`);
      }
      expect(tally.other).toEqual([]);
      expect(tally.oneWinner).toBe(TRIALS);
    } finally {
      Atomics.store(go, 0, -1);
      Atomics.notify(go, 0);
      await Promise.all(contenders.map((w) => w.terminate()));
    }
  });
});
