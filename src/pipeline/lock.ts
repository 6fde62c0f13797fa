import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { LedgerError } from '../errors.ts';

/** A lock file with no readable holder is a writer mid-start for this long, and abandoned after. */
const BROKEN_LOCK_GRACE_MS = 60_000;


function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock beside the ledger so that two syncs never run on it at once. A lock left
 * by a process that no longer exists is taken over rather than blocking the weekly job forever.
 */
export function acquireLock(dbPath: string): () => void {
  const path = `${dbPath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, started_at: new Date().toISOString() }));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid?: number; started_at?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        // Unreadable: either its writer is mid-start (a fresh file) or it was left broken long ago.
      }
      const abandoned = !holder.pid && Date.now() - statSync(path).mtimeMs > BROKEN_LOCK_GRACE_MS;
      if (abandoned || (holder.pid && !alive(holder.pid))) {
        rmSync(path, { force: true });
        continue;
      }
      throw new LedgerError('locked', `another sync holds the ledger lock ${path} (pid ${holder.pid ?? '?'}, since ${holder.started_at ?? '?'})`);
    }
  }
  throw new LedgerError('locked', `could not take the ledger lock ${path}`);
}
