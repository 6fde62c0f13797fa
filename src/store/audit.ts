import type { AuditEntry } from '../schema/model.ts';
import type { LedgerDb } from './db.ts';
import { json, toAuditEntry, type Row } from './rows.ts';

/** The append-only audit log (triggers refuse updates and deletes), and small pieces of ledger state. */
export class AuditStore {
  constructor(private readonly db: LedgerDb) {}

  record(actor: string, action: string, subject: string | null, detail: Record<string, unknown>, at: string): void {
    this.db.sql('INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)').run(at, actor, action, subject, json(detail));
  }

  /** The newest entry's id (0 when empty): moves with every decision recorded. */
  lastId(): number {
    return ((this.db.sql('SELECT MAX(id) AS last FROM audit_log').get() as Row).last as number | null) ?? 0;
  }

  /** The entries recorded after entry `id`, oldest first. */
  since(id: number): AuditEntry[] {
    return (this.db.sql('SELECT * FROM audit_log WHERE id > ? ORDER BY id').all(id) as Row[]).map(toAuditEntry);
  }

  log(): AuditEntry[] {
    return (this.db.sql('SELECT * FROM audit_log ORDER BY id').all() as Row[]).map(toAuditEntry);
  }
}

/** Each sync run's start, end and summary, and the ledger's key-value state. */
export class RunStore {
  constructor(private readonly db: LedgerDb) {}

  start(at: string): number {
    return Number(this.db.sql('INSERT INTO sync_runs (started_at) VALUES (?)').run(at).lastInsertRowid);
  }

  finish(id: number, at: string, summary: unknown): void {
    this.db.sql('UPDATE sync_runs SET finished_at = ?, summary = ? WHERE id = ?').run(at, json(summary), id);
  }

  meta(key: string): string | null {
    const row = this.db.sql('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined;
    return row ? (row.value as string) : null;
  }

  setMeta(key: string, value: string): void {
    this.db.sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
