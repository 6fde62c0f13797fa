import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { LedgerError } from '../errors.ts';

/** A lock file with no readable holder is a writer mid-start for this long, and abandoned after. */
const BROKEN_LOCK_GRACE_MS = 60_000;

/**
 * A lock taken on another host (a ledger on a shared disk) cannot be checked: its PID means
 * nothing here. It is taken over only once this old, far beyond any sync.
 */
export const FOREIGN_LOCK_STALE_MS = 24 * 60 * 60_000;

/** A takeover in progress holds `<lock>.takeover` for microseconds; one this old was left by a crash. */
const TAKEOVER_GRACE_MS = 10_000;

/** What a lock file records about its holder. */
export interface LockHolder {
  pid: number;
  /** When the process started, as the OS tells it (boot id and start tick on Linux); null if unknown. */
  start: string | null;
  host: string;
  started_at: string;
  /** Unique per acquisition: a holder releases only its own lock. */
  token: string;
}

export interface LockOptions {
  /** Tests: runs after a contender judged the lock stale and before it replaces it. */
  afterStale?: () => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * When process `pid` started, so that a PID the kernel handed to another process since is not
 * mistaken for the holder: /proc/<pid>/stat's starttime (field 22) with the boot id on Linux,
 * `ps -o lstart=` elsewhere, null when neither answers.
 */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself hold spaces or ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = fields[19];
    if (startTicks) return `linux:${bootId()}:${startTicks}`;
  } catch {
    // Not Linux, or no such process.
  }
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return started ? `ps:${started}` : null;
  } catch {
    return null;
  }
}

function readLock(path: string): { raw: string; mtimeMs: number } | null {
  try {
    return { raw: readFileSync(path, 'utf8'), mtimeMs: statSync(path).mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parseHolder(raw: string): Partial<LockHolder> {
  try {
    const holder = JSON.parse(raw);
    return holder && typeof holder === 'object' ? holder : {};
  } catch {
    return {};
  }
}

/** Why the lock's holder is gone, or null while it may still hold it. */
export function staleReason(holder: Partial<LockHolder>, mtimeMs: number, now = Date.now()): string | null {
  const age = now - mtimeMs;
  if (!holder.pid) return age > BROKEN_LOCK_GRACE_MS ? 'unreadable and old' : null;
  if (holder.host && holder.host !== hostname()) return age > FOREIGN_LOCK_STALE_MS ? `taken on ${holder.host} over a day ago` : null;
  if (!alive(holder.pid)) return `pid ${holder.pid} has exited`;
  if (holder.start) {
    const start = processStart(holder.pid);
    if (start !== null && start !== holder.start) return `pid ${holder.pid} is now another process`;
  }
  return null;
}

/**
 * Creates `path` holding `content` only if no file is there, atomically and complete: the content
 * is written to a file of our own first and hard-linked into place, so no reader ever sees the
 * lock half-written. Falls back to an exclusive create where hard links are not supported.
 */
function createExclusive(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    try {
      writeFileSync(path, content, { flag: 'wx' });
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    rmSync(tmp, { force: true });
  }
}

function locked(path: string, holder: Partial<LockHolder>, extra = ''): LedgerError {
  const where = holder.host && holder.host !== hostname() ? ` on ${holder.host}` : '';
  return new LedgerError('locked', `another sync holds the ledger lock ${path} (pid ${holder.pid ?? '?'}${where}, since ${holder.started_at ?? '?'})${extra}`);
}

/** Lock files this process holds. */
const held = new Set<string>();

/** The error a sync would meet for the ledger's lock now, or null when no live holder but this process has it. */
export function lockHolder(dbPath: string): LedgerError | null {
  const path = `${dbPath}.lock`;
  if (held.has(path)) return null;
  const seen = readLock(path);
  if (!seen) return null;
  const holder = parseHolder(seen.raw);
  return staleReason(holder, seen.mtimeMs) ? null : locked(path, holder);
}

/**
 * An exclusive lock beside the ledger so that two syncs never run on it at once. It records the
 * holder's PID, the process's start time and the host. A lock whose holder has exited, or whose
 * PID now names another process (PID reuse, common in containers), is taken over; one taken on
 * another host only when over a day old. Taking over is atomic: a contender holds
 * `<lock>.takeover` (created exclusively), checks the lock is still the stale one it read, and
 * renames its own in its place, so of two contenders exactly one wins.
 */
export function acquireLock(dbPath: string, options: LockOptions = {}): () => void {
  const path = `${dbPath}.lock`;
  const takeover = `${path}.takeover`;
  // The lock comes before the ledger, so it makes the ledger's folder (data/ on a fresh clone).
  if (dbPath !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const me: LockHolder = { pid: process.pid, start: processStart(process.pid), host: hostname(), started_at: new Date().toISOString(), token: randomBytes(12).toString('hex') };
  const content = JSON.stringify(me);
  const release = () => {
    held.delete(path);
    if (readLock(path)?.raw === content) rmSync(path, { force: true });
  };
  const taken = () => {
    held.add(path);
    return release;
  };

  for (let attempt = 0; attempt < 4; attempt++) {
    if (createExclusive(path, content)) return taken();
    const seen = readLock(path);
    if (!seen) continue; // released meanwhile
    const holder = parseHolder(seen.raw);
    if (!staleReason(holder, seen.mtimeMs)) throw locked(path, holder);
    options.afterStale?.();

    if (!createExclusive(takeover, content)) {
      const other = readLock(takeover);
      const otherHolder = other ? parseHolder(other.raw) : {};
      // A takeover left by a process that died mid-way is cleared; a live one wins this round.
      if (other && (Date.now() - other.mtimeMs > TAKEOVER_GRACE_MS || (otherHolder.pid && !alive(otherHolder.pid)))) {
        rmSync(takeover, { force: true });
        continue;
      }
      throw locked(path, holder, '; another process is taking it over');
    }
    try {
      // Under the takeover lock: replace only the very lock judged stale, never a fresh one.
      if (readLock(path)?.raw !== seen.raw) continue;
      const tmp = `${path}.${process.pid}.${me.token}.tmp`;
      writeFileSync(tmp, content);
      renameSync(tmp, path);
      return taken();
    } finally {
      rmSync(takeover, { force: true });
    }
  }
  const last = readLock(path);
  throw locked(path, last ? parseHolder(last.raw) : {});
}
