import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { inputError } from '../errors.ts';
import { DEFAULT_DB_PATH } from '../paths.ts';
import { parseKey } from '../schema/key.ts';
import { startWorker } from '../worker-flags.ts';
import { MIGRATIONS } from './migrations.ts';
import type { Row } from './rows.ts';

export { DEFAULT_DB_PATH };

/**
 * How long a statement waits for another connection's write transaction to commit before it
 * fails with SQLITE_BUSY. A sync's reconcile-and-queue transaction over the full default set
 * holds the write lock for tens of seconds; a reviewer's approval waits it out rather than fail.
 */
export const BUSY_TIMEOUT_MS = 60_000;

export interface LedgerDbOptions {
  /** Busy timeout of this connection (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

/**
 * Why the file at `path` cannot be a ledger, as the user's to fix (bad input, exit 65) rather than
 * an internal error: --db names something else, a directory, or a file this user may not write
 * (the ledger is written even to be read: its WAL, its migrations). Anything else is rethrown.
 */
function unusableLedger(path: string, error: unknown): unknown {
  const code = error instanceof Database.SqliteError ? error.code : '';
  if (code === 'SQLITE_NOTADB') return inputError(`${path} is not a ledger: the file is not an SQLite database (--db names the ledger file)`);
  if (code.startsWith('SQLITE_READONLY')) return inputError(`the ledger at ${path} is read-only: model-ledger writes to it, and to ${path}-wal beside it, even to read it`);
  if (code.startsWith('SQLITE_CANTOPEN')) return inputError(`cannot open a ledger at ${path}: it is a directory, or this user may not read or create it`);
  return error;
}

/** Another connection holds the write lock (SQLITE_BUSY and its extended codes), past the busy timeout. */
export function isBusy(e: unknown): boolean {
  return e instanceof Database.SqliteError && e.code.startsWith('SQLITE_BUSY');
}

/** The driver's module, for the checkpoint thread to load as this module did. */
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/** The checkpoint thread: its own connection, one PASSIVE checkpoint, closed (never the last: the ledger's stays open). */
const CHECKPOINT_WORKER = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
try { db.pragma('wal_checkpoint(PASSIVE)'); } finally { db.close(); }
`;

/**
 * One SQLite connection with the ledger's pragmas, its migrations applied, and a cache of
 * prepared statements. Every store of a ledger shares one, so they share its transactions.
 */
export class LedgerDb {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private aside: Promise<void> | null = null;

  constructor(
    readonly path: string = DEFAULT_DB_PATH,
    options: LedgerDbOptions = {},
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // The busy timeout is set before anything else, so even switching to WAL waits for a writer.
    try {
      this.db = new Database(path, { timeout: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
    } catch (error) {
      throw unusableLedger(path, error);
    }
    try {
      this.db.pragma('journal_mode = WAL');
    } catch (error) {
      this.db.close();
      throw unusableLedger(path, error);
    }
    // In WAL mode NORMAL never corrupts the ledger; a power cut can lose only the last commits.
    this.db.pragma('synchronous = NORMAL');
    // 16 MB of page cache: a 64 MB one filled up on every large sync and was a sixth of a 5,000-page
    // cold sync's peak memory, while a transaction that outgrows the cache only spills to the WAL early.
    this.db.pragma('cache_size = -16384');
    // The WAL is copied into the database once it holds 64 MB, not the default 4 MB: a cold sync's
    // batches each add a few MB, and checkpointing after every other one wrote the claims index and
    // the captures' pages again each time (recording 1,000 pages: 650 -> 370 ms, the close's final
    // checkpoint included 670 -> 490 ms, min of 6 on the shared machine).
    this.db.pragma('wal_autocheckpoint = 16384');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  /** A prepared statement, compiled once per ledger: syncs run the same few hundred thousand times. */
  sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /**
   * The rows `query` selects (its `columns`, default all, of `from` where `where`, in `order`) whose
   * key columns (`key`, default `(model, field, condition)`) hold one of `keys` (keyOf), chosen by SQLite: an incremental diff
   * of a few thousand keys then reads a few thousand rows, not tens of thousands, and picking
   * them in JavaScript took ~4x as long. Its `where` terms should not be indexable (`+status`):
   * given an index on them, SQLite read every open row and picked the keys among them.
   */
  rowsOfKeys(query: { columns?: string; from: string; where: string; order: string; key?: string }, keys: ReadonlySet<string>): Row[] {
    const triples = JSON.stringify(
      Array.from(keys, (key) => {
        const { model, field, condition } = parseKey(key);
        return [model, field, condition];
      }),
    );
    const { columns = '*', from, where, order, key = '(model, field, condition)' } = query;
    const picked = `${key} IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))`;
    return this.sql(`SELECT ${columns} FROM ${from} WHERE ${where} AND ${picked} ORDER BY ${order}`).all(triples) as Row[];
  }

  /**
   * Runs `fn` in one transaction that takes the write lock when it begins (BEGIN IMMEDIATE),
   * waiting up to the busy timeout for another writer to finish. A deferred transaction would
   * read first and ask for the lock at its first write; if another connection committed in
   * between, SQLite fails it at once with SQLITE_BUSY and no busy timeout helps. Nested calls
   * are savepoints inside the outer transaction.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Changes this connection's busy timeout (the desk waits in short slices and retries). */
  setBusyTimeout(ms: number): void {
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  }

  /**
   * Starts copying the WAL into the database on a thread of its own, over a second connection (a
   * PASSIVE checkpoint: it never blocks this connection's writes), when the WAL holds `minBytes` or
   * more. Started before a long stretch of work on this thread, it takes off the close what would
   * otherwise copy the whole of a cold sync's captures and claims there. `checkpointed()` waits for it.
   */
  checkpointAside(minBytes: number): void {
    if (this.path === ':memory:' || this.aside) return;
    let walBytes = 0;
    try {
      walBytes = statSync(`${this.path}-wal`).size;
    } catch {
      return;
    }
    if (walBytes < minBytes) return;
    // A checkpoint that could not run here, whether its thread failed to start or died, is the close's to do, as it always was.
    let worker: ReturnType<typeof startWorker>;
    try {
      // Plain CommonJS that loads the driver by path: none of the host's loaders, nor its --input-type.
      worker = startWorker(CHECKPOINT_WORKER, { eval: true, workerData: { driver: DRIVER, path: this.path } }, { compiled: true });
    } catch {
      return;
    }
    this.aside = new Promise((resolve) => worker.once('exit', () => resolve()).once('error', () => undefined));
  }

  /** Resolves once a checkpoint started by checkpointAside has finished (at once if none was). */
  async checkpointed(): Promise<void> {
    await this.aside;
    this.aside = null;
  }

  close(): void {
    this.db.close();
  }

  /** Brings the schema up to date; two processes opening a new ledger at once migrate it once. */
  private migrate(): void {
    const version = () => this.db.pragma('user_version', { simple: true }) as number;
    const found = version();
    if (found > MIGRATIONS.length) {
      // Its tables mean what a newer schema says they mean: read as ours, pending changes that follow their fact would look like removals.
      this.db.close();
      throw inputError(`${this.path} was written by a newer model-ledger (ledger schema ${found}; this one knows up to ${MIGRATIONS.length}): upgrade model-ledger to open it`);
    }
    if (found === MIGRATIONS.length) return;
    this.db
      .transaction(() => {
        // Read again under the write lock: another process may have migrated meanwhile.
        for (let i = version(); i < MIGRATIONS.length; i++) {
          this.db.exec(MIGRATIONS[i]);
          this.db.pragma(`user_version = ${i + 1}`);
        }
      })
      .immediate();
  }
}
