import type { Change, ChangeStatus, ProposedChange } from '../schema/change.ts';
import type { LedgerDb } from './db.ts';
import { column, json, packedFact, toChange, type Row } from './rows.ts';

/** The review queue: every proposed change and what reviewers decided. */
export class ChangeStore {
  constructor(private readonly db: LedgerDb) {}

  list(filter: { status?: ChangeStatus; ids?: number[] } = {}): Change[] {
    const all = (this.db.sql('SELECT * FROM changes WHERE (? IS NULL OR status = ?) ORDER BY id').all(filter.status ?? null, filter.status ?? null) as Row[]).map(toChange);
    if (!filter.ids) return all;
    const ids = new Set(filter.ids);
    return all.filter((c) => ids.has(c.id));
  }

  /** How many changes have this status, without reading them. */
  count(status: ChangeStatus): number {
    return (this.db.sql('SELECT COUNT(*) AS n FROM changes WHERE status = ?').get(status) as Row).n as number;
  }

  /** The changes a new proposal can meet: pending ones and rejected ones (approved and superseded are settled); with `keys`, only those keys' (keyOf). */
  open(keys?: ReadonlySet<string>): Change[] {
    const open = "status IN ('pending', 'rejected')";
    // A first import leaves tens of thousands pending: reading each one's fact to diff a few thousand keys took most of an incremental sync.
    const rows = keys ? this.db.rowsOfKeys('changes', open, 'id', keys) : (this.db.sql(`SELECT * FROM changes WHERE ${open} ORDER BY id`).all() as Row[]);
    return rows.map(toChange);
  }

  /** Per status, how many changes and the newest id: moves with every change queued or decided. */
  tally(): Row[] {
    return this.db.sql('SELECT status, COUNT(*) AS n, MAX(id) AS last, COUNT(reviewed_at) AS reviewed FROM changes GROUP BY status ORDER BY status').all() as Row[];
  }

  get(id: number): Change | null {
    const row = this.db.sql('SELECT * FROM changes WHERE id = ?').get(id) as Row | undefined;
    return row ? toChange(row) : null;
  }

  insert(p: ProposedChange, at: string): number {
    const info = this.db
      .sql(
        `INSERT INTO changes (model, field, condition, kind, old_value, new_value, observed_at, evidence_key, fact, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      )
      .run(p.model, p.field, p.condition, p.kind, json(p.old_value), json(p.new_value), p.observed_at, p.evidence_key, packedFact(p.fact), at);
    return Number(info.lastInsertRowid);
  }

  /** Flags a change as a backfill: it speaks for a date older than its source's current basis. */
  markBackfill(id: number): void {
    this.db.sql('UPDATE changes SET backfill = 1 WHERE id = ?').run(id);
  }

  backfillIds(): Set<number> {
    return new Set(column<number>(this.db.sql('SELECT id FROM changes WHERE backfill = 1').all(), 'id'));
  }

  refreshPending(id: number, p: ProposedChange): void {
    this.db
      .sql('UPDATE changes SET old_value = ?, observed_at = ?, evidence_key = ?, fact = ? WHERE id = ?')
      .run(json(p.old_value), p.observed_at, p.evidence_key, packedFact(p.fact), id);
  }

  setStatus(id: number, status: ChangeStatus, review: { reviewer: string | null; at: string; note: string | null }): void {
    this.db.sql('UPDATE changes SET status = ?, reviewer = ?, reviewed_at = ?, note = ? WHERE id = ?').run(status, review.reviewer, review.at, review.note, id);
  }
}
