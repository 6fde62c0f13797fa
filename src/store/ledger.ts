import type Database from 'better-sqlite3';
import { AuditStore, RunStore } from './audit.ts';
import { CaptureStore } from './captures.ts';
import { ChangeStore } from './changes.ts';
import { ClaimStore } from './claims.ts';
import { DEFAULT_DB_PATH, LedgerDb, type LedgerDbOptions } from './db.ts';
import { FactStore } from './facts.ts';
import { HistoryStore } from './history.ts';
import type { JournalMark, JournalPlace } from './journal.ts';
import { ModelStore } from './models.ts';
import { OverrideStore } from './overrides.ts';
import { SourceStateStore } from './source-state.ts';

export { DEFAULT_DB_PATH };

const JOURNAL_MARK = 'journal_mark';

/**
 * The SQLite ledger: every snapshot, claim, change, review and approved interval, one store per
 * concern over one connection. A transaction opened here spans every store.
 */
export class Ledger {
  private readonly connection: LedgerDb;
  readonly captures: CaptureStore;
  readonly claims: ClaimStore;
  readonly sources: SourceStateStore;
  readonly models: ModelStore;
  readonly facts: FactStore;
  readonly overrides: OverrideStore;
  readonly changes: ChangeStore;
  readonly history: HistoryStore;
  readonly audit: AuditStore;
  readonly runs: RunStore;

  constructor(
    readonly path: string = DEFAULT_DB_PATH,
    options: LedgerDbOptions = {},
  ) {
    const db = new LedgerDb(path, options);
    this.connection = db;
    this.claims = new ClaimStore(db);
    this.captures = new CaptureStore(db, this.claims);
    this.sources = new SourceStateStore(db);
    this.models = new ModelStore(db);
    this.changes = new ChangeStore(db);
    this.facts = new FactStore(db, this.changes);
    this.audit = new AuditStore(db);
    this.overrides = new OverrideStore(db, this.audit);
    this.history = new HistoryStore(db);
    this.runs = new RunStore(db);
  }

  /**
   * What reconciling and diffing read from the ledger besides the claims' content, as one string:
   * each source's basis capture, the active pins, and tallies of the queue, the approved history,
   * identity decisions and the audit log. It changes whenever a capture becomes a basis or anyone
   * decides anything, and stays the same while nothing does.
   */
  reconcileState(): string {
    return JSON.stringify([
      this.sources.basisFingerprint(),
      this.overrides.active(),
      this.changes.tally(),
      this.history.tally(),
      this.models.candidateTally(),
      this.audit.lastId(),
    ]);
  }

  /** Where this ledger last left its decisions journal (see Journal.owe and Journal.append). */
  journalMark(): JournalMark {
    return {
      get: () => {
        const text = this.runs.meta(JOURNAL_MARK);
        return text ? (JSON.parse(text) as JournalPlace) : null;
      },
      set: (mark) => this.runs.setMeta(JOURNAL_MARK, JSON.stringify(mark)),
      hold: (fn) => this.transaction(fn),
      trace: () => this.recordedTrace(),
    };
  }

  /**
   * The newest capture, claim, change, audit entry and approved interval, as one text: each is a
   * rowid that only grows, read from the end of its table's key, so a sync that recorded anything
   * a decision could rest on moved it, and reading it costs nothing at any size.
   */
  private recordedTrace(): string {
    const newest = ['captures', 'claims', 'changes', 'audit_log', 'history'].map((table) => `(SELECT MAX(rowid) FROM ${table})`).join(', ');
    return JSON.stringify(this.connection.sql(`SELECT ${newest}`).raw(true).get());
  }

  /** The raw connection, for tests that probe the schema's own guards. */
  get db(): Database.Database {
    return this.connection.db;
  }

  /** One write transaction over every store, holding the write lock from its start (BEGIN IMMEDIATE). */
  transaction<T>(fn: () => T): T {
    return this.connection.transaction(fn);
  }

  setBusyTimeout(ms: number): void {
    this.connection.setBusyTimeout(ms);
  }

  /** See LedgerDb.checkpointAside. */
  checkpointAside(minBytes: number): void {
    this.connection.checkpointAside(minBytes);
  }

  checkpointed(): Promise<void> {
    return this.connection.checkpointed();
  }

  close(): void {
    this.connection.close();
  }
}
