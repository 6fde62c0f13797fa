import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_DB_PATH } from '../paths.ts';
import { MIGRATIONS } from './migrations.ts';

export { DEFAULT_DB_PATH };

/**
 * One SQLite connection with the ledger's pragmas, its migrations applied, and a cache of
 * prepared statements. Every store of a ledger shares one, so they share its transactions.
 */
export class LedgerDb {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly path: string = DEFAULT_DB_PATH) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL never corrupts the ledger; a power cut can lose only the last commits.
    this.db.pragma('synchronous = NORMAL');
    // A sync writes tens of MB per transaction; a 64 MB page cache keeps it from spilling mid-way.
    this.db.pragma('cache_size = -65536');
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

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }

  private migrate(): void {
    const applied = this.db.pragma('user_version', { simple: true }) as number;
    for (let i = applied; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }
}
